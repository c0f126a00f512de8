import { describe, expect, it } from 'vitest';
import {
  ADMIN_EMAIL,
  DEMO_PASSWORD,
  hasChromium,
  pushEvent,
  pushEvents,
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

    // The last two hours of L1's machines 2 and 3, as an edge catching up would send them, so the
    // line's shift trend has a history: running, a 15-minute jam on M2, pieces every 5 minutes.
    const MIN = 60_000;
    const now = Date.now();
    const history: Parameters<typeof pushEvents>[2][number][] = [];
    for (const machine of ['M2', 'M3']) {
      const at = (minutesAgo: number) => new Date(now - minutesAgo * MIN);
      const address = { plant: 'RIV', line: 'L1', machine };
      history.push({ ...address, kind: 'state', payload: { state: 'RUNNING' }, at: at(120) });
      if (machine === 'M2') {
        history.push({ ...address, kind: 'state', payload: { state: 'DOWN', reason: 'JAM' }, at: at(50) });
        history.push({ ...address, kind: 'state', payload: { state: 'RUNNING' }, at: at(35) });
      }
      for (let ago = 115; ago > 0; ago -= 5) {
        if (machine === 'M2' && ago <= 50 && ago > 35) continue;
        history.push({
          ...address,
          kind: 'count',
          payload: { good: 6, scrap: ago % 20 === 0 ? 1 : 0 },
          at: at(ago),
        });
      }
    }
    await pushEvents(ui.cloud.url, key, history);

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
    // The board opens on RIV, whose machines report, not on LAK, which the session lists first and
    // which nothing has ever reported to.
    await page.getByRole('heading', { name: /RIV · Riverside Assembly/, level: 1 }).waitFor();
    expect(page.url()).not.toMatch(/plant=/);

    // The admin sees both demo plants; the picker switches the board and keeps the choice in the URL.
    await page.getByLabel('Plant', { exact: true }).selectOption({ label: 'LAK · Lakeside Machining' });
    await page.waitForURL(/plant=/);
    await page.getByRole('heading', { name: /LAK · Lakeside Machining/, level: 1 }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: /LAK · Lakeside Machining/, level: 1 }).waitFor();
    await page.getByLabel('Plant', { exact: true }).selectOption({ label: 'RIV · Riverside Assembly' });
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

    // Each line has its shift trend: a uPlot canvas, with what it shows said in its label.
    const trends = page.getByTestId('line-trend');
    expect(await trends.count()).toBe(await page.locator('section.line').count());
    await trends.first().locator('canvas').waitFor();
    const l1Trend = page
      .locator('section.line', { has: page.getByRole('heading', { name: /L1 · Line 1/ }) })
      .getByRole('img', { name: /^Shift trend/ });
    const madeBefore = Number((await l1Trend.getAttribute('aria-label'))?.match(/(\d+) pieces made/)?.[1]);
    expect(Number.isFinite(madeBefore)).toBe(true);

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
    // The trend's open bucket takes the 9 pieces too.
    await page.waitForFunction(
      (made) => {
        const label = [...document.querySelectorAll('[data-testid="line-trend"] [role="img"]')]
          .map((el) => el.getAttribute('aria-label') ?? '')
          .at(0);
        return Number(label?.match(/(\d+) pieces made/)?.[1]) === made;
      },
      madeBefore + 9,
      { timeout: 10_000 },
    );
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

    // A visible, keyboard-reachable way out of the wall display, and Esc, both back to the same plant.
    const exit = kiosk.getByRole('link', { name: 'Exit kiosk' });
    let tabs = 0;
    while (!(await exit.evaluate((el) => el === document.activeElement)) && tabs++ < 10) {
      await kiosk.keyboard.press('Tab');
    }
    expect(tabs).toBeLessThan(10);
    await kiosk.keyboard.press('Enter');
    await kiosk.getByRole('navigation', { name: 'Main' }).waitFor();
    expect(new URL(kiosk.url()).searchParams.get('kiosk')).toBeNull();
    await kiosk.getByRole('heading', { name: /RIV · Riverside Assembly/, level: 1 }).waitFor();
    await kiosk.getByRole('link', { name: 'Kiosk mode' }).click();
    await kiosk.waitForURL(/kiosk=1/);
    expect(await kiosk.getByRole('navigation').count()).toBe(0);
    await kiosk.keyboard.press('Escape');
    await kiosk.getByRole('navigation', { name: 'Main' }).waitFor();
    expect(new URL(kiosk.url()).searchParams.get('plant')).toBe(
      new URL(page.url()).searchParams.get('plant'),
    );
  });
});
