import { beforeAll, describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../platform/index.js';
import { type ApiClient, addUser, apiClient, signIn, wsClient } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { type Tenants, type TestServer, useTestApp } from '../../testing/app.js';
import { type TestDatabase, testEngines } from '../../testing/engines.js';
import { envelope, uuidv7 } from '../../testing/events.js';
import { startTestServer } from '../../testing/server.js';
import { until } from '../../testing/until.js';

/*
 * events.live over a real WebSocket — filtered by machine, confined to the user's plants,
 * and resumable from the last event id with nothing missed and nothing doubled.
 */
describe.each(testEngines)('stored events, live and recent ($name engine)', (engine) => {
  const app = useTestApp(engine);
  let database: TestDatabase;
  let tenants: Tenants;
  let server: TestServer;
  let admin: Awaited<ReturnType<typeof signIn>>;
  let edge: ApiClient;
  let edgeKey: string;
  let machines: { m1: string; m2: string };
  const M1 = { plant: 'A1', line: 'L1', machine: 'M1' };
  const M2 = { plant: 'A1', line: 'L1', machine: 'M2' };
  const B1 = { plant: 'A2', line: 'L1', machine: 'M1' };

  beforeAll(async () => {
    ({ database, tenants, server, admin } = app);
    const [plantA1, plantA2] = tenants.a.plantIds as [string, string];
    const line = await admin.trpc.masterdata.lines.create.mutate({
      plantId: plantA1,
      code: 'L1',
      name: 'L1',
    });
    const m1 = await admin.trpc.masterdata.machines.create.mutate({
      lineId: line.id,
      code: 'M1',
      name: 'M1',
    });
    const m2 = await admin.trpc.masterdata.machines.create.mutate({
      lineId: line.id,
      code: 'M2',
      name: 'M2',
    });
    const lineB = await admin.trpc.masterdata.lines.create.mutate({
      plantId: plantA2,
      code: 'L1',
      name: 'L1',
    });
    await admin.trpc.masterdata.machines.create.mutate({ lineId: lineB.id, code: 'M1', name: 'M1' });
    machines = { m1: m1.id, m2: m2.id };
    const key = await admin.trpc.apiKeys.create.mutate({
      name: 'edge',
      scopes: ['ingest.write'],
      plantIds: [plantA1, plantA2],
    });
    edgeKey = key.key;
    edge = apiClient(server.url, { apiKey: edgeKey });
  });

  function listen(
    token: string,
    input: Parameters<ReturnType<typeof wsClient>['trpc']['events']['live']['subscribe']>[0],
  ) {
    const client = wsClient(server.url, { token });
    const received: LiveEvent[] = [];
    const cursors: string[] = [];
    const errors: unknown[] = [];
    let started = false;
    const subscription = client.trpc.events.live.subscribe(input, {
      onStarted: () => {
        started = true;
      },
      onData: (tracked) => {
        expect(tracked.data.events.length).toBeGreaterThan(0);
        cursors.push(tracked.id);
        received.push(...tracked.data.events);
      },
      onError: (error) => errors.push(error),
    });
    return {
      received,
      errors,
      cursors,
      /** The last tracked id: what the tRPC client resends on reconnect. */
      cursor: () => cursors.at(-1) ?? null,
      ready: () => until(() => started, 'the subscription to start'),
      close: () => {
        subscription.unsubscribe();
        client.close();
      },
    };
  }

  async function push(...events: ReturnType<typeof envelope>[]) {
    const { results } = await edge.trpc.ingest.push.mutate({ events });
    expect(results.filter((r) => r.status !== 'accepted')).toEqual([]);
    return events.map((e) => e.id);
  }

  it('streams stored events filtered by machine, then resumes after the last id with exactly the missed ones', async () => {
    const first = listen(admin.token, { machineIds: [machines.m1] });
    await first.ready();
    const seen = await push(
      envelope(M1, 'state', { state: 'RUNNING' }),
      envelope(M2, 'state', { state: 'RUNNING' }),
      envelope(M1, 'telemetry', { values: { temp_c: 40.5, rpm: 900 } }),
    );
    await until(() => first.received.length >= 2, 'two live events');
    expect(first.received.map((e) => e.id)).toEqual([seen[0], seen[2]]);
    expect(first.received[1]).toMatchObject({
      kind: 'telemetry',
      machineId: machines.m1,
      data: { values: { temp_c: 40.5, rpm: 900 } },
    });
    const lastSeen = first.cursor();
    first.close();

    // While nobody listens: three for M1 (one of each other kind) and one for M2.
    const missed = await push(
      envelope(M1, 'count', { good: 3, scrap: 1 }),
      envelope(M2, 'count', { good: 1 }),
      envelope(M1, 'scan', { code: 'LOT-9' }),
      envelope(M1, 'state', { state: 'DOWN', reason: 'JAM' }),
    );
    const resumed = listen(admin.token, { machineIds: [machines.m1], lastEventId: lastSeen });
    await resumed.ready();
    await until(() => resumed.received.length >= 3, 'the missed events');
    const live = await push(
      envelope(M1, 'state', { state: 'RUNNING' }),
      envelope(M2, 'state', { state: 'IDLE' }),
    );
    await until(() => resumed.received.length >= 4, 'the next live event');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(resumed.received.map((e) => e.id)).toEqual([missed[0], missed[2], missed[3], live[0]]);
    expect(resumed.received[0]).toMatchObject({
      kind: 'count',
      data: { good: 3, scrap: 1, product: null, order: null },
    });
    expect(resumed.received[1]).toMatchObject({
      kind: 'scan',
      data: { code: 'LOT-9', symbology: 'qr', action: 'scan' },
    });
    expect(resumed.received[2]).toMatchObject({ kind: 'state', data: { state: 'DOWN', reason: 'JAM' } });
    expect(resumed.errors).toEqual([]);
    resumed.close();
  });

  it("shows a user only their plants' events, live and replayed", async () => {
    const [plantA1, plantA2] = tenants.a.plantIds as [string, string];
    const user = await addUser(admin, { roleIds: [tenants.a.roleIds.operator!], plantIds: [plantA2] });
    const operator = await signIn(server.url, user.email);
    const stream = listen(operator.token, {});
    await stream.ready();
    const before = await push(envelope(B1, 'state', { state: 'RUNNING' }));
    await until(() => stream.received.length >= 1, 'the first plant A2 event');
    const resumeFrom = stream.cursor();
    const ids = await push(envelope(M1, 'state', { state: 'RUNNING' }), envelope(B1, 'count', { good: 4 }));
    await until(() => stream.received.length >= 2, 'the plant A2 event');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(stream.received.map((e) => e.id)).toEqual([before[0], ids[1]]);
    expect(stream.received.every((e) => e.plantId === plantA2)).toBe(true);
    stream.close();

    // Resuming from before: the replay, read under the user's row-level security, holds only plant A2.
    const replay = listen(operator.token, { lastEventId: resumeFrom });
    await replay.ready();
    await until(() => replay.received.length >= 1, 'the replay');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(replay.received.map((e) => e.id)).toEqual([ids[1]]);
    expect(replay.received.every((e) => e.plantId !== plantA1)).toBe(true);
    replay.close();
  });

  it('resumes in commit order: an event committed late with an old id is not missed', async () => {
    const stream = listen(admin.token, { machineIds: [machines.m1] });
    await stream.ready();
    const [recent] = await push(envelope(M1, 'count', { good: 1 }));
    await until(() => stream.received.length >= 1, 'the recent event');
    const resumeFrom = stream.cursor();
    stream.close();

    // An edge back from an outage: its event happened (and got its id) an hour before the one above.
    const hourAgo = new Date(Date.now() - 3_600_000);
    const [late] = await push({
      ...envelope(M1, 'state', { state: 'DOWN', reason: 'OUTAGE' }, hourAgo),
      id: uuidv7(hourAgo.getTime()),
    });
    expect(late! < recent!).toBe(true);
    const resumed = listen(admin.token, { machineIds: [machines.m1], lastEventId: resumeFrom });
    await resumed.ready();
    await until(() => resumed.received.length >= 1, 'the late event');
    const [next] = await push(envelope(M1, 'count', { good: 2 }));
    await until(() => resumed.received.length >= 2, 'the next live event');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(resumed.received.map((e) => e.id)).toEqual([late, next]);
    expect(resumed.errors).toEqual([]);
    resumed.close();
  });

  it('refuses a malformed position with a clear error', async () => {
    const stream = listen(admin.token, { lastEventId: 'not-a-position' });
    await until(() => stream.errors.length > 0, 'the error');
    expect(String(stream.errors[0])).toMatch(/Not a live stream position/);
    stream.close();
    // Well formed but beyond the end of this tenant's log: refused rather than silently waiting forever.
    const ahead = listen(admin.token, { lastEventId: '999999999:1' });
    await until(() => ahead.errors.length > 0, 'the error');
    expect(String(ahead.errors[0])).toMatch(/not in the resume window/);
    ahead.close();
  });

  it('delivers every event of concurrent ingests exactly once, in commit order', async () => {
    const stream = listen(admin.token, { plantIds: [tenants.a.plantIds[0] as string] });
    await stream.ready();
    // Ten edges' batches at once: their transactions commit in some order, their afterCommit
    // effects may run in another; the stream must follow the commit log regardless.
    const batches = await Promise.all(
      Array.from({ length: 10 }, () =>
        push(
          ...Array.from({ length: 5 }, (_, i) => envelope(i % 2 === 0 ? M1 : M2, 'count', { good: i + 1 })),
        ),
      ),
    );
    const sent = batches.flat();
    await until(() => stream.received.length >= sent.length, 'all concurrent events');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const ids = stream.received.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual([...sent].sort());
    // Each batch arrives whole and the cursors only move forward.
    const seqs = stream.cursors.map((cursor) => Number(cursor.split(':')[0]));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    for (const batch of batches) {
      const at = ids.indexOf(batch[0]!);
      expect(ids.slice(at, at + batch.length)).toEqual(batch);
    }
    stream.close();
  });

  it("reads from the log what this instance's bus never heard (a commit made by another instance)", async () => {
    // A second cloud instance over the same database, with its own bus, as when the cloud is scaled
    // out.
    const other = await startTestServer(database.db);
    try {
      const otherEdge = apiClient(other.url, { apiKey: edgeKey });
      const stream = listen(admin.token, { machineIds: [machines.m1] });
      await stream.ready();
      const elsewhere = envelope(M1, 'count', { good: 7 });
      const { results } = await otherEdge.trpc.ingest.push.mutate({ events: [elsewhere] });
      expect(results[0]?.status).toBe('accepted');
      // The next commit heard here shows the gap; the stream reads the missing one from the log first.
      const [here] = await push(envelope(M1, 'count', { good: 8 }));
      await until(() => stream.received.length >= 2, 'both events');
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(stream.received.map((e) => e.id)).toEqual([elsewhere.id, here]);
      stream.close();
    } finally {
      await other.close();
    }
  });

  it('pages recent events newest first across kinds, filtered, within the plants the user may see', async () => {
    const base = Date.now() - 60_000;
    const at = (s: number) => new Date(base + s * 1000);
    const ids = await push(
      envelope(M2, 'state', { state: 'RUNNING' }, at(1)),
      envelope(M2, 'count', { good: 2, product: 'P-1' }, at(2)),
      envelope(M2, 'telemetry', { values: { temp_c: 41 } }, at(3)),
      envelope(M2, 'scan', { code: 'LOT-1', station: 'S1' }, at(4)),
      envelope(M2, 'count', { good: 1 }, at(5)),
    );
    const m2 = { machineIds: [machines.m2] };
    const first = await admin.trpc.events.recent.query({ ...m2, limit: 3 });
    // Other tests stored M2 events at the current time; ours are a minute old, so take them by id.
    const all: string[] = first.items.map((e) => e.id);
    let next = first.next;
    while (next !== null) {
      const page = await admin.trpc.events.recent.query({ ...m2, limit: 3, before: next });
      all.push(...page.items.map((e) => e.id));
      next = page.next;
    }
    expect(new Set(all).size).toBe(all.length);
    expect(all.filter((id) => ids.includes(id))).toEqual([...ids].reverse());

    const counts = await admin.trpc.events.recent.query({ ...m2, kinds: ['count', 'telemetry'], limit: 500 });
    const ours = counts.items.filter((e) => ids.includes(e.id));
    expect(ours.map((e) => e.kind)).toEqual(['count', 'telemetry', 'count']);
    expect(ours[1]).toMatchObject({ data: { values: { temp_c: 41 } } });

    const user = await addUser(admin, {
      roleIds: [tenants.a.roleIds.operator!],
      plantIds: [tenants.a.plantIds[1]!],
    });
    const operator = await signIn(server.url, user.email);
    const seen = await operator.trpc.events.recent.query({ limit: 500 });
    expect(seen.items.every((e) => e.plantId === tenants.a.plantIds[1])).toBe(true);
    await expectApiError(
      operator.trpc.events.recent.query({ before: 'garbage', limit: 5 }),
      'BAD_REQUEST',
      /page cursor/,
    );
  });

  it('filters the live stream by kind, live and on replay', async () => {
    const stream = listen(admin.token, { machineIds: [machines.m1], kinds: ['state'] });
    await stream.ready();
    const first = await push(envelope(M1, 'count', { good: 1 }), envelope(M1, 'state', { state: 'RUNNING' }));
    await until(() => stream.received.length >= 1, 'the state event');
    const resumeFrom = stream.cursor();
    stream.close();
    const missed = await push(envelope(M1, 'state', { state: 'DOWN' }), envelope(M1, 'scan', { code: 'X' }));
    const resumed = listen(admin.token, {
      machineIds: [machines.m1],
      kinds: ['state'],
      lastEventId: resumeFrom,
    });
    await resumed.ready();
    await until(() => resumed.received.length >= 1, 'the missed state event');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(stream.received.map((e) => e.id)).toEqual([first[1]]);
    expect(resumed.received.map((e) => e.id)).toEqual([missed[0]]);
    resumed.close();
  });
});
