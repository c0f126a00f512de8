import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  ADMIN_EMAIL,
  clearPlannedDowntimeNow,
  DEMO_PASSWORD,
  hasChromium,
  pushEvents,
  screenshotDir,
  signIn,
  useUiStack,
} from './harness';

describe.runIf(hasChromium)('app shell, command palette and overview', () => {
  const ui = useUiStack();

  async function signedIn(viewport: { width: number; height: number }): Promise<Page> {
    const context = await ui.browser.newContext({ viewport, hasTouch: viewport.width < 600 });
    const page = await context.newPage();
    await page.goto(`${ui.cloud.url}/`);
    await signIn(page, ADMIN_EMAIL, DEMO_PASSWORD);
    await page.waitForURL(`${ui.cloud.url}/`);
    return page;
  }

  const listNames = (page: Page) =>
    page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('list')
      .evaluateAll((lists) =>
        lists.map((l) => document.getElementById(l.getAttribute('aria-labelledby') ?? '')?.textContent),
      );

  it('on a desktop: grouped sidebar, collapse kept across reload, palette, overview', async () => {
    const page = await signedIn({ width: 1440, height: 900 });
    const nav = page.getByRole('navigation', { name: 'Main' });

    // The administrator's groups, in order (a group without pages would be left out).
    expect(await listNames(page)).toEqual([
      'Plant floor',
      'Quality',
      'Logistics',
      'Materials',
      'Reports',
      'Configuration',
      'Administration',
    ]);
    expect(
      await nav.getByRole('list', { name: 'Administration' }).getByRole('link').allTextContents(),
    ).toEqual([
      'Users',
      'Roles',
      'API keys',
      'Device logins',
      'Plants & lines',
      'Production master data',
      'Telemetry deadbands',
      'Sparkplug B rules',
      'Audit trail',
      'Settings',
    ]);
    expect(await nav.locator('[aria-current="page"]').textContent()).toBe('Overview');

    // The Overview: each plant's OEE today and in the current shift, and what is down now. M1 ran,
    // made parts and stopped a few seconds ago (outside any planned break, so the stop is a loss).
    await clearPlannedDowntimeNow(page, 'RIV');
    const key = ui.cloud.demoEdgeKey();
    const place = { plant: 'RIV', line: 'L1', machine: 'M1' };
    const ago = (seconds: number) => new Date(Date.now() - seconds * 1000);
    await pushEvents(ui.cloud.url, key, [
      { ...place, kind: 'state', payload: { state: 'RUNNING' }, at: ago(120) },
      { ...place, kind: 'count', payload: { good: 2, scrap: 0 }, at: ago(60) },
      { ...place, kind: 'state', payload: { state: 'DOWN', reason: 'JAM' }, at: ago(20) },
    ]);
    await page.reload();
    for (const plant of ['RIV', 'LAK']) {
      await page.getByRole('region', { name: `${plant} OEE today` }).waitFor();
      await page.getByRole('region', { name: `${plant} OEE current shift` }).waitFor();
    }
    const riverside = page.getByRole('region', { name: 'RIV · Riverside Assembly' });
    await riverside.getByTestId('oee-trend').locator('canvas').waitFor();
    expect(await riverside.getByRole('region', { name: 'RIV OEE today' }).textContent()).toMatch(/OEE\s*\d/);
    const down = riverside.getByRole('region', { name: /Machines down now/ });
    const m1 = down.getByRole('listitem').filter({ hasText: 'M1 · L1 machine 1' });
    await m1.waitFor({ timeout: 15_000 });
    expect(await m1.textContent()).toContain('Down · JAM');
    expect(await m1.locator('time').count()).toBe(1);
    const lakeside = page.getByRole('region', { name: 'LAK · Lakeside Machining' });
    await lakeside.getByText('No machine is down.').waitFor();
    await page.getByRole('heading', { name: 'My tasks' }).waitFor();
    await page.screenshot({ path: `${screenshotDir}/overview.png`, fullPage: true });
    await m1.getByRole('link').click();
    await page.waitForURL(/\/machines\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { level: 1, name: /L1 machine 1/ }).waitFor();

    // Hidden, the sidebar gives the page its width, and stays hidden after a reload.
    const menu = page.getByRole('button', { name: 'Menu' });
    expect(await menu.getAttribute('aria-expanded')).toBe('true');
    await menu.click();
    expect(await nav.count()).toBe(0);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: /L1 machine 1/ }).waitFor();
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    expect(await nav.count()).toBe(0);
    await menu.click();
    await nav.waitFor();

    // Ctrl-K: a page by its name, Enter goes there.
    await page.keyboard.press('Control+k');
    const palette = page.getByRole('dialog', { name: 'Go to' });
    const box = palette.getByRole('combobox');
    await box.waitFor();
    expect(await box.evaluate((el) => el === document.activeElement)).toBe(true);
    await box.fill('device');
    expect(await palette.getByRole('option', { selected: true }).textContent()).toContain('Device logins');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${ui.cloud.url}/admin/device-logins`);
    expect(await palette.isVisible()).toBe(false);
    expect(await nav.locator('[aria-current="page"]').textContent()).toBe('Device logins');

    // A machine by its code: the arrows pick RIV's L2 M3 among the plants' and lines' M3.
    await page.keyboard.press('Control+k');
    await box.fill('M3');
    const wanted = palette.getByRole('option').filter({ hasText: 'Machine · RIV · L2' });
    await wanted.waitFor();
    expect(await palette.getByRole('option').count()).toBe(4);
    for (let i = 0; i < 4 && (await wanted.getAttribute('aria-selected')) !== 'true'; i++)
      await page.keyboard.press('ArrowDown');
    expect(await box.getAttribute('aria-activedescendant')).toBe(await wanted.getAttribute('id'));
    await page.screenshot({ path: `${screenshotDir}/command-palette.png` });
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/machines\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { level: 1, name: /L2 machine 3/ }).waitFor();

    // The visible button opens it too; Escape closes it and gives the focus back.
    const search = page.getByRole('button', { name: /Go to/ });
    await search.click();
    await box.waitFor();
    await page.keyboard.press('Escape');
    await palette.waitFor({ state: 'hidden' });
    expect(await search.evaluate((el) => el === document.activeElement)).toBe(true);
  });

  it('on a phone: the menu opens a drawer that closes on navigation and on Escape', async () => {
    const page = await signedIn({ width: 390, height: 844 });
    const nav = page.getByRole('navigation', { name: 'Main' });
    const menu = page.getByRole('button', { name: 'Menu' });

    // Closed, the drawer takes no room and covers nothing; the page fits the width.
    await page.getByRole('region', { name: 'RIV OEE today' }).waitFor();
    expect(await nav.count()).toBe(0);
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
    ).toBeLessThanOrEqual(0);
    const main = await page.locator('main').boundingBox();
    expect(main?.x).toBe(0);
    await page.screenshot({ path: `${screenshotDir}/overview-phone.png`, fullPage: true });

    await menu.tap();
    await nav.waitFor();
    expect(await menu.getAttribute('aria-expanded')).toBe('true');
    expect(await listNames(page)).toEqual([
      'Plant floor',
      'Quality',
      'Logistics',
      'Materials',
      'Reports',
      'Configuration',
      'Administration',
    ]);
    await page.screenshot({ path: `${screenshotDir}/drawer-phone.png` });
    await nav.getByRole('link', { name: 'Events' }).tap();
    await page.waitForURL(`${ui.cloud.url}/events`);
    await nav.waitFor({ state: 'hidden' });

    await menu.tap();
    await nav.getByRole('button', { name: 'Close' }).tap();
    await nav.waitFor({ state: 'hidden' });
    await menu.tap();
    await nav.waitFor();
    await page.keyboard.press('Escape');
    await nav.waitFor({ state: 'hidden' });
    expect(await menu.evaluate((el) => el === document.activeElement)).toBe(true);

    // The palette has a button for touch.
    await page.getByRole('button', { name: /Go to/ }).tap();
    const box = page.getByRole('dialog', { name: 'Go to' }).getByRole('combobox');
    await box.fill('users');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${ui.cloud.url}/admin/users`);
    // The collapse of a wide screen is not the drawer: nothing was remembered.
    expect(await page.evaluate(() => localStorage.length)).toBe(0);
  });
});
