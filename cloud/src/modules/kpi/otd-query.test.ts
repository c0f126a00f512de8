import type { OtdPolicy } from '@plantline/schema';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../db/index.js';
import { addUser, signIn } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { useTestApp } from '../../testing/app.js';
import { testEngines } from '../../testing/engines.js';
import { dateOfDay } from './otd.js';
import {
  ACME,
  BOLT,
  BOLT_EXCEPTIONS,
  type LineSpec,
  MARCH_SCENARIO,
  MARCH_TENANT,
  shipped,
} from './otd-fixtures.js';
import { OTD_LATE_LINE_LIMIT } from './otd-query.js';
import { type OtdBucket, otdReport } from './otd-report.js';
import { type StoredLines, storedLines, storeLines } from './otd-store.js';

/*
 * `kpi.otd` over stored rows on each engine (docs/kpis.md, "OTD and OTIF"): the March scenario of
 * otd-fixtures.ts in plant 1, a line of plant 2 in Berlin, and an open line due next week, compared
 * with what the pure report computes from the same lines — and the hand-computed figures where the
 * scenario's comments give them (today is long after March, so DR-11 is now not shipped, not pending).
 */
const exceptions = { BOLT: BOLT_EXCEPTIONS };

describe.each(testEngines)('kpi.otd ($name engine)', (engine) => {
  const app = useTestApp(engine);
  const at = { tenantId: '', plant1: '', plant2: '', productId: '' };
  let stored: StoredLines;
  let tenant: OtdPolicy;
  const nextWeek = dateOfDay(Math.floor(Date.now() / 86_400_000) + 5);
  // Left 4 March 23:30 UTC: inside the tenant's window (lateDays 1) in UTC, but 5 March in Berlin: late.
  const berlin: LineSpec[] = [
    {
      number: 'DR-B1',
      requested: '2026-03-03',
      shipments: [shipped('SB1', '2026-03-04T23:30:00Z')],
      customer: ACME,
    },
  ];
  const open: LineSpec[] = [{ number: 'DR-F1', requested: nextWeek, quantity: 4 }];

  beforeAll(async () => {
    const { admin, tenants } = app;
    at.tenantId = tenants.a.tenantId;
    [at.plant1, at.plant2] = tenants.a.plantIds as [string, string];
    at.productId = (await admin.trpc.production.products.create.mutate({ code: 'W-1', name: 'Widget' })).id;
    const settings = await admin.trpc.settings.update.mutate({ version: 0, patch: { otd: MARCH_TENANT } });
    tenant = settings.settings.otd;
    await app.database.db.ownerTransact({ tenantId: at.tenantId, plantIds: 'all' }, (tx) =>
      rows(tx, sql`update plants set timezone = 'Europe/Berlin' where id = ${at.plant2}::uuid`),
    );
    const plant1 = { tenantId: at.tenantId, plantId: at.plant1, productId: at.productId };
    stored = await storeLines(app, plant1, [...MARCH_SCENARIO, ...open], exceptions);
    await storeLines(app, { ...plant1, plantId: at.plant2 }, berlin, exceptions, stored);
    // Neither a cancelled shipment nor one still being packed has left: both are ignored.
    await app.database.db.ownerTransact({ tenantId: at.tenantId, plantIds: 'all' }, async (tx) => {
      const [acme] = await rows<{ id: string; ship_to: string }>(
        tx,
        sql`select c.id::text as id, a.id::text as ship_to from customers c join customer_addresses a on a.customer_id = c.id
             where c.code = 'ACME'`,
      );
      for (const [number, status, request] of [
        ['SX1', 'cancelled', 'DR-04'],
        ['SX2', 'packed', 'DR-F1'],
      ] as const) {
        const [shipment] = await rows<{ id: string }>(
          tx,
          sql`insert into shipments (tenant_id, plant_id, number, customer_id, ship_to_id, status)
              values (${at.tenantId}, ${at.plant1}, ${number}, ${acme?.id}, ${acme?.ship_to}, ${status}) returning id::text as id`,
        );
        await rows(
          tx,
          sql`insert into shipment_items (tenant_id, plant_id, shipment_id, line_no, delivery_request_id, product_id,
                                          quantity, packed_quantity)
              values (${at.tenantId}, ${at.plant1}, ${shipment?.id}, 1, ${stored.requests.get(request)},
                      ${at.productId}, 5, 4)`,
        );
      }
    });
  });

  /** The pure report over the stored lines, as the API should answer it. */
  function expected(
    specs: { lines: LineSpec[]; plantId: string; timeZone?: string }[],
    query: { from: string; to: string; bucket: OtdBucket },
    policies: { tenant?: OtdPolicy; report?: OtdPolicy } = {},
  ) {
    const tenantPolicy = policies.tenant ?? tenant;
    const policy = policies.report ?? tenantPolicy;
    const lines = specs.flatMap((s) =>
      storedLines(s.lines, stored, { ...s, productId: at.productId }, tenantPolicy, exceptions),
    );
    const report = otdReport({
      ...query,
      lines,
      now: Date.now(),
      unit: policy.unit,
      lateLimit: OTD_LATE_LINE_LIMIT,
    });
    return { ...report, ...query, policy };
  }
  const march = { from: '2026-03-02', to: '2026-03-15', bucket: 'week' } as const;
  const everything = () => [
    { lines: [...MARCH_SCENARIO, ...open], plantId: at.plant1 },
    { lines: berlin, plantId: at.plant2, timeZone: 'Europe/Berlin' },
  ];

  it("answers what the pure report computes from the same rows, in each plant's time zone", async () => {
    const answer = await app.admin.trpc.kpi.otd.query(march);
    expect(answer).toEqual(expected(everything(), march));
    // DR-01..09 and DR-B1 less the cancelled DR-05; DR-11 is overdue now. On time: 01, 03, 06, 08, 09.
    expect(answer.totals.toRequest).toMatchObject({ due: 10, onTime: 5, inFull: 4, onTimeInFull: 4 });
    expect(answer.lateLines.toRequest.map((l) => [l.number, l.status, l.actualDate, l.reason])).toEqual([
      ['DR-B1', 'late', '2026-03-05', ''],
      ['DR-02', 'late', '2026-03-06', 'tooling'],
      ['DR-03', 'short', '2026-03-05', 'carrier no-show'],
      ['DR-04', 'not_shipped', null, 'rescheduled'],
      ['DR-07', 'late', '2026-03-12', 'resin shortage'],
      ['DR-11', 'not_shipped', null, ''],
    ]);
    expect(answer.lateLines.toRequest[0]).toMatchObject({
      customer: { code: 'ACME', name: ACME.name },
      product: { id: at.productId, code: 'W-1', name: 'Widget' },
      plantId: at.plant2,
      referenceDate: '2026-03-03',
    });
  });

  it('counts in the unit the tenant chose, by day or month', async () => {
    const { admin } = app;
    const { version } = await admin.trpc.settings.get.query();
    await admin.trpc.settings.update.mutate({ version, patch: { otd: { unit: 'shipment' } } });
    try {
      const byShipment = { tenant: { ...tenant, unit: 'shipment' as const } };
      const byDay = { ...march, bucket: 'day' } as const;
      expect(await admin.trpc.kpi.otd.query(byDay)).toEqual(expected(everything(), byDay, byShipment));
      const byMonth = { from: '2026-02-01', to: '2026-03-31', bucket: 'month' } as const;
      const monthly = await admin.trpc.kpi.otd.query(byMonth);
      expect(monthly).toEqual(expected(everything(), byMonth, byShipment));
      expect(monthly.unit).toBe('shipment');
      expect(monthly.series.map((p) => p.start)).toEqual(['2026-02-01', '2026-03-01']);
      expect(monthly.series[0]?.toRequest.otd).toBeNull();
    } finally {
      const current = await admin.trpc.settings.get.query();
      await admin.trpc.settings.update.mutate({ version: current.version, patch: { otd: { unit: 'line' } } });
    }
  });

  it("counts one customer's lines in that customer's unit, its exceptions winning", async () => {
    const bolt = stored.customers.get('BOLT') ?? '';
    const answer = await app.admin.trpc.kpi.otd.query({ ...march, customerId: bolt });
    // DR-06 20 on time; DR-07 30 a day late by BOLT's lateDays 0 (on time by the tenant's 1).
    expect(answer.policy).toEqual({ ...tenant, ...BOLT_EXCEPTIONS });
    expect(answer.unit).toBe('quantity');
    expect(answer.totals.toRequest).toMatchObject({ due: 50, onTime: 20, onTimeInFull: 20, otd: 0.4 });
    expect(answer.customers.map((c) => c.customer.code)).toEqual(['BOLT']);
    const boltLines = MARCH_SCENARIO.filter((s) => s.customer === BOLT);
    expect(answer).toEqual(
      expected([{ lines: boltLines, plantId: at.plant1 }], march, { report: answer.policy }),
    );
  });

  it('keeps to one plant, and to the plants the caller may see', async () => {
    const { admin, server } = app;
    const plant2 = await admin.trpc.kpi.otd.query({ ...march, plantId: at.plant2 });
    expect(plant2.lateLines.toRequest.map((l) => l.number)).toEqual(['DR-B1']);
    expect(plant2.totals.toRequest.due).toBe(1);
    const role = await admin.trpc.rbac.roles.create.mutate({
      key: 'otd',
      name: 'OTD',
      permissions: ['kpi.read'],
    });
    const reader = await signIn(
      server.url,
      (await addUser(admin, { roleIds: [role.id], plantIds: [at.plant1] })).email,
    );
    const seen = await reader.trpc.kpi.otd.query(march);
    expect(seen.lateLines.toRequest.map((l) => l.number)).not.toContain('DR-B1');
    expect(seen.totals.toRequest.due).toBe(9);
    await expectApiError(
      reader.trpc.kpi.otd.query({ ...march, plantId: at.plant2 }),
      'NOT_FOUND',
      'Plant not found',
    );
  });

  it('leaves an open line pending until its window has passed, and says no data when nothing is due', async () => {
    const week = { from: nextWeek, to: nextWeek, bucket: 'day' } as const;
    const answer = await app.admin.trpc.kpi.otd.query(week);
    expect(answer.totals.toRequest).toEqual({
      due: 0,
      onTime: 0,
      inFull: 0,
      onTimeInFull: 0,
      otd: null,
      otif: null,
      pendingLines: 1,
    });
    expect(answer).toEqual(expected([{ lines: open, plantId: at.plant1 }], week));
    const other = await app.adminB.trpc.kpi.otd.query(march);
    expect(other.totals.toRequest).toMatchObject({ due: 0, otd: null, pendingLines: 0 });
    expect(other.lateLines.toRequest).toEqual([]);
  });

  it('refuses what it cannot answer', async () => {
    const { admin, adminB, tenants, server } = app;
    await expectApiError(
      admin.trpc.kpi.otd.query({ ...march, plantId: tenants.b.plantIds[0]! }),
      'NOT_FOUND',
      'Plant not found',
    );
    const otherCustomer = await app.database.db.ownerTransact(
      { tenantId: tenants.b.tenantId, plantIds: 'all' },
      (tx) =>
        rows<{ id: string }>(
          tx,
          sql`insert into customers (tenant_id, code, name) values (${tenants.b.tenantId}, 'ACME', 'B ACME') returning id::text as id`,
        ),
    );
    await expectApiError(
      admin.trpc.kpi.otd.query({ ...march, customerId: otherCustomer[0]!.id }),
      'NOT_FOUND',
      'Customer not found',
    );
    expect(
      (await adminB.trpc.kpi.otd.query({ ...march, customerId: otherCustomer[0]!.id })).totals.toRequest.due,
    ).toBe(0);
    await expectApiError(
      admin.trpc.kpi.otd.query({ ...march, to: '2026-03-01' }),
      'BAD_REQUEST',
      /ends before it starts/,
    );
    await expectApiError(
      admin.trpc.kpi.otd.query({ ...march, from: '2024-03-01', to: '2026-03-02' }),
      'BAD_REQUEST',
      /at most 731 days/,
    );
    await expectApiError(admin.trpc.kpi.otd.query({ ...march, from: '2026-02-30' }), 'BAD_REQUEST');
    await expectApiError(
      admin.trpc.kpi.otd.query({ ...march, from: '0000-01-01' }),
      'BAD_REQUEST',
      /from 1970/,
    );
    await expectApiError(admin.trpc.kpi.otd.query({ ...march, bucket: 'year' as 'day' }), 'BAD_REQUEST');
    const role = await admin.trpc.rbac.roles.create.mutate({
      key: 'no-kpi',
      name: 'No KPI',
      permissions: ['logistics.read'],
    });
    const user = await signIn(
      server.url,
      (await addUser(admin, { roleIds: [role.id], plantIds: [at.plant1] })).email,
    );
    await expectApiError(user.trpc.kpi.otd.query(march), 'FORBIDDEN', 'This needs the permission kpi.read');
  });
});
