import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../db/index.js';
import { type TestDatabase, testEngines } from '../../testing/engines.js';
import { createTwoTenants } from '../../testing/tenants.js';
import { DEMO_SHIFTS } from './defaults.js';
import { extendShiftHorizon, SHIFT_HORIZON_DAYS } from './shift-horizon.js';
import { createShiftPattern } from './shift-patterns.js';

/* The shift calendar rolls forward by itself (the scheduled 'shift-horizon' job). */
describe.each(testEngines)('shift horizon ($name engine)', (engine) => {
  let database: TestDatabase;
  let tenants: Awaited<ReturnType<typeof createTwoTenants>>;

  beforeAll(async () => {
    database = await engine.create();
    tenants = await createTwoTenants(database.db);
    const scope = { tenantId: tenants.a.tenantId, plantIds: 'all' as const };
    await database.db.transact(scope, (tx) =>
      createShiftPattern(tx, tenants.a.tenantId, {
        plantId: tenants.a.plantIds[0]!,
        code: '3SHIFT',
        name: 'Three shifts',
        shifts: DEMO_SHIFTS,
      }),
    );
  });

  afterAll(async () => {
    await database?.drop();
  });

  const lastBusinessDate = () =>
    database.db.transact({ tenantId: tenants.a.tenantId, plantIds: 'all' }, async (tx) => {
      const [row] = await rows<{ last: string | null; n: number }>(
        tx,
        sql`select max(business_date)::text as last, count(*)::int as n from shifts`,
      );
      return row!;
    });

  it('generates shifts up to the horizon for plants with patterns, and changes nothing when run again', async () => {
    const now = new Date('2026-11-25T12:00:00Z');
    expect(await extendShiftHorizon(database.db, now)).toEqual({ plants: 1 });
    const first = await lastBusinessDate();
    // Today and SHIFT_HORIZON_DAYS more days, three shifts each (the night shift of the last day
    // belongs to that day's business date).
    expect(first.last).toBe(
      new Date(now.getTime() + SHIFT_HORIZON_DAYS * 86_400_000).toISOString().slice(0, 10),
    );
    expect(first.n).toBe((SHIFT_HORIZON_DAYS + 1) * 3);
    await extendShiftHorizon(database.db, now);
    expect(await lastBusinessDate()).toEqual(first);
    // A day later the horizon moves one day on; nothing before it is lost.
    await extendShiftHorizon(database.db, new Date(now.getTime() + 86_400_000));
    expect((await lastBusinessDate()).n).toBe((SHIFT_HORIZON_DAYS + 2) * 3);
  });
});
