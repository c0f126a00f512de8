import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../db/index.js';
import { type ApiClient, addUser, signIn } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { useTestApp } from '../../testing/app.js';
import { testEngines } from '../../testing/engines.js';

/*
 * The stock ledger through the API (docs/materials.md, "The ledger"): a balance at any instant is the
 * sum of the movements dated up to it — checked against a hand-kept list at many instants, across
 * back-dated movements and reversals — negative stock is refused now and at every later instant,
 * concurrent issues serialize, and the database itself refuses to rewrite a movement.
 */
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe.each(testEngines)('the stock ledger ($name engine)', (engine) => {
  const app = useTestApp(engine);
  const s = {} as {
    plantA: string;
    plantB: string;
    resin: string;
    bolt: string;
    warehouse: string;
    bin: string;
    floor: string;
    warehouseB: string;
    lot1: string;
    lot2: string;
  };
  const inventory = () => app.admin.trpc.inventory;

  beforeAll(async () => {
    const { materials } = app.admin.trpc;
    [s.plantA, s.plantB] = app.tenants.a.plantIds as [string, string];
    await materials.units.create.mutate({ code: 'kg', name: 'Kilogram', dimension: 'mass' });
    await materials.units.create.mutate({ code: 'pcs', name: 'Pieces', dimension: 'count' });
    s.resin = (
      await materials.create.mutate({
        code: 'RES-1',
        name: 'Resin',
        kind: 'raw',
        baseUnit: 'kg',
        lotTracked: true,
      })
    ).id;
    s.bolt = (await materials.create.mutate({ code: 'BOLT', name: 'Bolt', kind: 'raw', baseUnit: 'pcs' })).id;
    const location = (plantId: string, code: string, kind: 'warehouse' | 'bin' | 'production', more = {}) =>
      materials.locations.create.mutate({ plantId, code, name: code, kind, ...more }).then((l) => l.id);
    s.warehouse = await location(s.plantA, 'WH', 'warehouse');
    s.bin = await location(s.plantA, 'WH-01', 'bin', { parentId: s.warehouse });
    s.floor = await location(s.plantA, 'FLOOR', 'production', { allowNegative: true });
    s.warehouseB = await location(s.plantB, 'WH', 'warehouse');
    const lot = (lotCode: string) =>
      materials.lots.create.mutate({ plantId: s.plantA, materialId: s.resin, lotCode }).then((l) => l.id);
    s.lot1 = await lot('L1');
    s.lot2 = await lot('L2');
  });

  it('keeps every balance equal to the sum of the movements dated up to it, at any instant', async () => {
    const start = Date.UTC(2026, 0, 10) + 0 * DAY;
    const at = (offset: number) => new Date(start + offset);
    const hand: { time: number; locationId: string; quantity: number }[] = [];
    const resin = { materialId: s.resin, lotId: s.lot1 };
    const receive = async (quantity: number, time: number, locationId = s.warehouse) => {
      await inventory().receive.mutate({ ...resin, locationId, quantity, time: at(time) });
      hand.push({ time: start + time, locationId, quantity });
    };
    await receive(100, 1 * HOUR);
    await receive(50, 2 * DAY + 3 * HOUR);
    const [issued] = await inventory().issue.mutate({
      ...resin,
      locationId: s.warehouse,
      quantity: 30,
      time: at(3 * DAY),
    });
    hand.push({ time: start + 3 * DAY, locationId: s.warehouse, quantity: -30 });
    // Booked after the fact, a minute before midnight: it lands in its own day's bucket.
    await receive(20, DAY + 23 * HOUR + 59 * 60_000);
    await inventory().transfer.mutate({
      ...resin,
      locationId: s.warehouse,
      toLocationId: s.bin,
      quantity: 10,
      time: at(3 * DAY + HOUR),
    });
    hand.push({ time: start + 3 * DAY + HOUR, locationId: s.warehouse, quantity: -10 });
    hand.push({ time: start + 3 * DAY + HOUR, locationId: s.bin, quantity: 10 });
    await inventory().reverse.mutate({ movementId: issued!.id, note: 'Issued to the wrong order' });
    hand.push({ time: start + 3 * DAY, locationId: s.warehouse, quantity: 30 });
    await inventory().adjust.mutate({
      ...resin,
      locationId: s.bin,
      quantity: -4,
      time: at(4 * DAY),
      note: 'Counted',
    });
    hand.push({ time: start + 4 * DAY, locationId: s.bin, quantity: -4 });

    const instants = new Set<number>([start - 1, start, start + 5 * DAY, Date.now()]);
    for (const { time } of hand) for (const d of [-1, 0, 1]) instants.add(time + d);
    for (let day = 0; day <= 5; day += 1) for (const d of [-1, 0, 1]) instants.add(start + day * DAY + d);
    for (const instant of instants) {
      const expected = new Map<string, number>();
      for (const m of hand)
        if (m.time <= instant) expected.set(m.locationId, (expected.get(m.locationId) ?? 0) + m.quantity);
      const balances = await inventory().balances.query({ lotId: s.lot1, at: new Date(instant) });
      const seen = new Map(balances.map((b) => [b.locationId, Number(b.quantity)]));
      const nonZero = new Map([...expected].filter(([, q]) => q !== 0));
      expect(seen, new Date(instant).toISOString()).toEqual(nonZero);
    }
    const now = await inventory().balances.query({ lotId: s.lot1 });
    expect(now.map((b) => [b.locationCode, b.lotCode, b.quantity])).toEqual([
      ['WH', 'L1', '160'],
      ['WH-01', 'L1', '6'],
    ]);
  });

  it('refuses stock below zero now and at any later instant, except where a location allows it', async () => {
    const now = Date.now();
    const bolt = { materialId: s.bolt, locationId: s.warehouse };
    await inventory().receive.mutate({ ...bolt, quantity: 10, time: new Date(now - 2 * DAY) });
    await inventory().issue.mutate({ ...bolt, quantity: 8, time: new Date(now - DAY) });
    // Ten were there two days ago, but taking five then would leave minus three after yesterday's issue.
    await expectApiError(
      inventory().issue.mutate({ ...bolt, quantity: 5, time: new Date(now - 2 * DAY + HOUR) }),
      'BAD_REQUEST',
      'Not enough BOLT at WH: 2 available, 5 asked',
    );
    await expectApiError(
      inventory().issue.mutate({ ...bolt, quantity: 3 }),
      'BAD_REQUEST',
      /Not enough BOLT/,
    );
    await inventory().issue.mutate({ ...bolt, quantity: 2 });
    expect(await inventory().balances.query({ materialId: s.bolt })).toEqual([]);
    await inventory().issue.mutate({ materialId: s.bolt, locationId: s.floor, quantity: 5 });
    const [floor] = await inventory().balances.query({ materialId: s.bolt });
    expect(floor).toMatchObject({ locationCode: 'FLOOR', quantity: '-5' });
  });

  it('reverses a movement, with its whole group, once', async () => {
    const resin = { materialId: s.resin, lotId: s.lot2 };
    await inventory().receive.mutate({ ...resin, locationId: s.warehouse, quantity: 5 });
    const moved = await inventory().transfer.mutate({
      ...resin,
      locationId: s.warehouse,
      toLocationId: s.bin,
      quantity: 2,
    });
    expect(moved.map((m) => [m.kind, m.quantity])).toEqual([
      ['transfer_out', '-2'],
      ['transfer_in', '2'],
    ]);
    expect(moved[0]!.groupId).toBe(moved[1]!.groupId);
    const reversed = await inventory().reverse.mutate({ movementId: moved[1]!.id, note: 'Wrong bin' });
    expect(reversed.map((r) => [r.kind, r.quantity, r.reversesId])).toEqual(
      expect.arrayContaining([
        ['reversal', '2', moved[0]!.id],
        ['reversal', '-2', moved[1]!.id],
      ]),
    );
    const balances = await inventory().balances.query({ lotId: s.lot2 });
    expect(balances.map((b) => [b.locationCode, b.quantity])).toEqual([['WH', '5']]);
    await expectApiError(
      inventory().reverse.mutate({ movementId: moved[0]!.id, note: 'Again' }),
      'CONFLICT',
      'This movement is already reversed',
    );
    await expectApiError(
      inventory().reverse.mutate({ movementId: reversed[0]!.id, note: 'Undo the undo' }),
      'BAD_REQUEST',
      /cannot be reversed/,
    );
  });

  it('serializes two issues of the same stock on its balance row: one of them is refused', async () => {
    const stock = { materialId: s.bolt, locationId: s.bin };
    await inventory().receive.mutate({ ...stock, quantity: 10 });
    const outcomes = await Promise.allSettled([
      inventory().issue.mutate({ ...stock, quantity: 7 }),
      inventory().issue.mutate({ ...stock, quantity: 7 }),
    ]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    expect(String(refused.reason.message)).toBe('Not enough BOLT at WH-01: 3 available, 7 asked');
    const [left] = await inventory().balances.query({ materialId: s.bolt, locationId: s.bin });
    expect(left?.quantity).toBe('3');
  });

  it('refuses to rewrite a movement in the database, for the application role and the owner', async () => {
    await inventory().receive.mutate({ materialId: s.bolt, locationId: s.floor, quantity: 1 });
    const { db } = app.database;
    const scope = { tenantId: app.tenants.a.tenantId, userId: null, plantIds: 'all' as const };
    /** The database's own words when `work` fails, or null when it succeeds. */
    const refusal = (work: Promise<unknown>) =>
      work.then(
        () => null,
        (error: { message: string; cause?: { message: string } }) => (error.cause ?? error).message,
      );
    for (const statement of [
      sql`update inventory_movements set quantity = 1`,
      sql`delete from inventory_movements`,
      // Plain TRUNCATE stops first at the genealogy's foreign key; with CASCADE it reaches the trigger.
      sql`truncate inventory_movements`,
      sql`truncate inventory_movements cascade`,
    ]) {
      expect(await refusal(db.transact(scope, (tx) => tx.execute(statement)))).toMatch(
        /permission denied|append-only/,
      );
      expect(await refusal(db.ownerTransact(scope, (tx) => tx.execute(statement)))).toMatch(
        /append-only|referenced in a foreign key/,
      );
    }
    expect(
      await refusal(db.ownerTransact(scope, (tx) => tx.execute(sql`truncate inventory_movements cascade`))),
    ).toMatch(/append-only/);
    const [count] = await db.transact(scope, (tx) =>
      rows<{ n: number }>(tx, sql`select count(*)::int as n from inventory_movements`),
    );
    expect(count?.n).toBeGreaterThan(0);
  });

  it('shows a plant only its own stock and another tenant nothing', async () => {
    await inventory().receive.mutate({ materialId: s.bolt, locationId: s.warehouseB, quantity: 4 });
    const { roleIds } = app.tenants.a;
    const userB = await signIn(
      app.server.url,
      (await addUser(app.admin, { roleIds: [roleIds.supervisor!], plantIds: [s.plantB] })).email,
    );
    const seen = await userB.trpc.inventory.balances.query();
    expect(seen.map((b) => [b.plantId, b.materialCode, b.quantity])).toEqual([[s.plantB, 'BOLT', '4']]);
    expect((await userB.trpc.inventory.movements.query()).every((m) => m.plantId === s.plantB)).toBe(true);
    await expectApiError(
      userB.trpc.inventory.receive.mutate({ materialId: s.bolt, locationId: s.warehouse, quantity: 1 }),
      'NOT_FOUND',
      'Location not found',
    );
    const other: ApiClient = app.adminB;
    expect(await other.trpc.inventory.balances.query()).toEqual([]);
    expect(await other.trpc.inventory.movements.query()).toEqual([]);
    expect(await other.trpc.materials.list.query()).toEqual([]);
    await expectApiError(other.trpc.materials.get.query({ id: s.bolt }), 'NOT_FOUND');
    const { db } = app.database;
    const scopeB = { tenantId: app.tenants.b.tenantId, userId: null, plantIds: 'all' as const };
    const [count] = await db.transact(scopeB, (tx) =>
      rows<{ n: number }>(
        tx,
        sql`select (select count(*) from inventory_movements) + (select count(*) from inventory_balances)
              + (select count(*) from material_lots) + (select count(*) from inventory_locations) as n`,
      ),
    );
    expect(Number(count?.n)).toBe(0);
  });

  it('pages the movement history by effective time, latest first', async () => {
    const first = await inventory().movements.query({ materialId: s.bolt, limit: 2 });
    const rest = await inventory().movements.query({
      materialId: s.bolt,
      limit: 100,
      cursor: first.at(-1)!.id,
    });
    const all = await inventory().movements.query({ materialId: s.bolt, limit: 100 });
    expect([...first, ...rest].map((m) => m.id)).toEqual(all.map((m) => m.id));
    const times = all.map((m) => new Date(m.time).getTime());
    expect(times).toEqual([...times].sort((x, y) => y - x));
  });
});
