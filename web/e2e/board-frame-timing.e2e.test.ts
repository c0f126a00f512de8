import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { describe, expect, it } from 'vitest';
import {
  ADMIN_EMAIL,
  DEMO_PASSWORD,
  hasChromium,
  pushEvents,
  screenshotDir,
  signIn,
  trpcCall,
  useUiStack,
} from './harness';

const LINES = 4;
const PER_LINE = 25;
const SECONDS = 10;

interface FrameFigures {
  frames: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  over50Ms: number;
  longTasks: number;
  longTaskMaxMs: number;
  tileUpdates: number;
  tilesUpdated: number;
}

/*
 * The board stays smooth with 100 machine tiles while every machine reports once a
 * second. Measured in the page with requestAnimationFrame and written to
 * test-results/frame-timing.json; only correctness is asserted (timing depends on the machine).
 */
describe.runIf(hasChromium)('KPI board with 100 tiles', () => {
  const ui = useUiStack();

  it('renders every tile and takes one count per machine per second; frame timing is recorded', async () => {
    const context = await ui.browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const page = await context.newPage();
    await page.goto(`${ui.cloud.url}/`);
    await signIn(page, ADMIN_EMAIL, DEMO_PASSWORD);

    // The demo edge key is RIV's: the 100 machines go there, on lines of their own.
    const plants = await trpcCall<{ id: string; code: string }[]>(
      page,
      'tenancy.plants.list',
      undefined,
      'GET',
    );
    const riv = plants.find((p) => p.code === 'RIV')!;
    const addresses: { line: string; machine: string }[] = [];
    for (let l = 1; l <= LINES; l++) {
      const line = await trpcCall<{ id: string }>(page, 'masterdata.lines.create', {
        plantId: riv.id,
        code: `P${l}`,
        name: `Pack line ${l}`,
      });
      for (let m = 1; m <= PER_LINE; m++) {
        const code = `M${String(m).padStart(2, '0')}`;
        await trpcCall(page, 'masterdata.machines.create', {
          lineId: line.id,
          code,
          name: `P${l} machine ${code}`,
        });
        addresses.push({ line: `P${l}`, machine: code });
      }
    }

    // The wall display, scrolled to the new lines: the tiles that change are the ones painted.
    await page.goto(`${ui.cloud.url}/board?plant=${riv.id}&kiosk=1`);
    const tiles = page.getByRole('article', { name: /^P\d machine M\d\d$/ });
    await page.getByRole('article', { name: `P${LINES} machine M${PER_LINE}` }).waitFor();
    expect(await tiles.count()).toBe(LINES * PER_LINE);
    await page.locator('[data-status="connected"]').waitFor();
    await page.getByRole('heading', { name: 'P1 · Pack line 1' }).evaluate((h) => h.scrollIntoView());

    // Running machines: every tile's time in state ticks too, as on a working floor.
    const key = ui.cloud.demoEdgeKey();
    await pushEvents(
      ui.cloud.url,
      key,
      addresses.map((a) => ({ plant: 'RIV', ...a, kind: 'state', payload: { state: 'RUNNING' } })),
    );
    await page
      .getByRole('article', { name: `P${LINES} machine M${PER_LINE}` })
      .getByText('Running')
      .waitFor();

    await page.evaluate(() => {
      const w = window as unknown as {
        __timing: { frames: number[]; longTasks: number[]; updates: string[]; stop: boolean };
      };
      const timing = {
        frames: [] as number[],
        longTasks: [] as number[],
        updates: [] as string[],
        stop: false,
      };
      w.__timing = timing;
      const loop = (t: number) => {
        timing.frames.push(t);
        if (!timing.stop) requestAnimationFrame(loop);
      };
      requestAnimationFrame(loop);
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) timing.longTasks.push(entry.duration);
      }).observe({ type: 'longtask' });
      // A tile update: its good count changed (each push adds one good piece to every machine).
      new MutationObserver((records) => {
        for (const r of records) {
          const figure = (r.target instanceof Element ? r.target : r.target.parentElement)?.closest(
            '[data-figure="good"]',
          );
          const tile = figure?.closest('article');
          if (tile) timing.updates.push(tile.getAttribute('data-machine') ?? '');
        }
      }).observe(document.body, { subtree: true, characterData: true, childList: true });
    });

    const load: string[] = [];
    const started = Date.now();
    for (let second = 0; second < SECONDS; second++) {
      await pushEvents(
        ui.cloud.url,
        key,
        addresses.map((a) => ({ plant: 'RIV', ...a, kind: 'count', payload: { good: 1, scrap: 0 } })),
      );
      if (second === SECONDS / 2)
        load.push(
          loadavg()
            .map((x) => x.toFixed(2))
            .join(' '),
        );
      await new Promise((resolve) =>
        setTimeout(resolve, Math.max(0, started + (second + 1) * 1000 - Date.now())),
      );
    }
    // Every machine ends with its ten pieces.
    await page.waitForFunction(
      ([expected, count]) =>
        [...document.querySelectorAll('article[data-machine]')].filter(
          (t) =>
            /^P\d machine/.test(t.getAttribute('aria-label') ?? '') &&
            t.querySelector('[data-figure="good"]')?.textContent === expected,
        ).length === count,
      [String(SECONDS), LINES * PER_LINE] as const,
      { timeout: 15_000 },
    );

    const figures = await page.evaluate((): FrameFigures => {
      const timing = (
        window as unknown as {
          __timing: { frames: number[]; longTasks: number[]; updates: string[]; stop: boolean };
        }
      ).__timing;
      timing.stop = true;
      const intervals = timing.frames
        .slice(1)
        .map((t, i) => t - timing.frames[i]!)
        .sort((a, b) => a - b);
      const at = (q: number) =>
        Math.round(intervals[Math.min(intervals.length - 1, Math.floor(q * intervals.length))]! * 10) / 10;
      return {
        frames: timing.frames.length,
        p50Ms: at(0.5),
        p95Ms: at(0.95),
        p99Ms: at(0.99),
        maxMs: Math.round(intervals.at(-1)! * 10) / 10,
        over50Ms: intervals.filter((d) => d > 50).length,
        longTasks: timing.longTasks.length,
        longTaskMaxMs: Math.round(Math.max(0, ...timing.longTasks)),
        tileUpdates: timing.updates.length,
        tilesUpdated: new Set(timing.updates).size,
      };
    });
    const report = {
      measuredAt: new Date().toISOString(),
      tiles: LINES * PER_LINE,
      seconds: SECONDS,
      eventsPerSecond: LINES * PER_LINE,
      loadAverage:
        load[0] ??
        loadavg()
          .map((x) => x.toFixed(2))
          .join(' '),
      ...figures,
    };
    writeFileSync(`${screenshotDir}/frame-timing.json`, `${JSON.stringify(report, null, 2)}\n`);
    process.stderr.write(`KPI board, 100 tiles: ${JSON.stringify(report)}\n`);
    await page.screenshot({ path: `${screenshotDir}/board-100-tiles.png` });

    // Every tile changed while measured. How often is not asserted: the hub sends an entity at most
    // once a second, so on a busy machine two pushes can reach a tile in one update (+2).
    expect(figures.tilesUpdated).toBe(LINES * PER_LINE);
    await context.close();
  });
});
