import { describe, expect, it } from 'vitest';
import {
  ADMIN_EMAIL,
  DEMO_PASSWORD,
  hasChromium,
  pushEvent,
  screenshotDir,
  signIn,
  useUiStack,
} from './harness';

describe.runIf(hasChromium)('live KPI board', () => {
  const ui = useUiStack();

  it('shows the demo plant live, and renders as a kiosk at 1920×1080', async () => {
    const key = ui.cloud.demoEdgeKey();
    await pushEvent(ui.cloud.url, key, {
      plant: 'RIV',
      line: 'L1',
      machine: 'M1',
      kind: 'state',
      payload: { state: 'RUNNING' },
    });

    const context = await ui.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${ui.cloud.url}/`);
    await signIn(page, ADMIN_EMAIL, DEMO_PASSWORD);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'KPI board' }).waitFor();

    // First data: from navigating to the board until its first machine tile shows figures.
    const started = Date.now();
    await page.goto(`${ui.cloud.url}/board`);
    await page.locator('[data-figure="good"]').first().waitFor();
    const firstDataMs = Date.now() - started;
    process.stderr.write(`KPI board: first tile data ${firstDataMs} ms after navigation (full page load)\n`);
    const firstPlant = await page.getByRole('heading', { level: 1 }).textContent();
    process.stderr.write(`KPI board: first plant shown: ${firstPlant}\n`);

    // The admin sees both demo plants; the picker switches the board (and keeps it in the URL).
    await page.getByLabel('Plant', { exact: true }).selectOption({ label: 'RIV · Riverside Assembly' });
    await page.waitForURL(/plant=/);
    await page.getByRole('heading', { name: /RIV · Riverside Assembly/, level: 1 }).waitFor();
    const tile = page.getByRole('article', { name: 'L1 machine 1' });
    await tile.locator('[data-figure="good"]').waitFor();
    await page.getByRole('heading', { name: /L1 · Line 1/ }).waitFor();
    await page.getByRole('heading', { name: /L2 · Line 2/ }).waitFor();
    expect(await page.getByRole('article').count()).toBeGreaterThanOrEqual(4);
    // The demo seed plans shifts around the clock, so there is a current shift.
    expect(await page.getByText('No current shift').count()).toBe(0);
    await page.getByTestId('shift').waitFor();
    expect(await tile.locator('.state').textContent()).toMatch(/\d+:\d\d/);
    await page.locator('[data-status="connected"]').waitFor();

    const good = tile.locator('[data-figure="good"]');
    const before = Number(await good.textContent());
    let navigations = 0;
    page.on('framenavigated', () => navigations++);
    await pushEvent(ui.cloud.url, key, {
      plant: 'RIV',
      line: 'L1',
      machine: 'M1',
      kind: 'count',
      payload: { good: 7, scrap: 2 },
    });
    await page.waitForFunction(
      ([selector, value]) => Number(document.querySelector(selector as string)?.textContent) === value,
      [`[aria-label="L1 machine 1"] [data-figure="good"]`, before + 7] as const,
      { timeout: 10_000 },
    );
    expect(navigations).toBe(0);
    await page.screenshot({ path: `${screenshotDir}/board.png`, fullPage: true });

    // Kiosk: the same session, no navigation, fits a 1920×1080 wall display.
    const kiosk = await context.newPage();
    await kiosk.setViewportSize({ width: 1920, height: 1080 });
    await kiosk.goto(`${page.url()}&kiosk=1`);
    await kiosk.getByRole('article', { name: 'L1 machine 1' }).locator('[data-figure="good"]').waitFor();
    expect(await kiosk.getByRole('navigation').count()).toBe(0);
    expect(await kiosk.getByRole('button', { name: 'Sign out' }).count()).toBe(0);
    expect(
      await kiosk
        .getByRole('article', { name: 'L1 machine 1' })
        .locator('[data-figure="good"]')
        .textContent(),
    ).toBe(String(before + 7));
    const size = await kiosk.evaluate(() => ({
      width: document.documentElement.scrollWidth,
      height: document.documentElement.scrollHeight,
    }));
    expect(size.width).toBeLessThanOrEqual(1920);
    expect(size.height).toBeLessThanOrEqual(1080);
    await kiosk.locator('[data-status="connected"]').waitFor();
    await kiosk.screenshot({ path: `${screenshotDir}/board-kiosk.png` });
  });
});
