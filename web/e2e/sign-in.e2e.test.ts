import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, hasChromium, screenshotDir, useUiStack } from './harness';

describe.runIf(hasChromium)('signing in through the web UI', () => {
  const ui = useUiStack();

  it('sends a visitor to sign-in, refuses a wrong password, signs in, and signs out', async () => {
    const page = await ui.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${ui.cloud.url}/`);
    await page.waitForURL(/\/login\?redirectTo=%2F/);

    await page.getByLabel('Email').fill('admin@demo.plantline.local');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Invalid email or password').waitFor();

    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${ui.cloud.url}/`);
    await page.getByText('Riverside Assembly').waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Demo Manufacturing');
    expect(await page.getByText('Lakeside Machining').count()).toBe(1);
    await page.screenshot({ path: `${screenshotDir}/signed-in.png` });

    // The session cookie is HTTP-only: the page's scripts never see it.
    expect(await page.evaluate(() => document.cookie)).toBe('');
    const [cookie] = await page.context().cookies();
    expect(cookie).toMatchObject({ name: 'plantline_session', httpOnly: true, sameSite: 'Lax' });

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/login/);
    await page.goto(`${ui.cloud.url}/`);
    await page.waitForURL(/\/login\?redirectTo=%2F/);
  });

  it('returns to the page the visitor asked for after signing in', async () => {
    const page = await ui.browser.newPage();
    await page.goto(`${ui.cloud.url}/login?redirectTo=%2F%3Fview%3Dplants`);
    await page.getByLabel('Email').fill('admin@demo.plantline.local');
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${ui.cloud.url}/?view=plants`);
  });
});
