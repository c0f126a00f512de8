import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIGNING_KEY_FILE } from '../modules/audit/index.js';
import type { LiveEvent } from '../platform/index.js';
import { signIn, wsClient } from '../testing/api.js';
import { connectDevice, type Device, disconnectAll } from './devices.js';
import { startFailoverProxy } from './failover-proxy.js';
import {
  type CloudProcess,
  type EdgeProcess,
  killProcess,
  startCloudProcess,
  startDemoEdge,
  waitFor,
} from './processes.js';
import { oneTo, START_MS, Stack, storedCounts } from './stack.js';

/*
 * Two cloud instances, A and B, on one PostgreSQL server behind a balancer (docs/sizing.md, "Scaling
 * out"), all real processes: a device publishes to a real edge whose cloud address is the balancer,
 * and a live subscriber — what a board's page holds — listens through the balancer too. The balancer
 * sends the edge to A and the page to B first, so the page hears A's commits through the bus relay.
 * Then A stops and the edge moves to B; A comes back and B stops, and the page moves to A (resuming
 * its stream where it was) with the edge. Every count is stored once and heard live once, in order.
 * The embedded engine is one process's alone, so this runs on the server only.
 */
const PRODUCT = 'e2e-failover';
/** Counts per phase: both instances up, A stopped, B stopped. */
const PER_PHASE = 20;

describe('two cloud instances, one stopped while an edge and a live page use it (server database)', () => {
  let stack: Stack | undefined;
  let second: CloudProcess | undefined;
  let edge: EdgeProcess | undefined;
  let device: Device | undefined;
  /** The edge's balancer prefers A, the page's B: as a balancer spreads its clients. */
  let edgeBalancer: Awaited<ReturnType<typeof startFailoverProxy>> | undefined;
  let pageBalancer: Awaited<ReturnType<typeof startFailoverProxy>> | undefined;
  let secondDataDir: string | undefined;

  beforeAll(async () => {
    stack = await Stack.start('server', 'failover');
    secondDataDir = await mkdtemp(join(tmpdir(), 'plantline-e2e-failover-second-'));
    // Everything the two must share is the database and the audit signing key (docs/sizing.md).
    second = await startCloudProcess(
      {
        ...stack.cloudVars,
        PLANTLINE_DATA_DIR: secondDataDir,
        DEMO_SEED: 'false',
        AUDIT_SIGNING_KEY: join(stack.cloudDataDir, SIGNING_KEY_FILE),
      },
      START_MS,
    );
    edgeBalancer = await startFailoverProxy([stack.cloud.url, second.url]);
    pageBalancer = await startFailoverProxy([second.url, stack.cloud.url]);
    edge = await startDemoEdge({
      name: 'e2e-failover',
      cloudUrl: edgeBalancer.url,
      cloudDataDir: stack.cloudDataDir,
      edgeDataDir: stack.edgeDataDir,
    });
    device = await connectDevice(edge.mqttUrl, 'e2e-RIV-L1-M1');
  }, START_MS * 2);

  afterAll(async () => {
    if (device !== undefined) await disconnectAll([device]);
    await killProcess(edge);
    await edgeBalancer?.close();
    await pageBalancer?.close();
    await killProcess(second);
    await stack?.close();
    if (secondDataDir !== undefined) await rm(secondDataDir, { recursive: true, force: true });
  });

  const publish = (from: number, to: number) =>
    Promise.all(
      oneTo(to - from + 1).map((i) =>
        device!.publish('plantline/v1/RIV/L1/M1/count', {
          good: 1,
          product: PRODUCT,
          order: String(from + i - 1),
        }),
      ),
    );

  it('stores and streams every count once, in order, while the edge and the page move between instances', async () => {
    const plant = stack!;
    const viewer = await signIn(pageBalancer!.url, 'admin@demo.plantline.local', 'e2e-admin-password');
    const page = wsClient(pageBalancer!.url, { token: viewer.token }, { retryDelayMs: 200 });
    const heard: string[] = [];
    const subscription = page.trpc.events.live.subscribe(
      { kinds: ['count'] },
      {
        onData: (tracked) => {
          for (const event of tracked.data.events as LiveEvent[]) {
            const data = event.data as { product?: string; order?: string };
            if (data.product === PRODUCT) heard.push(data.order ?? '');
          }
        },
      },
    );
    const heardAll = (count: number, what: string) =>
      waitFor(
        async () => (heard.length >= count ? true : undefined),
        60_000,
        () => `${what}; heard ${JSON.stringify(heard)}\nedge:\n${edge!.output()}`,
      );
    try {
      // Give the subscription time to start before the first count, so none precedes it.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      await publish(1, PER_PHASE);
      await heardAll(PER_PHASE, "A's counts live on B");

      await plant.stopCloud();
      let stoppedAt = Date.now();
      await publish(PER_PHASE + 1, 2 * PER_PHASE);
      await heardAll(2 * PER_PHASE, 'the counts the edge sent B once A stopped');
      const edgeMovedMs = Date.now() - stoppedAt;

      await plant.startCloud();
      second!.child.kill('SIGTERM');
      expect((await second!.exited).code).toBe(0);
      stoppedAt = Date.now();
      await publish(2 * PER_PHASE + 1, 3 * PER_PHASE);
      await heardAll(3 * PER_PHASE, 'the counts on A once B stopped and the page moved');
      const pageMovedMs = Date.now() - stoppedAt;

      expect(heard).toEqual(oneTo(3 * PER_PHASE).map(String));
      const stored = await storedCounts(plant.serverDb!.db, PRODUCT);
      expect(stored.map((count) => count.order)).toEqual(oneTo(3 * PER_PHASE).map(String));
      process.stderr.write(
        `failover: all counts heard live ${edgeMovedMs} ms after A stopped (edge moved), ` +
          `${pageMovedMs} ms after B stopped (page and edge moved)\n`,
      );
    } finally {
      subscription.unsubscribe();
      page.close();
    }
  });
});
