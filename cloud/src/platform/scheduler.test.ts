import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServerDatabase, testEngines, testLog } from '../testing/engines.js';
import { cronOf, IntervalScheduler, PgBossScheduler } from './scheduler.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('IntervalScheduler', () => {
  it('runs a task every interval without overlapping runs, and stop waits for the run in progress', async () => {
    const scheduler = new IntervalScheduler(testLog);
    let runs = 0;
    let active = 0;
    let overlapped = false;
    let failures = 0;
    scheduler.every('probe', 20, async () => {
      active++;
      overlapped ||= active > 1;
      await sleep(30);
      runs++;
      active--;
    });
    scheduler.every('failing', 20, async () => {
      failures++;
      throw new Error('a failing job keeps its schedule');
    });
    await scheduler.start();
    await sleep(300);
    await scheduler.stop();
    const stoppedAt = runs;
    expect(active).toBe(0);
    expect(overlapped).toBe(false);
    expect(runs).toBeGreaterThanOrEqual(3);
    expect(failures).toBeGreaterThanOrEqual(3);
    await sleep(100);
    expect(runs).toBe(stoppedAt);
  });
});

describe('cronOf', () => {
  it('rounds an interval to whole minutes below an hour, hours below a day, and days to daily', () => {
    expect(cronOf(60_000)).toBe('* * * * *');
    expect(cronOf(10_000)).toBe('* * * * *');
    expect(cronOf(300_000)).toBe('*/5 * * * *');
    expect(cronOf(59 * 60_000)).toBe('*/59 * * * *');
    expect(cronOf(3_600_000)).toBe('0 * * * *');
    expect(cronOf(6 * 3_600_000)).toBe('0 */6 * * *');
    expect(cronOf(24 * 3_600_000)).toBe('0 0 * * *');
    expect(cronOf(7 * 24 * 3_600_000)).toBe('0 0 * * *');
  });
});

// pg-boss is the server's scheduler: it needs a real PostgreSQL server (TEST_DATABASE_URL).
describe.each(testEngines.filter((e) => e.name === 'server'))('PgBossScheduler ($name engine)', () => {
  let server: Awaited<ReturnType<typeof createServerDatabase>>;

  beforeAll(async () => {
    server = await createServerDatabase();
  });

  afterAll(async () => {
    await server?.drop();
  });

  it('runs a job right after start, through its queue, and stops after the run in progress', async () => {
    const scheduler = new PgBossScheduler(server.url, testLog);
    let runs = 0;
    let active = 0;
    scheduler.every('kpi-probe', 60_000, async () => {
      active++;
      await sleep(50);
      runs++;
      active--;
    });
    await scheduler.start();
    try {
      for (let waited = 0; runs === 0 && waited < 20_000; waited += 100) await sleep(100);
      expect(runs).toBeGreaterThanOrEqual(1);
    } finally {
      await scheduler.stop();
    }
    expect(active).toBe(0);
  }, 30_000);
});
