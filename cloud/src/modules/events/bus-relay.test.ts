import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BusEvents, LiveEvent } from '../../platform/index.js';
import { type ApiClient, apiClient, signIn, wsClient } from '../../testing/api.js';
import { type TestServer, useTestApp } from '../../testing/app.js';
import { testEngines } from '../../testing/engines.js';
import { envelope } from '../../testing/events.js';
import { startTestServer } from '../../testing/server.js';
import { until } from '../../testing/until.js';

/*
 * Two cloud instances over one PostgreSQL server (bus-relay.ts): what one stores or changes reaches
 * the other's bus, live stream and subscriptions, with no commit of its own to reveal it — and again
 * after the listening connection was lost. The embedded engine is one process and has no relay.
 */

describe.each(testEngines)('the bus relay between cloud instances ($name engine)', (engine) => {
  const app = useTestApp(engine);
  let other: TestServer;
  let edge: ApiClient;
  const M1 = { plant: 'A1', line: 'R1', machine: 'M1' };
  let machineId: string;

  beforeAll(async () => {
    const { admin, tenants, database } = app;
    const line = await admin.trpc.masterdata.lines.create.mutate({
      plantId: tenants.a.plantIds[0]!,
      code: 'R1',
      name: 'R1',
    });
    machineId = (
      await admin.trpc.masterdata.machines.create.mutate({ lineId: line.id, code: 'M1', name: 'M1' })
    ).id;
    const key = await admin.trpc.apiKeys.create.mutate({
      name: 'relay edge',
      scopes: ['ingest.write'],
      plantIds: [tenants.a.plantIds[0]!],
    });
    edge = apiClient(app.server.url, { apiKey: key.key });
    other = await startTestServer(database.db);
  });
  afterAll(() => other?.close());

  /** What the other instance's bus hears, by name. */
  function hear<K extends keyof BusEvents>(name: K): BusEvents[K][] {
    const heard: BusEvents[K][] = [];
    other.deps.bus.on(name, (payload) => heard.push(payload));
    return heard;
  }

  it('is there on a server and absent on the embedded engine', () => {
    expect(app.server.deps.relay === null).toBe(engine.name === 'embedded');
    expect(other.deps.relay === null).toBe(engine.name === 'embedded');
  });

  it("streams one instance's stored events live on the other, with their commit seq, once each", async () => {
    if (engine.name === 'embedded') return;
    const commits = hear('events.ingested');
    const client = wsClient(other.url, { token: app.admin.token });
    const received: LiveEvent[] = [];
    let started = false;
    const subscription = client.trpc.events.live.subscribe(
      { machineIds: [machineId] },
      {
        onStarted: () => {
          started = true;
        },
        onData: (tracked) => received.push(...tracked.data.events),
      },
    );
    try {
      await until(() => started, 'the subscription');
      const sent = [envelope(M1, 'state', { state: 'RUNNING' }), envelope(M1, 'count', { good: 4 })];
      const { results } = await edge.trpc.ingest.push.mutate({ events: sent });
      expect(results.map((r) => r.status)).toEqual(['accepted', 'accepted']);
      await until(() => received.length >= 2, "the other instance's events");
      expect(received.map((e) => e.id)).toEqual(sent.map((e) => e.id));
      expect(received[1]).toMatchObject({ kind: 'count', data: { good: 4 } });
      const mine = commits.filter((c) => c.events.some((e) => e.id === sent[0]!.id));
      expect(mine).toHaveLength(1);
      expect(mine[0]!.events.map((e) => e.id)).toEqual(sent.map((e) => e.id));
    } finally {
      subscription.unsubscribe();
      client.close();
    }
  });

  it('relays other effects: master data changes, and a sign-out ends the session on the other instance', async () => {
    if (engine.name === 'embedded') return;
    const changed = hear('masterdata.changed');
    await app.admin.trpc.masterdata.lines.create.mutate({
      plantId: app.tenants.a.plantIds[0]!,
      code: 'R2',
      name: 'R2',
    });
    await until(() => changed.some((c) => c.tenantId === app.tenants.a.tenantId), 'master data changed');

    // A session signed in on the first instance, streaming from the other, signs out on the first.
    const user = await signIn(app.server.url, app.tenants.a.adminEmail);
    const client = wsClient(other.url, { token: user.token });
    const errors: unknown[] = [];
    let started = false;
    const subscription = client.trpc.events.live.subscribe(
      {},
      {
        onStarted: () => {
          started = true;
        },
        onError: (error) => errors.push(error),
      },
    );
    try {
      await until(() => started, 'the subscription');
      await user.trpc.auth.logout.mutate();
      await until(() => errors.length > 0, 'the stream to end');
      expect(String(errors[0])).toMatch(/sign|session|UNAUTHORIZED/i);
    } finally {
      subscription.unsubscribe();
      client.close();
    }
  });

  it('catches up after its listening connection was lost: the latest commit, and a reload signal', async () => {
    if (engine.name === 'embedded') return;
    const commits = hear('events.ingested');
    const changed = hear('masterdata.changed');
    const sent = envelope(M1, 'count', { good: 9 });
    // Cut every listening connection (both instances'), and store while they are down.
    await app.database.db.ownerTransact(null, (tx) =>
      tx.execute(sql`select pg_terminate_backend(pid) from pg_stat_activity
                      where query ilike 'listen %' and pid <> pg_backend_pid()`),
    );
    await edge.trpc.ingest.push.mutate({ events: [sent] });
    await until(
      () => commits.some((c) => c.events.some((e) => e.id === sent.id)),
      'the commit after reconnecting',
    );
    await until(() => changed.length > 0, 'a reload signal');
  });
});
