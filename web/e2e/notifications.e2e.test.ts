import { describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, DEMO_PASSWORD, hasChromium, screenshotDir, signIn, useUiStack } from './harness';

describe.runIf(hasChromium)('notifications in the web UI', () => {
  const ui = useUiStack();

  it('a test notification lights the bell live; opening it reads it, and "Mark all read" clears the rest', async () => {
    const page = await (await ui.browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await page.goto(`${ui.cloud.url}/notifications`);
    await signIn(page, ADMIN_EMAIL, DEMO_PASSWORD);
    await page.waitForURL(`${ui.cloud.url}/notifications`);
    const bell = page.locator('button[aria-controls="bell-menu"]');
    // The demo greets its administrator: one unread from the start.
    await expect.poll(() => bell.getAttribute('aria-label')).toBe('Notifications, 1 unread');
    await page.getByRole('link', { name: /^Unread: Welcome to Plantline/ }).waitFor();
    // This cloud has no SMTP_URL: the page says email is off.
    await page.getByText('Email is off: this server has no mail server configured').waitFor();

    // The page stays loaded from here on: the bell follows the live stream.
    await page.evaluate(() => {
      (window as unknown as { stayed: boolean }).stayed = true;
    });
    await page.getByRole('button', { name: 'Send me a test notification' }).click();
    await page.getByText('Test notification sent: it is under the bell').waitFor();
    await expect.poll(() => bell.getAttribute('aria-label')).toBe('Notifications, 2 unread');
    expect(await bell.textContent()).toContain('2');
    await page.getByRole('link', { name: 'Unread: Test notification' }).waitFor();

    // Somewhere else in the app, then through the bell back to it.
    await page.getByRole('link', { name: 'Events' }).click();
    await page.waitForURL(`${ui.cloud.url}/events`);
    await bell.click();
    const menu = page.getByRole('region', { name: 'Latest notifications' });
    await menu.getByRole('link', { name: /Test notification/ }).waitFor();
    await page.screenshot({ path: `${screenshotDir}/notifications-bell-open.png` });
    await menu.getByRole('link', { name: /Test notification/ }).click();
    await page.waitForURL(`${ui.cloud.url}/notifications`);
    await expect.poll(() => bell.getAttribute('aria-label')).toBe('Notifications, 1 unread');
    await page.getByRole('link', { name: 'Test notification', exact: true }).waitFor();

    // Two more, then "Mark all read" in the bell's menu (the welcome goes with them).
    for (const count of [2, 3]) {
      await page.getByRole('button', { name: 'Send me a test notification' }).click();
      await expect.poll(() => bell.getAttribute('aria-label')).toBe(`Notifications, ${count} unread`);
    }
    await bell.click();
    await menu.getByRole('button', { name: 'Mark all read' }).click();
    await expect.poll(() => bell.getAttribute('aria-label')).toBe('Notifications, none unread');
    await page.keyboard.press('Escape');
    await expect.poll(() => menu.count()).toBe(0);

    // The unread filter now shows nothing, and nothing above needed a reload.
    await page.getByLabel('Unread only').check();
    await page.getByText('Nothing unread.').waitFor();
    expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
    await page.screenshot({ path: `${screenshotDir}/notifications-page.png`, fullPage: true });
  });
});
