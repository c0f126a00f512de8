import { beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, addUser, signIn } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { useTestApp } from '../../testing/app.js';
import { testEngines } from '../../testing/engines.js';
import { envelope } from '../../testing/events.js';
import { addCustomer, addRequest } from '../../testing/logistics.js';

/*
 * Every KPI report equals the KPI procedure for the same parameters (docs/reports.md, "The
 * catalogue"), on both engines: the rows of `reports.preview` — read exactly as a run reads them —
 * against kpi.oee, kpi.oeeSeries, kpi.downtimePareto, kpi.fpy and kpi.otd. Plant A1 (UTC), line L1
 * with M1 and M2; day D three days ago with an early shift 06:00–14:00 and a night shift 22:00–06:00
 * that crosses midnight; stops with and without reasons, counts, inspections and delivery requests.
 */

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

describe.each(testEngines)('KPI reports equal the KPI procedures ($name engine)', (engine) => {
  const app = useTestApp(engine);
  let admin: ApiClient;
  const D = Math.floor(Date.now() / DAY) * DAY - 3 * DAY;
  const at = (hh: number, mm = 0) => D + hh * HOUR + mm * MIN;
  const ids = {} as {
    plant: string;
    otherPlant: string;
    line: string;
    m1: string;
    m2: string;
    early: string;
    night: string;
  };
  const range = { preset: 'range' as const, from: new Date(D), to: new Date(D + 2 * DAY) };

  beforeAll(async () => {
    admin = app.admin;
    const [plant, otherPlant] = app.tenants.a.plantIds as [string, string];
    Object.assign(ids, { plant, otherPlant });
    ids.line = await app.line(plant, 'L1');
    ids.m1 = await app.machine(ids.line, 'M1', { name: 'Press 1' });
    ids.m2 = await app.machine(ids.line, 'M2', { name: 'Press 2' });
    const pr = admin.trpc.production;
    await pr.downtimeReasons.create.mutate({
      code: 'JAM',
      name: 'Jam',
      bucket: 'availability_loss',
      category: 'mechanical',
    });
    await pr.downtimeReasons.create.mutate({
      code: 'TOOL',
      name: 'Tool change',
      bucket: 'availability_loss',
      category: 'tooling',
    });
    const product = await pr.products.create.mutate({ code: 'P-A', name: 'Part A' });
    await pr.idealCycleTimes.set.mutate({ machineId: ids.m1, productId: product.id, secondsPerUnit: 30 });
    await pr.idealCycleTimes.set.mutate({ machineId: ids.m1, productId: null, secondsPerUnit: 60 });
    await pr.idealCycleTimes.set.mutate({ machineId: ids.m2, productId: null, secondsPerUnit: 40 });
    ids.early = (
      await pr.shifts.create.mutate({
        plantId: plant,
        name: 'Early',
        startsAt: new Date(at(6)),
        endsAt: new Date(at(14)),
      })
    ).id;
    ids.night = (
      await pr.shifts.create.mutate({
        plantId: plant,
        name: 'Night',
        startsAt: new Date(at(22)),
        endsAt: new Date(at(30)),
      })
    ).id;
    await pr.plannedDowntimes.create.mutate({
      plantId: plant,
      kind: 'break',
      startsAt: new Date(at(10)),
      endsAt: new Date(at(10, 30)),
    });

    const edge = await app.edge([plant]);
    const M1 = { plant: 'A1', line: 'L1', machine: 'M1' };
    const M2 = { plant: 'A1', line: 'L1', machine: 'M2' };
    const state = (a: typeof M1, t: number, s: string, reason?: string) =>
      envelope(a, 'state', reason === undefined ? { state: s } : { state: s, reason }, new Date(t));
    const count = (a: typeof M1, t: number, good: number, scrap = 0, productCode?: string) =>
      envelope(a, 'count', { good, scrap, ...(productCode ? { product: productCode } : {}) }, new Date(t));
    const { results } = await edge.trpc.ingest.push.mutate({
      events: [
        state(M1, at(5), 'RUNNING'),
        state(M1, at(7), 'DOWN', 'JAM'),
        state(M1, at(8), 'RUNNING'),
        state(M1, at(9), 'MICROSTOP'),
        state(M1, at(9, 30), 'RUNNING'),
        state(M1, at(12), 'PLANNED_STOP'),
        state(M1, at(12, 30), 'RUNNING'),
        state(M1, at(23), 'DOWN', 'TOOL'),
        state(M1, at(24, 30), 'RUNNING'),
        state(M1, at(27), 'DOWN'),
        state(M1, at(27, 20), 'RUNNING'),
        count(M1, at(6, 30), 100, 0, 'P-A'),
        count(M1, at(8, 30), 200, 10, 'P-A'),
        count(M1, at(12, 45), 50, 5),
        count(M1, at(23, 30), 80, 4, 'P-A'),
        count(M1, at(26), 120, 0, 'P-A'),
        state(M2, at(7), 'RUNNING'),
        state(M2, at(11), 'DOWN', 'JAM'),
        state(M2, at(11, 30), 'RUNNING'),
        count(M2, at(9), 300),
        count(M2, at(12), 180, 20),
        count(M2, at(25), 400, 3),
      ],
    });
    expect(results.filter((r) => r.status !== 'accepted')).toEqual([]);

    const routing = await pr.routings.create.mutate({
      productId: product.id,
      code: 'RT-A',
      name: 'Part A',
      operations: [
        { sequence: 10, code: 'MACHINING', name: 'Machining' },
        { sequence: 20, code: 'FINAL', name: 'Final' },
      ],
    });
    const op = Object.fromEntries(routing.operations.map((o) => [o.code, o.id]));
    let minute = 0;
    const inspect = (serial: string, operation: string, result: 'pass' | 'fail') =>
      admin.trpc.quality.inspections.record.mutate({
        plantId: plant,
        productId: product.id,
        operationId: op[operation]!,
        serial,
        result,
        inspectedAt: new Date(at(8) + ++minute * MIN),
      });
    await inspect('SN1', 'MACHINING', 'pass');
    const failed = await inspect('SN2', 'MACHINING', 'fail');
    await admin.trpc.quality.inspections.reinspect.mutate({
      previousInspectionId: failed.id,
      afterRework: true,
      result: 'pass',
      inspectedAt: new Date(at(9)),
    });
    await inspect('SN1', 'FINAL', 'pass');

    const tenantId = app.tenants.a.tenantId;
    const customer = await addCustomer(app.database.db, tenantId, { code: 'ACME' });
    const dueDay = new Date(D).toISOString().slice(0, 10);
    for (const quantity of [10, 20]) {
      await addRequest(app.database.db, tenantId, {
        plantId: plant,
        customerId: customer.customerId,
        shipToId: customer.shipToId,
        productId: product.id,
        quantity,
        requestedDate: dueDay,
      });
    }
  }, 120_000);

  const preview = (reportKey: string, parameters: Record<string, unknown>) =>
    admin.trpc.reports.preview.query({
      reportKey,
      parameters: { plantId: ids.plant, period: range, ...parameters },
    });

  const column = (answer: { columns: { key: string }[]; rows: unknown[][] }, key: string) => {
    const i = answer.columns.findIndex((c) => c.key === key);
    return answer.rows.map((r) => r[i]);
  };

  it("gives each machine's OEE per shift exactly as kpi.oee gives it for the shift", async () => {
    const report = await preview('oee-by-shift', {});
    expect(column(report, 'period')).toEqual([
      `${new Date(D).toISOString().slice(0, 10)} Early`,
      `${new Date(D).toISOString().slice(0, 10)} Early`,
      `${new Date(D).toISOString().slice(0, 10)} Night`,
      `${new Date(D).toISOString().slice(0, 10)} Night`,
    ]);
    const expected = [];
    for (const shiftId of [ids.early, ids.night]) {
      const kpi = await admin.trpc.kpi.oee.query({
        scope: { kind: 'plant', id: ids.plant },
        window: { shiftId },
      });
      for (const m of kpi.machines) {
        expected.push([
          m.code,
          m.oee.value,
          m.availability.value,
          m.performance.value,
          m.quality.value,
          m.components.pbtMs / MIN,
          m.components.producedQuantity,
          m.components.goodQuantity,
          m.components.scrapQuantity,
        ]);
      }
    }
    const keys = [
      'machine',
      'oee',
      'availability',
      'performance',
      'quality',
      'plannedBusyTime',
      'produced',
      'good',
      'scrap',
    ];
    const actual = report.rows.map((_, r) => keys.map((k) => column(report, k)[r]));
    expect(actual).toEqual(expected);
    // The night shift crosses midnight and is one period: M1 was down 90 min with TOOL and 20 without a reason.
    const night = await admin.trpc.kpi.oee.query({
      scope: { kind: 'machine', id: ids.m1 },
      window: { shiftId: ids.night },
    });
    expect(night.total.components.availabilityLossMs).toBe(110 * MIN);
  });

  it("gives each line's OEE per day and the plant's per week as kpi.oee and kpi.oeeSeries", async () => {
    const byDay = await preview('oee-by-day', {});
    const days = [0, 1].map((n) => new Date(D + n * DAY).toISOString().slice(0, 10));
    expect(column(byDay, 'period')).toEqual(days);
    for (const [n, day] of days.entries()) {
      const kpi = await admin.trpc.kpi.oee.query({
        scope: { kind: 'plant', id: ids.plant },
        window: { day },
      });
      expect(column(byDay, 'oee')[n]).toBe(kpi.lines[0]!.oee.value);
      expect(column(byDay, 'productionTime')[n]).toBe(kpi.lines[0]!.components.aptMs / MIN);
    }
    const byWeek = await preview('oee-by-week', {});
    const series = await admin.trpc.kpi.oeeSeries.query({
      scope: { kind: 'plant', id: ids.plant },
      from: range.from,
      to: range.to,
      by: 'week',
    });
    expect(column(byWeek, 'period')).toEqual(series.points.map((p) => p.label));
    expect(column(byWeek, 'oee')).toEqual(series.points.map((p) => p.total.oee.value));
    expect(column(byWeek, 'quality')).toEqual(series.points.map((p) => p.total.quality.value));
  });

  it('narrows to a machine and to one shift name', async () => {
    const report = await preview('oee-by-shift', { machineId: ids.m2, shiftName: 'Night' });
    expect(column(report, 'machine')).toEqual(['M2']);
    const kpi = await admin.trpc.kpi.oee.query({
      scope: { kind: 'machine', id: ids.m2 },
      window: { shiftId: ids.night },
    });
    expect(column(report, 'oee')).toEqual([kpi.total.oee.value]);
  });

  it('gives the downtime Pareto by reason as kpi.downtimePareto, and by category as its sums', async () => {
    const report = await preview('downtime-pareto', {});
    const kpi = await admin.trpc.kpi.downtimePareto.query({
      scope: { kind: 'plant', id: ids.plant },
      window: { from: range.from, to: range.to },
    });
    expect(report.rows.length).toBe(kpi.byReason.length);
    expect(column(report, 'cause')).toEqual(kpi.byReason.map((e) => e.cause));
    expect(column(report, 'duration')).toEqual(kpi.byReason.map((e) => e.durationMs / MIN));
    expect(column(report, 'share')).toEqual(kpi.byReason.map((e) => e.share));
    expect(column(report, 'cumulativeShare')).toEqual(kpi.byReason.map((e) => e.cumulativeShare));
    const byCategory = await preview('downtime-by-category', {});
    const sums = new Map<string, number>();
    for (const e of kpi.byReason)
      sums.set(e.category ?? '—', (sums.get(e.category ?? '—') ?? 0) + e.durationMs / MIN);
    expect(
      Object.fromEntries(
        column(byCategory, 'category').map((c, i) => [c, column(byCategory, 'duration')[i]]),
      ),
    ).toEqual(Object.fromEntries(sums));
    expect(column(byCategory, 'cumulativeShare').at(-1)).toBeCloseTo(1, 12);
  });

  it('gives FPY by product as kpi.fpy, and by operation in a copy grouped so', async () => {
    const kpi = await admin.trpc.kpi.fpy.query({
      from: range.from,
      to: range.to,
      plantId: ids.plant,
      by: 'product',
    });
    const report = await preview('fpy-by-product', {});
    expect(column(report, 'group')).toEqual(kpi.groups.map((g) => g.key));
    expect(column(report, 'fpy')).toEqual(kpi.groups.map((g) => g.fpy.value));
    expect(column(report, 'unitsInspected')).toEqual(kpi.groups.map((g) => g.unitsInspected));
    const copy = await admin.trpc.reports.copy.mutate({
      from: 'fpy-by-product',
      code: 'fpy-ops',
      name: 'FPY by operation',
    });
    const shipped = await admin.trpc.reports.get.query({ id: copy.id });
    await admin.trpc.reports.update.mutate({
      id: copy.id,
      version: 1,
      definition: { ...shipped.definition, grouping: { by: 'operation' } },
      message: 'By operation',
    });
    const byOperation = await admin.trpc.kpi.fpy.query({
      from: range.from,
      to: range.to,
      plantId: ids.plant,
      by: 'operation',
    });
    const copied = await admin.trpc.reports.preview.query({
      reportId: copy.id,
      parameters: { plantId: ids.plant, period: range },
    });
    expect(byOperation.groups.map((g) => [g.key, g.unitsPassedFirstTime, g.unitsInspected])).toEqual([
      ['FINAL', 1, 1],
      ['MACHINING', 1, 2],
    ]);
    expect(column(copied, 'group')).toEqual(byOperation.groups.map((g) => g.key));
    expect(column(copied, 'fpy')).toEqual(byOperation.groups.map((g) => g.fpy.value));
  });

  it('gives OTD per week, per customer and the late lines as kpi.otd', async () => {
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const kpi = await admin.trpc.kpi.otd.query({
      plantId: ids.plant,
      from: day(D),
      to: day(D + 2 * DAY - 1),
      bucket: 'week',
    });
    const series = await preview('otd-otif', {});
    expect(column(series, 'bucket')).toEqual(kpi.series.map((p) => p.start));
    expect(column(series, 'due')).toEqual(kpi.series.map((p) => p.toRequest.due));
    expect(column(series, 'otd')).toEqual(kpi.series.map((p) => p.toRequest.otd));
    const late = await preview('late-shipments', {});
    expect(column(late, 'request')).toEqual(kpi.lateLines.toRequest.map((l) => l.number));
    expect(column(late, 'status')).toEqual(kpi.lateLines.toRequest.map((l) => l.status));
    expect(late.rows.length).toBe(2);
  });

  it('resolves "last shift" to the night shift across midnight, named in the plant zone', async () => {
    const report = await admin.trpc.reports.preview.query({
      reportKey: 'oee-by-shift',
      parameters: { plantId: ids.plant, period: { preset: 'lastShift' } },
    });
    expect(report.period).toMatchObject({
      preset: 'lastShift',
      start: at(22),
      end: at(30),
      timezone: 'UTC',
      label: `${new Date(D).toISOString().slice(0, 10)} Night`,
    });
    expect(new Set(column(report, 'shift'))).toEqual(new Set(['Night']));
    await expectApiError(
      admin.trpc.reports.preview.query({
        reportKey: 'oee-by-shift',
        parameters: { plantId: ids.plant, period: { preset: 'currentShift' } },
      }),
      'BAD_REQUEST',
      'No shift of the plant is running now',
    );
  });

  it('refuses a report to a caller without its data permission or plant, saying which', async () => {
    const { a } = app.tenants;
    const user = await addUser(admin, { roleIds: [a.roleIds.operator!], plantIds: [ids.plant] });
    const operator = await signIn(app.server.url, user.email);
    await expectApiError(
      operator.trpc.reports.run.mutate({
        reportKey: 'audit-extract',
        parameters: { plantId: ids.plant },
        format: 'csv',
      }),
      'FORBIDDEN',
      '"Audit extract" shows data that needs the permission audit.read, which you do not have',
    );
    // The operator reads KPIs, so runs the OEE report — for a plant in reach, and must name one.
    const own = await operator.trpc.reports.preview.query({
      reportKey: 'oee-by-day',
      parameters: { plantId: ids.plant, period: range },
    });
    expect(own.rows.length).toBe(2);
    await expectApiError(
      operator.trpc.reports.preview.query({
        reportKey: 'oee-by-day',
        parameters: { plantId: ids.otherPlant, period: range },
      }),
      'NOT_FOUND',
    );
    await expectApiError(
      operator.trpc.reports.preview.query({ reportKey: 'fpy-by-product', parameters: { period: range } }),
      'BAD_REQUEST',
      'Choose a plant: a report over every plant needs access to every plant',
    );
    await expectApiError(
      admin.trpc.reports.preview.query({ reportKey: 'oee-by-day', parameters: { period: range } }),
      'BAD_REQUEST',
      '"OEE by day" needs a plant',
    );
    await expectApiError(
      admin.trpc.reports.preview.query({ reportKey: 'no-such-report', parameters: {} }),
      'NOT_FOUND',
    );
  });
});
