import { tables } from '@plantline/schema';
import { and, asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, rows, type Sql } from '../../db/index.js';
import type { Scope } from '../../platform/index.js';
import { type TestDatabase, testEngines, testLog } from '../../testing/engines.js';
import { createTwoTenants } from '../../testing/tenants.js';
import { previewNumber, takeNumber } from './numbering.js';
import { numberingRouter } from './numbering.router.js';
import { createSequence, listSequences, retireSequence, updateSequence } from './numbering-schemes.js';

type Tenants = Awaited<ReturnType<typeof createTwoTenants>>;

const nov25 = new Date('2026-11-25T10:00:00Z');

/*
 * Document numbering (docs/configuration.md, "Numbering") on a real engine, as the application role
 * under row-level security: gap-free and unique numbers under concurrency, a rollback returning its
 * number, counters per plant and period, the change history of definitions, and tenant and plant
 * isolation of counters.
 */
describe.each(testEngines)('numbering ($name engine)', (engine) => {
  let database: TestDatabase;
  let db: Database;
  let tenants: Tenants;
  let scopeA: Scope;
  let scopeB: Scope;
  let actorA: Scope;
  let plantA1: string;
  let plantA2: string;

  const asA = <T>(work: (tx: Sql) => Promise<T>) => db.transact(scopeA, work);
  const take = (plantId: string | null, at = nov25, code = 'production_order') =>
    asA((tx) => takeNumber(tx, { tenantId: tenants.a.tenantId, code, plantId, at }));
  const changesOf = (tx: Sql, subjectId: string) =>
    tx
      .select({
        version: tables.configChanges.version,
        action: tables.configChanges.action,
        summary: tables.configChanges.summary,
        snapshot: tables.configChanges.snapshot,
        changedBy: tables.configChanges.changedBy,
      })
      .from(tables.configChanges)
      .where(eq(tables.configChanges.subjectId, subjectId))
      .orderBy(asc(tables.configChanges.version));

  beforeAll(async () => {
    database = await engine.create();
    db = database.db;
    tenants = await createTwoTenants(db);
    [plantA1, plantA2] = tenants.a.plantIds as [string, string];
    scopeA = { tenantId: tenants.a.tenantId, userId: tenants.a.adminUserId, plantIds: 'all' };
    scopeB = { tenantId: tenants.b.tenantId, userId: tenants.b.adminUserId, plantIds: 'all' };
    actorA = { tenantId: tenants.a.tenantId, userId: tenants.a.adminUserId, plantIds: 'all' };
  });

  afterAll(async () => {
    await database?.drop();
  });

  it('creates the built-in production order sequence on first use and counts from 1', async () => {
    expect([await take(plantA1), await take(plantA1), await take(plantA1)]).toEqual([
      'PO-A1-2026-00001',
      'PO-A1-2026-00002',
      'PO-A1-2026-00003',
    ]);
    const [sequence] = await asA((tx) => listSequences(tx, {}));
    expect(sequence).toMatchObject({
      code: 'production_order',
      pattern: 'PO-{plant}-{yyyy}-{seq:5}',
      version: 1,
    });
    const history = await asA((tx) => changesOf(tx, sequence!.id));
    expect(history).toEqual([
      {
        version: 1,
        action: 'create',
        summary: 'Created on first use with the built-in pattern PO-{plant}-{yyyy}-{seq:5}',
        snapshot: {
          code: 'production_order',
          name: 'Production orders',
          pattern: 'PO-{plant}-{yyyy}-{seq:5}',
          isActive: true,
        },
        changedBy: null,
      },
    ]);
  });

  it('counts per plant and starts at 1 in a new year, keeping the old year’s counter', async () => {
    expect(await take(plantA2)).toBe('PO-A2-2026-00001');
    expect(await take(plantA1, new Date('2027-01-02T08:00:00Z'))).toBe('PO-A1-2027-00001');
    expect(await take(plantA1, new Date('2027-03-02T08:00:00Z'))).toBe('PO-A1-2027-00002');
    expect(await take(plantA1)).toBe('PO-A1-2026-00004');
  });

  it('takes the period from the plant’s local date, and from UTC for tenant-wide numbers', async () => {
    const [b1, b2] = tenants.b.plantIds as [string, string];
    await db.ownerTransact(scopeB, (tx) =>
      tx.update(tables.plants).set({ timezone: 'Pacific/Auckland' }).where(eq(tables.plants.id, b2)),
    );
    // 12:00 UTC on New Year's Eve is already 01:00 on New Year's Day in Auckland.
    const newYearsEve = new Date('2026-12-31T12:00:00Z');
    const takeB = (code: string, plantId: string | null) =>
      db.transact(scopeB, (tx) =>
        takeNumber(tx, { tenantId: tenants.b.tenantId, code, plantId, at: newYearsEve }),
      );
    expect(await takeB('production_order', b1)).toBe('PO-B1-2026-00001');
    expect(await takeB('production_order', b2)).toBe('PO-B2-2027-00001');
    await db.transact(scopeB, (tx) =>
      createSequence(
        tx,
        { tenantId: tenants.b.tenantId, userId: null, plantIds: 'all' },
        { code: 'shipment', name: 'Shipments', pattern: 'SH-{yyyy}{mm}{dd}-{seq:3}' },
      ),
    );
    expect(await takeB('shipment', b2)).toBe('SH-20261231-001');
    expect(await takeB('shipment', null)).toBe('SH-20261231-002');
  });

  it('hands a rolled-back number to the next taker', async () => {
    const failed = asA(async (tx) => {
      const number = await takeNumber(tx, {
        tenantId: tenants.a.tenantId,
        code: 'production_order',
        plantId: plantA2,
        at: nov25,
      });
      expect(number).toBe('PO-A2-2026-00002');
      throw new Error('the document could not be saved');
    });
    await expect(failed).rejects.toThrow('the document could not be saved');
    expect(await take(plantA2)).toBe('PO-A2-2026-00002');
  });

  it('hands the number of a transaction that rolls back to a taker waiting for it', async () => {
    let taken: () => void = () => {};
    const firstHasTaken = new Promise<void>((resolve) => {
      taken = resolve;
    });
    const first = asA(async (tx) => {
      const number = await takeNumber(tx, {
        tenantId: tenants.a.tenantId,
        code: 'production_order',
        plantId: plantA2,
        at: nov25,
      });
      taken();
      // The second taker is now waiting for this transaction's row lock (on the server engine).
      await tx.execute(sql`select pg_sleep(0.05)`);
      throw new Error(`${number} was not saved`);
    });
    await firstHasTaken;
    const second = take(plantA2);
    await expect(first).rejects.toThrow('PO-A2-2026-00003 was not saved');
    expect(await second).toBe('PO-A2-2026-00003');
  });

  it('gives 20 concurrent transactions exactly the numbers 1 to 20', async () => {
    await asA((tx) =>
      createSequence(tx, actorA, { code: 'lot', name: 'Lots', pattern: 'LOT-{plant}-{yy}-{seq:4}' }),
    );
    const started = performance.now();
    const numbers = await Promise.all(
      Array.from({ length: 20 }, () =>
        asA(async (tx) => {
          const number = await takeNumber(tx, {
            tenantId: tenants.a.tenantId,
            code: 'lot',
            plantId: plantA1,
            at: nov25,
          });
          // Hold the counter's row lock a moment, as a document insert after the number would.
          await tx.execute(sql`select pg_sleep(0.005)`);
          return number;
        }),
      ),
    );
    const elapsed = performance.now() - started;
    testLog.info({ engine: engine.name, elapsedMs: Math.round(elapsed) }, '20 concurrent numbers taken');
    expect([...numbers].sort()).toEqual(
      Array.from({ length: 20 }, (_, i) => `LOT-A1-26-${String(i + 1).padStart(4, '0')}`),
    );
  });

  it('creates a built-in sequence once when its first takers race', async () => {
    // A tenant that has never numbered an order: every taker finds no sequence and inserts it.
    const other = await createTwoTenants(db);
    const scope: Scope = { tenantId: other.a.tenantId, userId: null, plantIds: 'all' };
    const numbers = await Promise.all(
      Array.from({ length: 8 }, () =>
        db.transact(scope, (tx) =>
          takeNumber(tx, {
            tenantId: other.a.tenantId,
            code: 'production_order',
            plantId: other.a.plantIds[0]!,
            at: nov25,
          }),
        ),
      ),
    );
    expect([...numbers].sort()).toEqual(Array.from({ length: 8 }, (_, i) => `PO-A1-2026-0000${i + 1}`));
    const sequences = await db.transact(scope, (tx) => listSequences(tx, {}));
    expect(sequences.map((s) => s.code)).toEqual(['production_order']);
    expect(await db.transact(scope, (tx) => changesOf(tx, sequences[0]!.id))).toHaveLength(1);
  });

  it('refuses an unknown sequence, a retired one, and a per-plant pattern without a plant', async () => {
    await expect(take(plantA1, nov25, 'deviation')).rejects.toMatchObject({
      code: 'not_found',
      message: 'No numbering sequence deviation; define it under numbering first',
    });
    const deviation = await asA((tx) =>
      createSequence(tx, actorA, { code: 'deviation', name: 'Deviations', pattern: 'DEV-{plant}-{seq:3}' }),
    );
    expect(await take(plantA1, nov25, 'deviation')).toBe('DEV-A1-001');
    await expect(take(null, nov25, 'deviation')).rejects.toMatchObject({
      code: 'invalid',
      message: 'Numbers of deviation are counted per plant; name the plant',
      fieldErrors: { plantId: 'Required' },
    });
    await asA((tx) => retireSequence(tx, actorA, { id: deviation.id }));
    await expect(take(plantA1, nov25, 'deviation')).rejects.toMatchObject({
      code: 'conflict',
      message: 'The numbering sequence deviation is retired and hands out no numbers',
    });
  });

  it('validates definitions with field errors', async () => {
    const create = (code: string, pattern: string) =>
      asA((tx) => createSequence(tx, actorA, { code, name: 'Test', pattern }));
    await expect(create('t1', 'T-{week}-{seq}')).rejects.toMatchObject({
      code: 'invalid',
      fieldErrors: { pattern: 'Unknown placeholder {week}; use {plant}, {yyyy}, {yy}, {mm}, {dd}, {seq:N}' },
    });
    await expect(create('t1', 'T-{yyyy}')).rejects.toMatchObject({
      fieldErrors: { pattern: 'The pattern needs exactly one {seq} or {seq:N}' },
    });
    await expect(create('t1', 'T-{mm}-{seq}')).rejects.toMatchObject({
      fieldErrors: {
        pattern: 'A pattern with {mm} also needs {yyyy} or {yy}, or its numbers repeat every year',
      },
    });
    await expect(create('t1', 'T-{yyyy}-{dd}-{seq}')).rejects.toMatchObject({
      fieldErrors: {
        pattern: 'A pattern with {dd} also needs {mm} and {yyyy} or {yy}, or its numbers repeat',
      },
    });
    await expect(create('lot', 'T-{seq}')).rejects.toMatchObject({
      code: 'conflict',
      fieldErrors: { code: 'Already in use' },
    });
  });

  it('versions every change in the history and keeps counters across a pattern change', async () => {
    const wo = await asA((tx) =>
      createSequence(tx, actorA, { code: 'work_order', name: 'Work orders', pattern: 'WO-{yyyy}-{seq:3}' }),
    );
    expect(await take(null, nov25, 'work_order')).toBe('WO-2026-001');
    const widened = await asA((tx) =>
      updateSequence(tx, actorA, { id: wo.id, version: 1, patch: { pattern: 'WO/{yyyy}/{seq:5}' } }),
    );
    expect(widened.version).toBe(2);
    // Same reset period: the counter continues.
    expect(await take(null, nov25, 'work_order')).toBe('WO/2026/00002');
    await asA((tx) =>
      updateSequence(tx, actorA, {
        id: wo.id,
        patch: { name: 'Maintenance orders', pattern: 'WO/{yyyy}{mm}/{seq:5}' },
      }),
    );
    // A monthly pattern starts new monthly periods.
    expect(await take(null, nov25, 'work_order')).toBe('WO/202611/00001');
    await expect(
      asA((tx) => updateSequence(tx, actorA, { id: wo.id, version: 2, patch: { name: 'Stale' } })),
    ).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('changed meanwhile (now version 3)'),
    });
    const unchanged = await asA((tx) =>
      updateSequence(tx, actorA, { id: wo.id, patch: { name: 'Maintenance orders' } }),
    );
    expect(unchanged.version).toBe(3);
    await asA((tx) => retireSequence(tx, actorA, { id: wo.id, version: 3 }));
    await asA((tx) => updateSequence(tx, actorA, { id: wo.id, patch: { isActive: true } }));

    const history = await asA((tx) => changesOf(tx, wo.id));
    expect(history.map((h) => [h.version, h.action, h.summary])).toEqual([
      [1, 'create', 'Created with pattern WO-{yyyy}-{seq:3}; numbers restart every year'],
      [2, 'update', 'Pattern WO-{yyyy}-{seq:3} → WO/{yyyy}/{seq:5}'],
      [
        3,
        'update',
        'Name Work orders → Maintenance orders; pattern WO/{yyyy}/{seq:5} → WO/{yyyy}{mm}/{seq:5}; numbers now restart every month',
      ],
      [4, 'retire', 'Retired'],
      [5, 'reactivate', 'Reactivated'],
    ]);
    expect(history[2]!.snapshot).toEqual({
      code: 'work_order',
      name: 'Maintenance orders',
      pattern: 'WO/{yyyy}{mm}/{seq:5}',
      isActive: true,
    });
    expect(new Set(history.map((h) => h.changedBy))).toEqual(new Set([tenants.a.adminUserId]));
    expect((await asA((tx) => listSequences(tx, {}))).find((s) => s.id === wo.id)?.version).toBe(5);
  });

  it('previews the next number without taking it', async () => {
    const preview = await asA((tx) =>
      previewNumber(tx, { code: 'production_order', plantId: plantA1, at: nov25 }),
    );
    expect(preview).toEqual({
      number: 'PO-A1-2026-00005',
      seq: 5,
      period: '2026',
      reset: 'year',
      perPlant: true,
    });
    expect(
      (await asA((tx) => previewNumber(tx, { code: 'production_order', plantId: plantA1, at: nov25 })))
        .number,
    ).toBe('PO-A1-2026-00005');
    // A pattern being edited is shown with the sequence's counters.
    expect(
      (
        await asA((tx) =>
          previewNumber(tx, {
            code: 'production_order',
            pattern: 'ORD-{plant}-{yy}-{seq:6}',
            plantId: plantA1,
            at: nov25,
          }),
        )
      ).number,
    ).toBe('ORD-A1-26-000005');
    expect((await asA((tx) => previewNumber(tx, { pattern: 'X-{seq:2}' }))).number).toBe('X-01');
    await expect(asA((tx) => previewNumber(tx, { pattern: 'X-{seq:2}-{seq}' }))).rejects.toMatchObject({
      fieldErrors: { pattern: 'The pattern needs exactly one {seq} or {seq:N}' },
    });
    // Count events carry order numbers in a 64-character label.
    await expect(
      asA((tx) => previewNumber(tx, { pattern: `${'A'.repeat(50)}-{yyyy}-{seq:9}`, at: nov25 })),
    ).rejects.toMatchObject({ code: 'invalid', fieldErrors: { pattern: 'Longer than 64 characters' } });
    expect(await take(plantA1)).toBe('PO-A1-2026-00005');
  });

  it('keeps each tenant’s sequences and counters to itself, even to the application role directly', async () => {
    const codesB = await db.transact(scopeB, (tx) => listSequences(tx, { includeInactive: true }));
    expect(codesB.map((s) => s.code).sort()).toEqual(['production_order', 'shipment']);
    const seenByB = await db.transact(scopeB, (tx) =>
      rows<{ tenant_id: string }>(tx, sql`select tenant_id from numbering_counters`),
    );
    expect(seenByB.length).toBeGreaterThan(0);
    expect(seenByB.every((r) => r.tenant_id === tenants.b.tenantId)).toBe(true);

    const [sequenceA] = await asA((tx) =>
      tx
        .select({ id: tables.numberingSequences.id })
        .from(tables.numberingSequences)
        .where(eq(tables.numberingSequences.code, 'production_order')),
    );
    // B, naming A's tenant and sequence in the very statement takeNumber runs, is refused.
    const advanceAsB = db.transact(scopeB, (tx) =>
      tx.execute(sql`insert into numbering_counters (tenant_id, sequence_id, plant_id, period, last_value)
        values (${tenants.a.tenantId}, ${sequenceA!.id}, ${plantA1}, '2026', 1)
        on conflict (tenant_id, sequence_id, plant_id, period)
        do update set last_value = numbering_counters.last_value + 1`),
    );
    // 42501: the new row violates the row-level security policy.
    await expect(advanceAsB).rejects.toMatchObject({ cause: { code: '42501' } });
    const bumpAsB = await db.transact(scopeB, (tx) =>
      rows(
        tx,
        sql`update numbering_counters set last_value = last_value + 100 where tenant_id = ${tenants.a.tenantId} returning 1`,
      ),
    );
    expect(bumpAsB).toEqual([]);
    // B's takeNumber with A's plant finds no such plant.
    await expect(
      db.transact(scopeB, (tx) =>
        takeNumber(tx, {
          tenantId: tenants.b.tenantId,
          code: 'production_order',
          plantId: plantA1,
          at: nov25,
        }),
      ),
    ).rejects.toMatchObject({ code: 'not_found', message: 'Plant not found' });
    expect(await take(plantA1)).toBe('PO-A1-2026-00006');
  });

  it('hides another plant’s counters from a user without access to that plant', async () => {
    const onlyA1: Scope = { tenantId: tenants.a.tenantId, userId: null, plantIds: [plantA1] };
    await expect(
      db.transact(onlyA1, (tx) =>
        takeNumber(tx, {
          tenantId: tenants.a.tenantId,
          code: 'production_order',
          plantId: plantA2,
          at: nov25,
        }),
      ),
    ).rejects.toMatchObject({ code: 'not_found', message: 'Plant not found' });
    const counters = await db.transact(onlyA1, (tx) =>
      tx
        .select({ plantId: tables.numberingCounters.plantId })
        .from(tables.numberingCounters)
        .where(and(eq(tables.numberingCounters.tenantId, tenants.a.tenantId))),
    );
    expect(counters.some((c) => c.plantId === plantA2)).toBe(false);
    expect(counters.some((c) => c.plantId === plantA1)).toBe(true);
    // Tenant-wide counters (no plant) stay visible to every user of the tenant.
    expect(counters.some((c) => c.plantId === null)).toBe(true);
  });
});

describe('the numbering router', () => {
  it('lets config.read list, preview and read history, and config.manage change definitions', () => {
    const procedures = numberingRouter._def.procedures as unknown as Record<
      string,
      { _def: { meta?: { access?: string } } }
    >;
    const access = Object.fromEntries(
      Object.entries(procedures).map(([path, p]) => [path, p._def.meta?.access]),
    );
    expect(access).toEqual({
      list: 'config.read',
      preview: 'config.read',
      create: 'config.manage',
      update: 'config.manage',
      retire: 'config.manage',
      history: 'config.read',
    });
  });
});
