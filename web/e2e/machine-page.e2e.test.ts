import { describe, expect, it } from 'vitest';
import {
  ADMIN_EMAIL,
  clearPlannedDowntimeNow,
  DEMO_PASSWORD,
  hasChromium,
  pushEvent,
  screenshotDir,
  signIn,
  useUiStack,
} from './harness';

describe.runIf(hasChromium)('machine page', () => {
  const ui = useUiStack();

  it('shows the timeline, Pareto, counts per hour and recent events of a machine', async () => {
    const context = await ui.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${ui.cloud.url}/`);
    await signIn(page, ADMIN_EMAIL, DEMO_PASSWORD);
    // A stop in a demo break would be planned, not a loss, and the Pareto would be empty.
    await clearPlannedDowntimeNow(page, 'RIV');

    const key = ui.cloud.demoEdgeKey();
    const place = { plant: 'RIV', line: 'L1', machine: 'M1' };
    const at = (secondsAgo: number) => new Date(Date.now() - secondsAgo * 1000).toISOString();
    // Explicit times in the last seconds, so that they fall in the current shift (the demo plans
    // shifts around the clock) unless the test starts within a minute of a shift change.
    const events = [
      { ...place, kind: 'state', payload: { state: 'RUNNING' }, ts: at(50) },
      { ...place, kind: 'count', payload: { good: 11, scrap: 3 }, ts: at(40) },
      { ...place, kind: 'state', payload: { state: 'STOPPED', reason: 'JAM' }, ts: at(30) },
      { ...place, kind: 'count', payload: { good: 5, scrap: 1 }, ts: at(25) },
      { ...place, kind: 'state', payload: { state: 'RUNNING' }, ts: at(15) },
    ];
    for (const event of events) await pushEvent(ui.cloud.url, key, event);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'KPI board' }).waitFor();
    await page.goto(`${ui.cloud.url}/board`);
    await page.getByLabel('Plant', { exact: true }).selectOption({ label: 'RIV · Riverside Assembly' });
    await page.waitForURL(/plant=/);

    await page
      .getByRole('article', { name: 'L1 machine 1' })
      .getByRole('link', { name: 'L1 machine 1' })
      .click();
    await page.waitForURL(/\/machines\/[0-9a-f-]{36}/);
    await page.getByRole('heading', { level: 1, name: /L1 machine 1/ }).waitFor();

    const timeline = page.getByTestId('state-timeline');
    await timeline.locator('[data-kind="state"]').first().waitFor();
    expect(await timeline.locator('.segment').count()).toBeGreaterThanOrEqual(2);

    await page.getByTestId('counts-chart').locator('canvas').waitFor();
    await page.getByTestId('pareto-chart').locator('canvas').waitFor();

    const table = page.getByRole('table', { name: 'Recent events' });
    await table.waitFor();
    await table.getByText('11 good · 3 scrap').waitFor();
    await table.getByText('5 good · 1 scrap').waitFor();
    await table.getByText('STOPPED · reason JAM').waitFor();

    // The OEE header counts what was pushed in the current shift.
    expect(Number(await page.locator('[data-figure="good"]').textContent())).toBeGreaterThanOrEqual(16);

    // The current shift follows the machine live: a new count shows without a click on Refresh.
    await page.getByRole('status').filter({ hasText: 'Following live' }).waitFor();
    const good = Number(await page.locator('[data-figure="good"]').textContent());
    const later = { ...place, kind: 'count', payload: { good: 7, scrap: 0 }, ts: at(1) };
    await pushEvent(ui.cloud.url, key, later);
    await page.waitForFunction(
      (expected) => Number(document.querySelector('[data-figure="good"]')?.textContent) === expected,
      good + 7,
      { timeout: 15_000 },
    );
    await table.getByText('7 good · 0 scrap').waitFor();

    // Another window is one choice away and keeps the charts.
    await page.getByLabel('Window').selectOption({ label: 'Today' });
    await page.waitForURL(/window=today/);
    await page.getByTestId('counts-chart').locator('canvas').waitFor();

    await page.getByLabel('Window').selectOption({ label: 'Current shift' });
    await page.getByTestId('pareto-chart').locator('canvas').waitFor();
    await page.screenshot({ path: `${screenshotDir}/machine-page.png`, fullPage: true });

    // Over the last 7 days the timeline's axis names the dates (StateTimeline, machine-charts.test.ts).
    await page.getByLabel('Window').selectOption({ label: 'Last 7 days' });
    await page.waitForURL(/window=week/);
    const axis = page.getByTestId('timeline-axis');
    await axis
      .getByText(/^\w{3} \d{1,2} \w{3}, \d{2}:\d{2}$/)
      .first()
      .waitFor();
    expect(await axis.locator('.tick').count()).toBeGreaterThanOrEqual(4);
    await page.getByTestId('pareto-chart').locator('canvas').waitFor();
    await page.screenshot({ path: `${screenshotDir}/machine-page-week.png`, fullPage: true });
  });
});
