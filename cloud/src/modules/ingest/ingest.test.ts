import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../db/index.js';
import { type ApiClient, apiClient, signIn } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { type TestServer, useTestApp } from '../../testing/app.js';
import { auditEntries, auditMark } from '../../testing/audit-entries.js';
import { type TestDatabase, testEngines } from '../../testing/engines.js';
import { envelope } from '../../testing/events.js';
import type { createTwoTenants } from '../../testing/tenants.js';

type Tenants = Awaited<ReturnType<typeof createTwoTenants>>;
const gzipAsync = promisify(gzip);
const MAX_BODY_BYTES = 1024 * 1024;

/*
 * The ingest procedure through the real server with a real edge key — a result per
 * event, idempotent by id, confined to the key's plants, unknown machines held and released.
 */
describe.each(testEngines)('ingest ($name engine)', (engine) => {
  const app = useTestApp(engine, { maxBodyBytes: MAX_BODY_BYTES });
  let database: TestDatabase;
  let tenants: Tenants;
  let server: TestServer;
  let admin: ApiClient;
  let edge: ApiClient;
  let edgeKey: string;
  const A1 = { plant: 'A1', line: 'L1', machine: 'M1' };
  const A2 = { plant: 'A2', line: 'L1', machine: 'M1' };
  let m1: { id: string; lineId: string };

  beforeAll(async () => {
    ({ database, tenants, server, admin } = app);
    const [plantA1, plantA2] = tenants.a.plantIds as [string, string];
    const line = await admin.trpc.masterdata.lines.create.mutate({
      plantId: plantA1,
      code: 'L1',
      name: 'Line 1',
    });
    m1 = await admin.trpc.masterdata.machines.create.mutate({ lineId: line.id, code: 'M1', name: 'Press 1' });
    const lineA2 = await admin.trpc.masterdata.lines.create.mutate({
      plantId: plantA2,
      code: 'L1',
      name: 'Line 1',
    });
    await admin.trpc.masterdata.machines.create.mutate({ lineId: lineA2.id, code: 'M1', name: 'Lathe 1' });
    const key = await admin.trpc.apiKeys.create.mutate({
      name: 'A1 edge',
      scopes: ['ingest.write'],
      plantIds: [plantA1],
    });
    edgeKey = key.key;
    edge = apiClient(server.url, { apiKey: edgeKey });
  });

  /** Counts as the owner, across every plant of tenant A. */
  async function stored(table: string, eventIds: string[]): Promise<number> {
    const [row] = await database.db.ownerTransact({ tenantId: tenants.a.tenantId, plantIds: 'all' }, (tx) =>
      rows<{ n: number }>(
        tx,
        sql`select count(distinct event_id)::int as n from ${sql.identifier(table)}
            where event_id = any(${sql.param(eventIds)}::uuid[])`,
      ),
    );
    return row?.n ?? 0;
  }

  it('answers each event of a batch in order: accepted, duplicate or rejected with a reason', async () => {
    const state = envelope(A1, 'state', { state: 'RUNNING' });
    const count = envelope(A1, 'count', { good: 5, scrap: 1, product: 'P-1', order: 'O-7' });
    const scan = envelope(A1, 'scan', { code: 'LOT-42', station: 'S1', action: 'pack' });
    const telemetry = envelope(A1, 'telemetry', { values: { temp_c: 61.5, rpm: 1200 } });
    const badCount = envelope(A1, 'count', { good: 0 });
    const badId = { ...envelope(A1, 'state', { state: 'DOWN' }), id: 'not-a-uuid' };
    const { results } = await edge.trpc.ingest.push.mutate({
      events: [state, count, badCount, 42, scan, state, telemetry, badId],
    });
    expect(results.map((r) => r.status)).toEqual([
      'accepted',
      'accepted',
      'rejected',
      'rejected',
      'accepted',
      'duplicate',
      'accepted',
      'rejected',
    ]);
    expect(results[2]).toMatchObject({ id: badCount.id, reason: expect.stringContaining('good or scrap') });
    expect(results[3]).toMatchObject({ id: null, reason: expect.any(String) });
    expect(results[7]?.reason).toMatch(/^id: /);
    expect(await stored('machine_state_events', [state.id])).toBe(1);
    expect(await stored('production_counts', [count.id, badCount.id])).toBe(1);
    expect(await stored('qr_code_scans', [scan.id])).toBe(1);
    expect(await stored('sensor_readings', [telemetry.id])).toBe(1);

    const again = await edge.trpc.ingest.push.mutate({ events: [state, count, scan, telemetry] });
    expect(again.results.map((r) => r.status)).toEqual(['duplicate', 'duplicate', 'duplicate', 'duplicate']);
    const [row] = await database.db.ownerTransact({ tenantId: tenants.a.tenantId, plantIds: 'all' }, (tx) =>
      rows<{ n: number; good: number; scrap: number; product: string }>(
        tx,
        sql`select count(*)::int as n, sum(good)::int as good, sum(scrap)::int as scrap, min(product_code) as product
            from production_counts where event_id = ${count.id}`,
      ),
    );
    expect(row).toEqual({ n: 1, good: 5, scrap: 1, product: 'P-1' });
  });

  it("keeps a device's out-of-bound time beside the event time", async () => {
    const skewed = { ...envelope(A1, 'state', { state: 'RUNNING' }), deviceTs: '1970-01-01T00:00:00.000Z' };
    const plain = envelope(A1, 'state', { state: 'IDLE' });
    const { results } = await edge.trpc.ingest.push.mutate({ events: [skewed, plain] });
    expect(results.map((r) => r.status)).toEqual(['accepted', 'accepted']);
    const found = await database.db.ownerTransact({ tenantId: tenants.a.tenantId, plantIds: 'all' }, (tx) =>
      rows<{ event_id: string; device_time: Date | string | null }>(
        tx,
        sql`select event_id, device_time from machine_state_events
            where event_id = any(${sql.param([skewed.id, plain.id])}::uuid[]) order by event_id`,
      ),
    );
    expect(found.map((r) => (r.device_time === null ? null : new Date(r.device_time).getTime()))).toEqual([
      0,
      null,
    ]);
  });

  it('rejects a poison event on its own and stores every event around it', async () => {
    const poison = [
      { ...envelope(A1, 'state', { state: 'RUNNING' }), ts: '0000-01-01T00:00:00Z' },
      { ...envelope(A1, 'state', { state: 'RUNNING' }), deviceTs: '0000-01-01T00:00:00.000Z' },
      envelope(A1, 'state', { state: 'DOWN', reason: 'JAM\u0000' }),
      envelope(A1, 'count', { good: 1, product: 'P\u0000' }),
      envelope(A1, 'scan', { code: 'LOT\u00001' }),
      // Year 10000 in UTC: it would stay on top of the newest events for good.
      { ...envelope(A1, 'state', { state: 'RUNNING' }), ts: '9999-12-31T23:59:59-05:00' },
      // Held events (unknown machine) pass the same checks.
      { ...envelope({ ...A1, machine: 'M8' }, 'state', { state: 'IDLE' }), ts: '0000-01-01T00:00:00Z' },
    ];
    const valid = [envelope(A1, 'state', { state: 'RUNNING' }), envelope(A1, 'count', { good: 3 })];
    const { results } = await edge.trpc.ingest.push.mutate({ events: [valid[0], ...poison, valid[1]] });
    expect(results.map((r) => r.status)).toEqual(['accepted', ...poison.map(() => 'rejected'), 'accepted']);
    expect(results[1]?.reason).toBe('ts: must lie in the years 0001–9999 (UTC)');
    expect(results[2]?.reason).toBe('deviceTs: must lie in the years 0001–9999 (UTC)');
    expect(results[3]?.reason).toMatch(/^payload: must not contain control characters/);
    expect(results[5]?.reason).toMatch(/^payload: must not contain NUL/);
    expect(await stored('machine_state_events', [valid[0]!.id, ...poison.map((e) => e.id)])).toBe(1);
    expect(await stored('production_counts', [valid[1]!.id])).toBe(1);
    expect(await stored('unassigned_events', [poison[6]!.id])).toBe(0);
  });

  it("rejects an event more than an hour ahead of the cloud's clock, keeping one within it", async () => {
    const ahead = (ms: number) => new Date(Date.now() + ms);
    const early = envelope(A1, 'state', { state: 'RUNNING' }, ahead(2 * 3_600_000));
    const earlyReceipt = {
      ...envelope(A1, 'state', { state: 'RUNNING' }),
      receivedAt: ahead(2 * 3_600_000).toISOString(),
    };
    const earlyHeld = envelope({ ...A1, machine: 'M8' }, 'count', { good: 1 }, ahead(2 * 3_600_000));
    const skewed = envelope(A1, 'state', { state: 'IDLE' }, ahead(10 * 60_000));
    const { results } = await edge.trpc.ingest.push.mutate({
      events: [early, earlyReceipt, earlyHeld, skewed],
    });
    expect(results).toEqual([
      { id: early.id, status: 'rejected', reason: "ts is more than 1 hour ahead of the cloud's clock" },
      {
        id: earlyReceipt.id,
        status: 'rejected',
        reason: "receivedAt is more than 1 hour ahead of the cloud's clock",
      },
      { id: earlyHeld.id, status: 'rejected', reason: "ts is more than 1 hour ahead of the cloud's clock" },
      { id: skewed.id, status: 'accepted' },
    ]);
    expect(await stored('machine_state_events', [early.id, earlyReceipt.id, skewed.id])).toBe(1);
    expect(await stored('unassigned_events', [earlyHeld.id])).toBe(0);
  });

  it('rejects only the row the database refuses, whatever passed the contract', async () => {
    // A scan code the contract allows (4096 characters) that no B-tree index entry can hold: random
    // CJK text does not compress below PostgreSQL's limit of 2704 bytes per entry (SQLSTATE 54000).
    const huge = Array.from({ length: 4096 }, () =>
      String.fromCodePoint(0x4e00 + Math.floor(Math.random() * 20_000)),
    ).join('');
    const refused = envelope(A1, 'scan', { code: huge });
    const around = [
      envelope(A1, 'scan', { code: 'LOT-7' }),
      envelope(A1, 'scan', { code: 'LOT-8' }),
      envelope(A1, 'state', { state: 'RUNNING' }),
    ];
    const { results } = await edge.trpc.ingest.push.mutate({
      events: [around[0], refused, around[1], around[2]],
    });
    expect(results.map((r) => r.status)).toEqual(['accepted', 'rejected', 'accepted', 'accepted']);
    expect(results[1]?.reason).toMatch(/^the database refused it: .*index row/);
    expect(await stored('qr_code_scans', [refused.id, around[0]!.id, around[1]!.id])).toBe(2);
    expect(await stored('machine_state_events', [around[2]!.id])).toBe(1);
    // The transaction went on: the batch's commit holds the stored events, in input order.
    const again = await edge.trpc.ingest.push.mutate({ events: [...around, refused] });
    expect(again.results.map((r) => r.status)).toEqual(['duplicate', 'duplicate', 'duplicate', 'rejected']);
  });

  it('is idempotent by event id within a kind and time: the documented meaning', async () => {
    const first = envelope(A1, 'count', { good: 1 });
    const later = new Date(Date.parse(first.ts) + 1000).toISOString();
    // The same id twice in one batch: the first is stored, whatever the second says.
    const inBatch = await edge.trpc.ingest.push.mutate({
      events: [first, { ...first, ts: later }, { ...first, kind: 'state', payload: { state: 'DOWN' } }],
    });
    expect(inBatch.results.map((r) => r.status)).toEqual(['accepted', 'duplicate', 'duplicate']);
    // A resend of the same envelope, as the edge resends, in a later batch.
    expect((await edge.trpc.ingest.push.mutate({ events: [first] })).results[0]?.status).toBe('duplicate');
    // A different envelope reusing the id with another time (or kind) in a later batch is stored too:
    // the id is unique per tenant, kind and time, not per tenant (docs/device-integration.md,
    // "Idempotent by event id").
    const reused = await edge.trpc.ingest.push.mutate({ events: [{ ...first, ts: later }] });
    expect(reused.results[0]?.status).toBe('accepted');
    // Telemetry is unique per value name too: a reused id adds the names it did not have.
    const reading = envelope(A1, 'telemetry', { values: { temp_c: 60 } });
    const push = async (values: Record<string, number>) =>
      (await edge.trpc.ingest.push.mutate({ events: [{ ...reading, payload: { values } }] })).results[0]
        ?.status;
    expect([
      await push({ temp_c: 60 }),
      await push({ temp_c: 61 }),
      await push({ temp_c: 62, rpm: 5 }),
    ]).toEqual(['accepted', 'duplicate', 'accepted']);
  });

  it("rejects events for plants outside the key's plants, storing nothing of them", async () => {
    const foreign = [envelope(A2, 'state', { state: 'RUNNING' }), envelope(A2, 'count', { good: 1 })];
    const unknown = envelope({ ...A1, plant: 'NOPE' }, 'state', { state: 'RUNNING' });
    const own = envelope(A1, 'state', { state: 'IDLE' });
    const { results } = await edge.trpc.ingest.push.mutate({ events: [...foreign, unknown, own] });
    expect(results).toEqual([
      { id: foreign[0]!.id, status: 'rejected', reason: "plant A2 is not in this API key's plants" },
      { id: foreign[1]!.id, status: 'rejected', reason: "plant A2 is not in this API key's plants" },
      { id: unknown.id, status: 'rejected', reason: "plant NOPE is not in this API key's plants" },
      { id: own.id, status: 'accepted' },
    ]);
    expect(await stored('machine_state_events', [foreign[0]!.id])).toBe(0);
    expect(await stored('production_counts', [foreign[1]!.id])).toBe(0);
    expect(
      await stored(
        'unassigned_events',
        foreign.map((e) => e.id),
      ),
    ).toBe(0);
  });

  it('refuses keys without ingest.write and batches over the limit', async () => {
    const reader = await admin.trpc.apiKeys.create.mutate({
      name: 'reader',
      scopes: ['events.read'],
      plantIds: [tenants.a.plantIds[0]!],
    });
    const client = apiClient(server.url, { apiKey: reader.key });
    await expectApiError(client.trpc.ingest.push.mutate({ events: [{}] }), 'FORBIDDEN');
    await expectApiError(edge.trpc.ingest.push.mutate({ events: [] }), 'BAD_REQUEST');
  });

  it('holds events of an unknown machine and releases them once the machine exists', async () => {
    const address = { plant: 'A1', line: 'L1', machine: 'M9' };
    const held = [
      envelope(address, 'state', { state: 'DOWN', reason: 'JAM' }),
      envelope(address, 'count', { good: 2 }),
    ];
    const { results } = await edge.trpc.ingest.push.mutate({ events: held });
    expect(results.map((r) => r.status)).toEqual(['accepted', 'accepted']);
    expect(results[0]?.reason).toMatch(/held as unassigned: machine A1\/L1\/M9 is not in master data/);
    expect((await edge.trpc.ingest.push.mutate({ events: held })).results.map((r) => r.status)).toEqual([
      'duplicate',
      'duplicate',
    ]);

    const listed = await admin.trpc.ingest.unassigned.query({});
    expect(listed.total).toBe(2);
    expect(listed.items.map((i) => i.eventId).sort()).toEqual(held.map((e) => e.id).sort());
    expect(listed.items[0]).toMatchObject({
      plantId: tenants.a.plantIds[0],
      lineCode: 'L1',
      machineCode: 'M9',
    });
    await expectApiError(edge.trpc.ingest.unassigned.query({}), 'FORBIDDEN');

    const m9 = await admin.trpc.masterdata.machines.create.mutate({
      lineId: m1.lineId,
      code: 'M9',
      name: 'New',
    });
    const mark = await auditMark(database.db, tenants.a.tenantId);
    const released = await admin.trpc.ingest.releaseUnassigned.mutate({ machineId: m9.id });
    expect(released).toMatchObject({ released: 2, stillHeld: 0 });
    // A person assigned the held data to the machine: that is audited, unlike the edge's pushes.
    expect(await auditEntries(database.db, tenants.a.tenantId, mark)).toEqual([
      expect.objectContaining({
        action: 'machine.release-held-events',
        entityType: 'machine',
        entityId: m9.id,
        entityLabel: 'M9',
        plantId: tenants.a.plantIds[0],
        actorKind: 'user',
        actorName: 'Admin A',
        newValues: { line: 'L1', released: 2, stillHeld: 0, commitSeq: expect.any(Number) },
      }),
    ]);
    expect(await stored('machine_state_events', [held[0]!.id])).toBe(1);
    expect(await stored('production_counts', [held[1]!.id])).toBe(1);
    expect((await admin.trpc.ingest.unassigned.query({})).total).toBe(0);
    // The cache was dropped when the machine was added: new events go straight in.
    const next = envelope(address, 'state', { state: 'RUNNING' });
    const beforePush = await auditMark(database.db, tenants.a.tenantId);
    expect(
      (await edge.trpc.ingest.push.mutate({ events: [next, ...held] })).results.map((r) => r.status),
    ).toEqual(['accepted', 'duplicate', 'duplicate']);
    expect(await auditMark(database.db, tenants.a.tenantId)).toBe(beforePush);
  });

  it("answers NOT_FOUND for master data of another tenant or outside the caller's plants", async () => {
    const other = await signIn(server.url, tenants.b.adminEmail);
    await expectApiError(
      other.trpc.masterdata.machines.create.mutate({ lineId: m1.lineId, code: 'X1', name: 'x' }),
      'NOT_FOUND',
    );
    await expectApiError(
      other.trpc.masterdata.lines.create.mutate({ plantId: tenants.a.plantIds[0]!, code: 'X1', name: 'x' }),
      'NOT_FOUND',
    );
    await expectApiError(other.trpc.ingest.releaseUnassigned.mutate({ machineId: m1.id }), 'NOT_FOUND');
    expect(await other.trpc.masterdata.machines.list.query({})).toEqual([]);
    await expectApiError(
      admin.trpc.masterdata.machines.create.mutate({ lineId: m1.lineId, code: 'M1', name: 'again' }),
      'CONFLICT',
    );
    await expectApiError(
      admin.trpc.masterdata.lines.create.mutate({ plantId: tenants.a.plantIds[0]!, code: 'L 1', name: 'x' }),
      'BAD_REQUEST',
    );
  });

  it('accepts gzip-compressed batches and holds the decompressed size to the body limit', async () => {
    const events = [envelope(A1, 'state', { state: 'RUNNING' }), envelope(A1, 'count', { good: 1 })];
    const post = (body: Buffer) =>
      fetch(`${server.url}/trpc/ingest.push`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-encoding': 'gzip',
          authorization: `Bearer ${edgeKey}`,
        },
        body,
      });
    const response = await post(await gzipAsync(JSON.stringify({ events })));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { result: { data: { results: { status: string }[] } } };
    expect(body.result.data.results.map((r) => r.status)).toEqual(['accepted', 'accepted']);

    const bomb = await gzipAsync(`{"events": [${' '.repeat(MAX_BODY_BYTES * 2)}1]}`);
    expect(bomb.length).toBeLessThan(MAX_BODY_BYTES);
    expect((await post(bomb)).status).toBe(413);
    expect((await post(Buffer.from('not gzip'))).status).toBe(400);
  });

  it('stores events in hypertables where TimescaleDB exists, and in plain tables elsewhere', async () => {
    const found = await database.db.ownerTransact(null, async (tx) => {
      const [ts] = await rows<{ has: boolean }>(tx, sql`select plantline.has_timescaledb() as has`);
      const hypertables = ts?.has
        ? await rows<{ name: string }>(
            tx,
            sql`select hypertable_name as name from timescaledb_information.hypertables order by 1`,
          )
        : [];
      const kinds = await rows<{ relname: string; relkind: string }>(
        tx,
        sql`select relname, relkind::text from pg_class where relname in
            ('machine_state_events', 'production_counts', 'qr_code_scans', 'sensor_readings') order by 1`,
      );
      return { timescaledb: ts?.has ?? false, hypertables: hypertables.map((h) => h.name), kinds };
    });
    const names = ['machine_state_events', 'production_counts', 'qr_code_scans', 'sensor_readings'];
    if (engine.name === 'embedded') {
      expect(found.timescaledb).toBe(true);
      expect(found.hypertables).toEqual(names);
    } else {
      expect(found.timescaledb).toBe(false);
      expect(found.kinds).toEqual(names.map((relname) => ({ relname, relkind: 'r' })));
    }
  });
});
