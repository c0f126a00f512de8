import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../db/index.js';
import { type ApiClient, addUser, signIn } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { type Tenants, type TestServer, useTestApp } from '../../testing/app.js';
import { type TestDatabase, testEngines } from '../../testing/engines.js';
import { DEFAULT_STATE_CODES } from './defaults.js';

/** Instants cross the API as ISO strings (no transformer), whatever the client's types say. */
const iso = (value: unknown) => new Date(value as string).toISOString();

/*
 * KPI master data through the API: CRUD and its refusals, shift generation across a
 * daylight-saving change, and tenant isolation — tenant A's administrator naming B's rows gets
 * "not found" and B stays as it was.
 */
describe.each(testEngines)('production master data ($name engine)', (engine) => {
  const app = useTestApp(engine);
  let database: TestDatabase;
  let tenants: Tenants;
  let server: TestServer;
  let adminA: ApiClient;
  let adminB: ApiClient;
  /** Tenant B's rows, created through its own administrator. */
  const b = {} as {
    productId: string;
    stateId: string;
    reasonId: string;
    machineId: string;
    lineId: string;
    patternId: string;
    shiftId: string;
    downtimeId: string;
    routingId: string;
  };
  /** Tenant A's line and machines in its first plant. */
  const a = {} as { lineId: string; machineId: string; otherMachineId: string; productId: string };

  beforeAll(async () => {
    ({ database, tenants, server, admin: adminA, adminB } = app);
    const lineA = await adminA.trpc.masterdata.lines.create.mutate({
      plantId: tenants.a.plantIds[0]!,
      code: 'L1',
      name: 'Line 1',
    });
    a.lineId = lineA.id;
    a.machineId = (
      await adminA.trpc.masterdata.machines.create.mutate({ lineId: lineA.id, code: 'M1', name: 'M1' })
    ).id;
    a.otherMachineId = (
      await adminA.trpc.masterdata.machines.create.mutate({ lineId: lineA.id, code: 'M2', name: 'M2' })
    ).id;
    a.productId = (
      await adminA.trpc.production.products.create.mutate({ code: 'BRK-100', name: 'Brake' })
    ).id;

    const plantB = tenants.b.plantIds[0]!;
    const lineB = await adminB.trpc.masterdata.lines.create.mutate({
      plantId: plantB,
      code: 'L1',
      name: 'B line',
    });
    b.lineId = lineB.id;
    b.machineId = (
      await adminB.trpc.masterdata.machines.create.mutate({ lineId: lineB.id, code: 'M1', name: 'B' })
    ).id;
    b.productId = (
      await adminB.trpc.production.products.create.mutate({ code: 'B-1', name: 'B product' })
    ).id;
    b.stateId = (await adminB.trpc.production.stateCodes.list.query({}))[0]!.id;
    b.reasonId = (
      await adminB.trpc.production.downtimeReasons.create.mutate({
        code: 'JAM',
        name: 'Jam',
        bucket: 'availability_loss',
      })
    ).id;
    await adminB.trpc.production.idealCycleTimes.set.mutate({
      machineId: b.machineId,
      productId: null,
      secondsPerUnit: 30,
    });
    b.patternId = (
      await adminB.trpc.production.shiftPatterns.create.mutate({
        plantId: plantB,
        code: 'P',
        name: 'B pattern',
        shifts: [
          { code: 'D', name: 'Day', weekdays: [1, 2, 3, 4, 5], startTime: '08:00', durationMinutes: 480 },
        ],
      })
    ).id;
    await adminB.trpc.production.shifts.generate.mutate({
      plantId: plantB,
      from: '2026-11-02',
      to: '2026-11-06',
    });
    b.shiftId = (
      await adminB.trpc.production.shifts.list.query({
        plantId: plantB,
        from: new Date('2026-11-02T00:00:00Z'),
        to: new Date('2026-11-07T00:00:00Z'),
      })
    )[0]!.id;
    b.downtimeId = (
      await adminB.trpc.production.plannedDowntimes.create.mutate({
        machineId: b.machineId,
        kind: 'maintenance',
        startsAt: new Date('2026-11-03T09:00:00Z'),
        endsAt: new Date('2026-11-03T10:00:00Z'),
      })
    ).id;
    b.routingId = (
      await adminB.trpc.production.routings.create.mutate({
        productId: b.productId,
        code: 'R',
        name: 'B routing',
        operations: [{ sequence: 10, code: 'OP', name: 'Op' }],
      })
    ).id;
  });

  it('gives every new tenant the default state mapping', async () => {
    const states = await adminA.trpc.production.stateCodes.list.query({});
    expect(states.map((s) => [s.code, s.bucket])).toEqual(
      DEFAULT_STATE_CODES.map((s) => [s.code, s.bucket]).sort((x, y) => x[0]!.localeCompare(y[0]!)),
    );
    const planned = await adminA.trpc.production.stateCodes.list.query({ bucket: 'planned_stop' });
    expect(planned.map((s) => s.code)).toEqual(['PLANNED_STOP']);
  });

  it('edits the state mapping, with field errors for bad input and a conflict for a taken code', async () => {
    const [microstop] = await adminA.trpc.production.stateCodes.list.query({ bucket: 'performance_loss' });
    const moved = await adminA.trpc.production.stateCodes.update.mutate({
      id: microstop!.id,
      patch: { bucket: 'availability_loss', colour: '#123456' },
    });
    expect(moved).toMatchObject({ bucket: 'availability_loss', colour: '#123456' });
    const created = await adminA.trpc.production.stateCodes.create.mutate({
      code: 'STARVED',
      name: 'Starved',
      colour: '#0ea5e9',
      bucket: 'availability_loss',
    });
    const taken = await expectApiError(
      adminA.trpc.production.stateCodes.update.mutate({ id: created.id, patch: { code: 'RUNNING' } }),
      'CONFLICT',
    );
    expect(taken.data?.fieldErrors).toEqual({ code: 'Already in use' });
    const bad = await expectApiError(
      adminA.trpc.production.stateCodes.create.mutate({
        code: 'has space',
        name: '',
        colour: 'green',
        bucket: 'lost' as 'running',
      }),
      'BAD_REQUEST',
    );
    expect(Object.keys(bad.data?.fieldErrors ?? {}).sort()).toEqual(['bucket', 'code', 'colour', 'name']);
    await expectApiError(
      adminA.trpc.production.stateCodes.update.mutate({ id: created.id, patch: {} }),
      'BAD_REQUEST',
      /Nothing to change/,
    );
    await adminA.trpc.production.stateCodes.deactivate.mutate({ id: created.id });
    expect((await adminA.trpc.production.stateCodes.list.query({})).map((s) => s.code)).not.toContain(
      'STARVED',
    );
    expect(
      (await adminA.trpc.production.stateCodes.list.query({ includeInactive: true })).map((s) => s.code),
    ).toContain('STARVED');
  });

  it('creates, renames and deactivates products and downtime reasons', async () => {
    await expectApiError(
      adminA.trpc.production.products.create.mutate({ code: 'BRK-100', name: 'Again' }),
      'CONFLICT',
      'That code is already in use here',
    );
    const product = await adminA.trpc.production.products.create.mutate({
      code: 'SHF-020',
      name: 'Shaft',
      unit: 'pcs',
    });
    expect(
      await adminA.trpc.production.products.update.mutate({ id: product.id, patch: { name: 'Drive shaft' } }),
    ).toMatchObject({
      code: 'SHF-020',
      name: 'Drive shaft',
      isActive: true,
    });
    await adminA.trpc.production.products.deactivate.mutate({ id: product.id });
    expect((await adminA.trpc.production.products.list.query({})).map((p) => p.code)).toEqual(['BRK-100']);

    const reason = await adminA.trpc.production.downtimeReasons.create.mutate({
      code: 'TOOL_BREAK',
      name: 'Tool break',
      bucket: 'availability_loss',
      category: 'tooling',
    });
    expect(reason).toMatchObject({ code: 'TOOL_BREAK', category: 'tooling', isActive: true });
    await adminA.trpc.production.downtimeReasons.create.mutate({
      code: 'BREAK',
      name: 'Break',
      bucket: 'planned_stop',
    });
    expect(
      (await adminA.trpc.production.downtimeReasons.list.query({ bucket: 'planned_stop' })).map(
        (r) => r.code,
      ),
    ).toEqual(['BREAK']);
    // Tenant B has a reason with the same code: codes are unique per tenant, not across tenants.
    await adminA.trpc.production.downtimeReasons.create.mutate({
      code: 'JAM',
      name: 'Jam',
      bucket: 'availability_loss',
    });
  });

  it('keeps a product’s GTIN as 14 digits with a valid check digit, one product per GTIN', async () => {
    const flange = await adminA.trpc.production.products.create.mutate({
      code: 'FLG-450',
      name: 'Flange',
      gtin: '9521234543213',
    });
    expect(flange.gtin).toBe('09521234543213');
    const refused = await expectApiError(
      adminA.trpc.production.products.create.mutate({
        code: 'FLG-451',
        name: 'Flange',
        gtin: '09521234543214',
      }),
      'BAD_REQUEST',
    );
    expect(refused.data?.fieldErrors).toEqual({ gtin: 'The check digit of 09521234543214 is wrong' });
    const short = await expectApiError(
      adminA.trpc.production.products.create.mutate({ code: 'FLG-451', name: 'Flange', gtin: '12345' }),
      'BAD_REQUEST',
    );
    expect(short.data?.fieldErrors).toEqual({ gtin: 'A GTIN is 8, 12, 13 or 14 digits' });
    const other = await adminA.trpc.production.products.create.mutate({ code: 'FLG-452', name: 'Flange B' });
    const taken = await expectApiError(
      adminA.trpc.production.products.update.mutate({ id: other.id, patch: { gtin: '09521234543213' } }),
      'CONFLICT',
      'GTIN 09521234543213 is product FLG-450’s',
    );
    expect(taken.data?.fieldErrors).toEqual({ gtin: 'Already FLG-450’s' });
    // Tenant B may use the same GTIN: GTINs are unique per tenant.
    await adminB.trpc.production.products.create.mutate({ code: 'B-FLG', name: 'B', gtin: '09521234543213' });
    expect(
      (await adminA.trpc.production.products.update.mutate({ id: flange.id, patch: { gtin: null } })).gtin,
    ).toBeNull();
    expect(
      (
        await adminA.trpc.production.products.update.mutate({
          id: other.id,
          patch: { gtin: '09521234543213' },
        })
      ).gtin,
    ).toBe('09521234543213');
  });

  it('sets a machine default and a product cycle time, replacing rather than duplicating', async () => {
    const set = (productId: string | null, secondsPerUnit: number) =>
      adminA.trpc.production.idealCycleTimes.set.mutate({
        machineId: a.machineId,
        productId,
        secondsPerUnit,
      });
    await set(null, 40);
    await set(null, 45.5);
    await set(a.productId, 38);
    const times = await adminA.trpc.production.idealCycleTimes.list.query({ machineId: a.machineId });
    expect(times.map((t) => [t.productCode, t.secondsPerUnit, t.plantId])).toEqual([
      ['BRK-100', 38, tenants.a.plantIds[0]],
      [null, 45.5, tenants.a.plantIds[0]],
    ]);
    await adminA.trpc.production.idealCycleTimes.clear.mutate({
      machineId: a.machineId,
      productId: a.productId,
    });
    expect(await adminA.trpc.production.idealCycleTimes.list.query({ machineId: a.machineId })).toHaveLength(
      1,
    );
    const bad = await expectApiError(set(null, 0), 'BAD_REQUEST');
    expect(bad.data?.fieldErrors).toEqual({ secondsPerUnit: 'Must be above zero' });
  });

  it('generates shifts across the spring change in Berlin, idempotently, keeping overrides and cancellations', async () => {
    const plantId = tenants.a.plantIds[0]!;
    const pattern = await adminA.trpc.production.shiftPatterns.create.mutate({
      plantId,
      code: '3SHIFT',
      name: 'Three shifts',
      timezone: 'Europe/Berlin',
      shifts: [
        {
          code: 'A',
          name: 'Early',
          weekdays: [1, 2, 3, 4, 5, 6, 7],
          startTime: '06:00',
          durationMinutes: 480,
        },
        {
          code: 'B',
          name: 'Late',
          weekdays: [1, 2, 3, 4, 5, 6, 7],
          startTime: '14:00',
          durationMinutes: 480,
        },
        {
          code: 'C',
          name: 'Night',
          weekdays: [1, 2, 3, 4, 5, 6, 7],
          startTime: '22:00',
          durationMinutes: 480,
          breaks: [{ offsetMinutes: 240, durationMinutes: 30, reason: 'BREAK' }],
        },
      ],
    });
    expect(pattern.shifts.map((s) => [s.code, s.startTime])).toEqual([
      ['A', '06:00:00'],
      ['B', '14:00:00'],
      ['C', '22:00:00'],
    ]);
    const range = { plantId, from: '2026-03-28', to: '2026-03-29' };
    expect(await adminA.trpc.production.shifts.generate.mutate(range)).toEqual({
      generated: 6,
      overridesKept: 0,
      removed: 0,
      skipped: [],
    });
    const window = { plantId, from: new Date('2026-03-28T00:00:00Z'), to: new Date('2026-03-30T12:00:00Z') };
    const shifts = await adminA.trpc.production.shifts.list.query(window);
    const hours = (s: { startsAt: unknown; endsAt: unknown }) =>
      (Date.parse(iso(s.endsAt)) - Date.parse(iso(s.startsAt))) / 3_600_000;
    expect(shifts.map((s) => [s.businessDate, s.name, iso(s.startsAt), hours(s)])).toEqual([
      ['2026-03-28', 'Early', '2026-03-28T05:00:00.000Z', 8],
      ['2026-03-28', 'Late', '2026-03-28T13:00:00.000Z', 8],
      // 22:00 CET until 06:00 CEST: the hour the clocks skip is not worked.
      ['2026-03-28', 'Night', '2026-03-28T21:00:00.000Z', 7],
      ['2026-03-29', 'Early', '2026-03-29T04:00:00.000Z', 8],
      ['2026-03-29', 'Late', '2026-03-29T12:00:00.000Z', 8],
      ['2026-03-29', 'Night', '2026-03-29T20:00:00.000Z', 8],
    ]);
    // The night shifts' breaks are planned downtimes of the plant, attached to their shift; the
    // reason code BREAK names A's reason.
    const breaks = await adminA.trpc.production.plannedDowntimes.list.query(window);
    expect(
      breaks.map((d) => [d.kind, iso(d.startsAt), iso(d.endsAt), d.shiftId !== null, d.reasonId !== null]),
    ).toEqual([
      ['break', '2026-03-29T01:00:00.000Z', '2026-03-29T01:30:00.000Z', true, true],
      ['break', '2026-03-30T00:00:00.000Z', '2026-03-30T00:30:00.000Z', true, true],
    ]);

    // Monday's early shift starts late (an override); Sunday's late shift is cancelled.
    const early = shifts[3]!;
    const late = shifts[4]!;
    await adminA.trpc.production.shifts.update.mutate({
      id: early.id,
      patch: { startsAt: new Date('2026-03-29T05:00:00Z') },
    });
    await adminA.trpc.production.shifts.update.mutate({ id: late.id, patch: { isCancelled: true } });
    expect(await adminA.trpc.production.shifts.generate.mutate(range)).toEqual({
      generated: 4,
      overridesKept: 2,
      removed: 0,
      skipped: [],
    });
    const again = await adminA.trpc.production.shifts.list.query(window);
    expect(again.map((s) => s.id)).toEqual(shifts.filter((s) => s.id !== late.id).map((s) => s.id));
    expect(again.find((s) => s.id === early.id)).toMatchObject({ isOverride: true });
    expect(iso(again.find((s) => s.id === early.id)!.startsAt)).toBe('2026-03-29T05:00:00.000Z');
    expect(await adminA.trpc.production.plannedDowntimes.list.query(window)).toHaveLength(2);

    // Removing the night shift from the pattern removes its generated shifts (and their breaks).
    await adminA.trpc.production.shiftPatterns.update.mutate({
      id: pattern.id,
      patch: {
        shifts: pattern.shifts.filter((s) => s.code !== 'C').map(({ id: _, patternId: __, ...s }) => s),
      },
    });
    await adminA.trpc.production.shifts.generate.mutate(range);
    expect((await adminA.trpc.production.shifts.list.query(window)).map((s) => s.name)).toEqual([
      'Early',
      'Late',
      'Early',
    ]);
    expect(await adminA.trpc.production.plannedDowntimes.list.query(window)).toEqual([]);
  });

  it('adds extra shifts by hand, refusing overlaps and bad intervals', async () => {
    const plantId = tenants.a.plantIds[1]!;
    const extra = await adminA.trpc.production.shifts.create.mutate({
      plantId,
      name: 'Saturday overtime',
      startsAt: new Date('2026-12-05T06:00:00Z'),
      endsAt: new Date('2026-12-05T12:00:00Z'),
    });
    expect(extra).toMatchObject({ businessDate: '2026-12-05', isOverride: false, patternShiftId: null });
    const overlap = await expectApiError(
      adminA.trpc.production.shifts.create.mutate({
        plantId,
        name: 'Clash',
        startsAt: new Date('2026-12-05T11:00:00Z'),
        endsAt: new Date('2026-12-05T13:00:00Z'),
      }),
      'CONFLICT',
      /overlaps the shift "Saturday overtime"/,
    );
    expect(overlap.data?.fieldErrors).toEqual({ startsAt: 'Overlaps another shift' });
    await expectApiError(
      adminA.trpc.production.shifts.create.mutate({
        plantId,
        name: 'Backwards',
        startsAt: new Date('2026-12-06T11:00:00Z'),
        endsAt: new Date('2026-12-06T10:00:00Z'),
      }),
      'BAD_REQUEST',
      'A shift must end after it starts',
    );
    // A pattern slot that would overlap the hand-entered shift is skipped and reported.
    await adminA.trpc.production.shiftPatterns.create.mutate({
      plantId,
      code: 'DAY',
      name: 'Days',
      shifts: [{ code: 'D', name: 'Day', weekdays: [6], startTime: '08:00', durationMinutes: 480 }],
    });
    expect(
      await adminA.trpc.production.shifts.generate.mutate({ plantId, from: '2026-12-05', to: '2026-12-12' }),
    ).toMatchObject({ generated: 1, skipped: [{ name: 'Day', businessDate: '2026-12-05' }] });
    await adminA.trpc.production.shifts.delete.mutate({ id: extra.id });
    await expectApiError(
      adminA.trpc.production.shifts.generate.mutate({ plantId, from: '2026-12-05', to: '2024-01-01' }),
      'BAD_REQUEST',
      'The range ends before it starts',
    );
  });

  it('plans downtime for a plant, a line or a machine, and lists what covers a machine', async () => {
    const plantId = tenants.a.plantIds[0]!;
    const at = (h: number) => new Date(Date.UTC(2026, 5, 1, h));
    const plant = await adminA.trpc.production.plannedDowntimes.create.mutate({
      plantId,
      kind: 'no_orders',
      startsAt: at(0),
      endsAt: at(2),
    });
    expect(plant).toMatchObject({ plantId, lineId: null, machineId: null });
    const line = await adminA.trpc.production.plannedDowntimes.create.mutate({
      lineId: a.lineId,
      kind: 'maintenance',
      startsAt: at(3),
      endsAt: at(4),
    });
    expect(line).toMatchObject({ plantId, lineId: a.lineId, machineId: null });
    const machine = await adminA.trpc.production.plannedDowntimes.create.mutate({
      machineId: a.machineId,
      kind: 'maintenance',
      note: 'Spindle bearing',
      startsAt: at(5),
      endsAt: at(6),
    });
    expect(machine).toMatchObject({ plantId, lineId: a.lineId, machineId: a.machineId });
    const other = await adminA.trpc.production.plannedDowntimes.create.mutate({
      machineId: a.otherMachineId,
      kind: 'changeover',
      startsAt: at(7),
      endsAt: at(8),
    });
    const covering = await adminA.trpc.production.plannedDowntimes.list.query({
      machineId: a.machineId,
      from: at(0),
      to: at(12),
    });
    expect(covering.map((d) => d.id)).toEqual([plant.id, line.id, machine.id]);
    await adminA.trpc.production.plannedDowntimes.update.mutate({ id: other.id, patch: { endsAt: at(9) } });
    await expectApiError(
      adminA.trpc.production.plannedDowntimes.update.mutate({ id: other.id, patch: { endsAt: at(1) } }),
      'BAD_REQUEST',
      'A planned downtime must end after it starts',
    );
    const noScope = await expectApiError(
      adminA.trpc.production.plannedDowntimes.create.mutate({
        kind: 'other',
        startsAt: at(1),
        endsAt: at(2),
      }),
      'BAD_REQUEST',
    );
    expect(noScope.data?.fieldErrors).toEqual({ plantId: 'Required' });
    await adminA.trpc.production.plannedDowntimes.delete.mutate({ id: other.id });
    await expectApiError(
      adminA.trpc.production.plannedDowntimes.delete.mutate({ id: other.id }),
      'NOT_FOUND',
      'Planned downtime not found',
    );
  });

  it('keeps routings ordered and refuses duplicate sequence numbers', async () => {
    const routing = await adminA.trpc.production.routings.create.mutate({
      productId: a.productId,
      code: 'RT-BRK-100',
      name: 'Brake',
      operations: [
        { sequence: 30, code: 'FINAL', name: 'Final inspection' },
        { sequence: 10, code: 'MACHINING', name: 'Machining' },
        { sequence: 20, code: 'ASSEMBLY', name: 'Assembly', lineId: a.lineId },
      ],
    });
    expect(routing.operations.map((o) => o.code)).toEqual(['MACHINING', 'ASSEMBLY', 'FINAL']);
    // Swapping two sequence numbers keeps the operations' ids.
    const swapped = await adminA.trpc.production.routings.update.mutate({
      id: routing.id,
      patch: {
        operations: [
          { sequence: 20, code: 'MACHINING', name: 'Machining' },
          { sequence: 10, code: 'ASSEMBLY', name: 'Assembly' },
          { sequence: 30, code: 'FINAL', name: 'Final inspection' },
        ],
      },
    });
    expect(swapped.operations.map((o) => o.code)).toEqual(['ASSEMBLY', 'MACHINING', 'FINAL']);
    expect(swapped.operations.map((o) => o.id).sort()).toEqual(routing.operations.map((o) => o.id).sort());
    await expectApiError(
      adminA.trpc.production.routings.create.mutate({
        productId: a.productId,
        code: 'RT-2',
        name: 'Bad',
        operations: [
          { sequence: 10, code: 'A', name: 'A' },
          { sequence: 10, code: 'B', name: 'B' },
        ],
      }),
      'BAD_REQUEST',
      'Each operation needs its own sequence number and code',
    );
  });

  it('lets operators read but not change, and hides plants outside a user’s access', async () => {
    const user = await addUser(adminA, {
      roleIds: [tenants.a.roleIds.operator!],
      plantIds: [tenants.a.plantIds[1]!],
    });
    const operator = await signIn(server.url, user.email);
    expect((await operator.trpc.production.stateCodes.list.query({})).length).toBeGreaterThan(0);
    await expectApiError(
      operator.trpc.production.products.create.mutate({ code: 'X', name: 'X' }),
      'FORBIDDEN',
      'This needs the permission masterdata.manage',
    );
    // Plant 1's shifts and cycle times are not the operator's to see.
    expect(
      await operator.trpc.production.shifts.list.query({
        from: new Date('2026-03-28T00:00:00Z'),
        to: new Date('2026-03-30T00:00:00Z'),
      }),
    ).toEqual([]);
    expect(await operator.trpc.production.idealCycleTimes.list.query({})).toEqual([]);
    // An engineer limited to plant 2 cannot plan in plant 1.
    const eng = await addUser(adminA, {
      roleIds: [tenants.a.roleIds.engineer!],
      plantIds: [tenants.a.plantIds[1]!],
    });
    const engineer = await signIn(server.url, eng.email);
    await expectApiError(
      engineer.trpc.production.shifts.generate.mutate({
        plantId: tenants.a.plantIds[0]!,
        from: '2026-01-01',
        to: '2026-01-02',
      }),
      'NOT_FOUND',
      'Plant not found',
    );
    await expectApiError(
      engineer.trpc.production.idealCycleTimes.set.mutate({
        machineId: a.machineId,
        productId: null,
        secondsPerUnit: 1,
      }),
      'NOT_FOUND',
      'Machine not found',
    );
  });

  describe('across tenants', () => {
    /** Every KPI master data row of tenant B, read as the owner. */
    function snapshot() {
      const tenantId = tenants.b.tenantId;
      return database.db.ownerTransact({ tenantId, plantIds: 'all' }, async (tx) => {
        const out: Record<string, unknown[]> = {};
        for (const table of [
          'products',
          'state_loss_mapping',
          'downtime_reasons',
          'ideal_cycle_times',
          'shift_patterns',
          'shift_pattern_shifts',
          'shifts',
          'planned_downtimes',
          'routings',
          'routing_operations',
        ]) {
          out[table] = await rows(
            tx,
            sql`select * from ${sql.identifier(table)} where tenant_id = ${tenantId} order by id`,
          );
        }
        return out;
      });
    }

    const at = new Date('2026-11-03T12:00:00Z');
    const later = new Date('2026-11-03T13:00:00Z');
    const attacks: { name: string; message: string; call: () => Promise<unknown> }[] = [
      {
        name: 'products.update',
        message: 'Product not found',
        call: () =>
          adminA.trpc.production.products.update.mutate({ id: b.productId, patch: { name: 'Mine' } }),
      },
      {
        name: 'products.deactivate',
        message: 'Product not found',
        call: () => adminA.trpc.production.products.deactivate.mutate({ id: b.productId }),
      },
      {
        name: 'stateCodes.update',
        message: 'State code not found',
        call: () =>
          adminA.trpc.production.stateCodes.update.mutate({ id: b.stateId, patch: { bucket: 'running' } }),
      },
      {
        name: 'downtimeReasons.deactivate',
        message: 'Downtime reason not found',
        call: () => adminA.trpc.production.downtimeReasons.deactivate.mutate({ id: b.reasonId }),
      },
      {
        name: 'idealCycleTimes.set on B’s machine',
        message: 'Machine not found',
        call: () =>
          adminA.trpc.production.idealCycleTimes.set.mutate({
            machineId: b.machineId,
            productId: null,
            secondsPerUnit: 1,
          }),
      },
      {
        name: 'idealCycleTimes.set with B’s product',
        message: 'Product not found',
        call: () =>
          adminA.trpc.production.idealCycleTimes.set.mutate({
            machineId: a.machineId,
            productId: b.productId,
            secondsPerUnit: 1,
          }),
      },
      {
        name: 'idealCycleTimes.clear on B’s machine',
        message: 'Ideal cycle time not found',
        call: () =>
          adminA.trpc.production.idealCycleTimes.clear.mutate({ machineId: b.machineId, productId: null }),
      },
      {
        name: 'shiftPatterns.create in B’s plant',
        message: 'Plant not found',
        call: () =>
          adminA.trpc.production.shiftPatterns.create.mutate({
            plantId: tenants.b.plantIds[0]!,
            code: 'X',
            name: 'X',
            shifts: [],
          }),
      },
      {
        name: 'shiftPatterns.update',
        message: 'Shift pattern not found',
        call: () =>
          adminA.trpc.production.shiftPatterns.update.mutate({ id: b.patternId, patch: { shifts: [] } }),
      },
      {
        name: 'shifts.generate in B’s plant',
        message: 'Plant not found',
        call: () =>
          adminA.trpc.production.shifts.generate.mutate({
            plantId: tenants.b.plantIds[0]!,
            from: '2026-11-01',
            to: '2026-11-30',
          }),
      },
      {
        name: 'shifts.update cancelling B’s shift',
        message: 'Shift not found',
        call: () =>
          adminA.trpc.production.shifts.update.mutate({ id: b.shiftId, patch: { isCancelled: true } }),
      },
      {
        name: 'shifts.create in B’s plant',
        message: 'Plant not found',
        call: () =>
          adminA.trpc.production.shifts.create.mutate({
            plantId: tenants.b.plantIds[0]!,
            name: 'X',
            startsAt: at,
            endsAt: later,
          }),
      },
      {
        name: 'plannedDowntimes.create on B’s line',
        message: 'Line not found',
        call: () =>
          adminA.trpc.production.plannedDowntimes.create.mutate({
            lineId: b.lineId,
            kind: 'other',
            startsAt: at,
            endsAt: later,
          }),
      },
      {
        name: 'plannedDowntimes.create with B’s reason',
        message: 'Downtime reason not found',
        call: () =>
          adminA.trpc.production.plannedDowntimes.create.mutate({
            plantId: tenants.a.plantIds[0]!,
            reasonId: b.reasonId,
            kind: 'other',
            startsAt: at,
            endsAt: later,
          }),
      },
      {
        name: 'plannedDowntimes.update',
        message: 'Planned downtime not found',
        call: () =>
          adminA.trpc.production.plannedDowntimes.update.mutate({
            id: b.downtimeId,
            patch: { endsAt: later },
          }),
      },
      {
        name: 'plannedDowntimes.delete',
        message: 'Planned downtime not found',
        call: () => adminA.trpc.production.plannedDowntimes.delete.mutate({ id: b.downtimeId }),
      },
      {
        name: 'routings.create for B’s product',
        message: 'Product not found',
        call: () =>
          adminA.trpc.production.routings.create.mutate({
            productId: b.productId,
            code: 'X',
            name: 'X',
            operations: [{ sequence: 10, code: 'X', name: 'X' }],
          }),
      },
      {
        name: 'routings.update',
        message: 'Routing not found',
        call: () =>
          adminA.trpc.production.routings.update.mutate({ id: b.routingId, patch: { name: 'Mine' } }),
      },
    ];

    it('answers "not found" to every attempt on B’s rows and leaves them unchanged', async () => {
      const before = await snapshot();
      expect(before.shifts).toHaveLength(5);
      for (const attack of attacks) {
        const error = await expectApiError(attack.call(), 'NOT_FOUND');
        expect(error.message, attack.name).toBe(attack.message);
      }
      expect(await snapshot()).toEqual(before);
    });

    it('lists nothing of B', async () => {
      const window = { from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-11-30T00:00:00Z') };
      expect(
        (await adminA.trpc.production.products.list.query({ includeInactive: true })).map((p) => p.id),
      ).not.toContain(b.productId);
      expect(
        await adminA.trpc.production.shifts.list.query({ plantId: tenants.b.plantIds[0]!, ...window }),
      ).toEqual([]);
      expect(
        await adminA.trpc.production.plannedDowntimes.list.query({
          plantId: tenants.b.plantIds[0]!,
          ...window,
        }),
      ).toEqual([]);
      expect(await adminA.trpc.production.idealCycleTimes.list.query({ machineId: b.machineId })).toEqual([]);
      expect(
        await adminA.trpc.production.shiftPatterns.list.query({ plantId: tenants.b.plantIds[0]! }),
      ).toEqual([]);
      expect(await adminA.trpc.production.routings.list.query({ productId: b.productId })).toEqual([]);
    });
  });
});
