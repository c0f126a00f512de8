import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { useTestApp } from '../../testing/app.js';
import { testEngines } from '../../testing/engines.js';
import { envelope } from '../../testing/events.js';

/*
 * Scrap by product, RTY by routing and production against plan equal what the KPI procedures give
 * for the same parameters (docs/reports.md, "The catalogue"), on both engines. Plant A1 (UTC), line
 * L1 with M1 and M2, an early shift 06:00–14:00 on day D; counts of P-A (all for order PO-1, one of
 * them at 20:00, outside the shift), of P-B and without a product; a routing of P-A with inspections
 * and one of P-B without.
 */

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

describe.each(testEngines)(
  'production and quality reports equal the KPI procedures ($name engine)',
  (engine) => {
    const app = useTestApp(engine);
    let admin: ApiClient;
    const D = Math.floor(Date.now() / DAY) * DAY - 3 * DAY;
    const at = (hh: number, mm = 0) => D + hh * HOUR + mm * MIN;
    const ids = {} as { plant: string; line: string; routingA: string; routingB: string; po1: string };
    const range = { preset: 'range' as const, from: new Date(D), to: new Date(D + 2 * DAY) };

    beforeAll(async () => {
      admin = app.admin;
      ids.plant = app.tenants.a.plantIds[0] as string;
      ids.line = await app.line(ids.plant, 'L1');
      const m1 = await app.machine(ids.line, 'M1');
      const m2 = await app.machine(ids.line, 'M2');
      const pr = admin.trpc.production;
      const partA = await pr.products.create.mutate({ code: 'P-A', name: 'Part A' });
      const partB = await pr.products.create.mutate({ code: 'P-B', name: 'Part B' });
      await pr.idealCycleTimes.set.mutate({ machineId: m1, productId: null, secondsPerUnit: 20 });
      await pr.idealCycleTimes.set.mutate({ machineId: m2, productId: null, secondsPerUnit: 20 });
      await pr.shifts.create.mutate({
        plantId: ids.plant,
        name: 'Early',
        startsAt: new Date(at(6)),
        endsAt: new Date(at(14)),
      });

      const edge = await app.edge([ids.plant]);
      const M1 = { plant: 'A1', line: 'L1', machine: 'M1' };
      const M2 = { plant: 'A1', line: 'L1', machine: 'M2' };
      const count = (a: typeof M1, t: number, good: number, scrap: number, extra: object = {}) =>
        envelope(a, 'count', { good, scrap, ...extra }, new Date(t));
      const { results } = await edge.trpc.ingest.push.mutate({
        events: [
          envelope(M1, 'state', { state: 'RUNNING' }, new Date(at(5))),
          envelope(M2, 'state', { state: 'RUNNING' }, new Date(at(5))),
          count(M1, at(7), 100, 10, { product: 'P-A', order: 'PO-1' }),
          count(M1, at(9), 50, 20, { product: 'P-B' }),
          count(M2, at(8), 200, 5, { product: 'P-A', order: 'PO-1' }),
          count(M2, at(12), 30, 2),
          count(M2, at(20), 30, 1, { product: 'P-A', order: 'PO-1' }),
        ],
      });
      expect(results.filter((r) => r.status !== 'accepted')).toEqual([]);

      const order = (number: string, productId: string, quantity: number, times: object) =>
        pr.orders.create.mutate({
          plantId: ids.plant,
          number,
          productId,
          lineId: ids.line,
          quantity,
          ...times,
        });
      ids.po1 = (await order('PO-1', partA.id, 400, { dueAt: new Date(at(30)) })).id;
      await pr.orders.update.mutate({ id: ids.po1, patch: { status: 'released' } });
      await order('PO-2', partB.id, 100, { dueAt: new Date(at(10)) });
      await order('PO-3', partA.id, 50, { plannedStart: new Date(at(2)), plannedEnd: new Date(at(4)) });
      await order('PO-4', partA.id, 70, { dueAt: new Date(D + 5 * DAY) });

      const routing = await pr.routings.create.mutate({
        productId: partA.id,
        code: 'RT-A',
        name: 'Part A',
        operations: [
          { sequence: 10, code: 'MACHINING', name: 'Machining' },
          { sequence: 20, code: 'FINAL', name: 'Final' },
        ],
      });
      ids.routingA = routing.id;
      ids.routingB = (
        await pr.routings.create.mutate({
          productId: partB.id,
          code: 'RT-B',
          name: 'Part B',
          operations: [{ sequence: 10, code: 'PAINT', name: 'Paint' }],
        })
      ).id;
      const op = Object.fromEntries(routing.operations.map((o) => [o.code, o.id]));
      let minute = 0;
      const inspect = (serial: string, operation: string, result: 'pass' | 'fail') =>
        admin.trpc.quality.inspections.record.mutate({
          plantId: ids.plant,
          productId: partA.id,
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
      await inspect('SN2', 'FINAL', 'pass');
    }, 120_000);

    const preview = (reportKey: string, parameters: Record<string, unknown> = {}) =>
      admin.trpc.reports.preview.query({
        reportKey,
        parameters: { plantId: ids.plant, period: range, ...parameters },
      });

    const column = (answer: { columns: { key: string }[]; rows: unknown[][] }, key: string) => {
      const i = answer.columns.findIndex((c) => c.key === key);
      expect(i, `column ${key}`).toBeGreaterThanOrEqual(0);
      return answer.rows.map((r) => r[i]);
    };

    const copyGroupedBy = async (from: string, code: string, by: string, columns?: string[]) => {
      const copy = await admin.trpc.reports.copy.mutate({ from, code, name: code });
      const shipped = await admin.trpc.reports.get.query({ id: copy.id });
      await admin.trpc.reports.update.mutate({
        id: copy.id,
        version: 1,
        definition: { ...shipped.definition, grouping: { by }, ...(columns ? { columns } : {}) },
        message: `By ${by}`,
      });
      return copy.id;
    };

    it("gives scrap by product, most first, as the sum of kpi.oee's per-product quantities", async () => {
      const kpi = await admin.trpc.kpi.oee.query({
        scope: { kind: 'plant', id: ids.plant },
        window: { from: range.from, to: range.to },
      });
      const expected = new Map<string, { produced: number; good: number; scrap: number }>();
      for (const m of kpi.machines) {
        for (const p of m.byProduct) {
          const key = p.productCode ?? '—';
          const acc = expected.get(key) ?? { produced: 0, good: 0, scrap: 0 };
          expected.set(key, {
            produced: acc.produced + p.produced,
            good: acc.good + p.good,
            scrap: acc.scrap + p.scrap,
          });
        }
      }
      const report = await preview('scrap-by-product');
      // The count at 20:00 is outside the shift: kpi.oee leaves it out of quality, and so does the report.
      expect(column(report, 'group')).toEqual(['P-B', 'P-A', '—']);
      expect(column(report, 'scrap')).toEqual([20, 15, 2]);
      const groups = column(report, 'group') as string[];
      expect(column(report, 'produced')).toEqual(groups.map((g) => expected.get(g)?.produced));
      expect(column(report, 'good')).toEqual(groups.map((g) => expected.get(g)?.good));
      expect(column(report, 'scrap')).toEqual(groups.map((g) => expected.get(g)?.scrap));
      const total = kpi.total.components.scrapQuantity;
      expect(column(report, 'share')).toEqual([20 / total, 15 / total, 2 / total]);
      expect(column(report, 'cumulativeShare').at(-1)).toBeCloseTo(1, 12);
      expect(column(report, 'scrapRate')[0]).toBe(20 / 70);

      const byMachine = await copyGroupedBy('scrap-by-product', 'scrap-machines', 'machine');
      const machines = await admin.trpc.reports.preview.query({
        reportId: byMachine,
        parameters: { plantId: ids.plant, period: range },
      });
      const sorted = [...kpi.machines].sort(
        (a, b) => b.components.scrapQuantity - a.components.scrapQuantity,
      );
      expect(column(machines, 'group')).toEqual(sorted.map((m) => m.code));
      expect(column(machines, 'scrap')).toEqual(sorted.map((m) => m.components.scrapQuantity));
      expect(column(machines, 'scrapRate')).toEqual(
        sorted.map((m) => m.components.scrapQuantity / m.components.producedQuantity),
      );
    });

    it('gives RTY per routing inspected as kpi.rty, and each operation in a copy grouped so', async () => {
      const kpi = await admin.trpc.kpi.rty.query({
        routingId: ids.routingA,
        from: range.from,
        to: range.to,
        plantId: ids.plant,
      });
      expect(kpi.rty.value).toBe(0.5);
      const report = await preview('rty-by-routing');
      // RT-B has no inspections in the period: it is left out unless asked for.
      expect(column(report, 'routing')).toEqual(['RT-A']);
      expect(column(report, 'rty')).toEqual([kpi.rty.value]);
      expect(column(report, 'operationsWithoutData')).toEqual(['']);

      const named = await preview('rty-by-routing', { routingId: ids.routingB });
      const kpiB = await admin.trpc.kpi.rty.query({
        routingId: ids.routingB,
        from: range.from,
        to: range.to,
        plantId: ids.plant,
      });
      expect(kpiB.rty.value).toBeNull();
      expect(column(named, 'rty')).toEqual([null]);
      expect(column(named, 'operationsWithoutData')).toEqual(['PAINT']);

      const byOperation = await copyGroupedBy('rty-by-routing', 'rty-ops', 'operation', [
        'routing',
        'operation',
        'unitsInspected',
        'unitsPassedFirstTime',
        'fpy',
        'rty',
      ]);
      const operations = await admin.trpc.reports.preview.query({
        reportId: byOperation,
        parameters: { plantId: ids.plant, period: range },
      });
      expect(column(operations, 'operation')).toEqual(kpi.operations.map((o) => o.operation));
      expect(column(operations, 'fpy')).toEqual(kpi.operations.map((o) => o.fpy.value));
      expect(column(operations, 'unitsInspected')).toEqual(kpi.operations.map((o) => o.unitsInspected));
      expect(column(operations, 'rty')).toEqual([0.5, 0.5]);

      await expectApiError(
        preview('rty-by-routing', { routingId: ids.plant }),
        'NOT_FOUND',
        'Routing not found',
      );
    });

    it('gives each order due in the period against its plan, with every count reported for it', async () => {
      const report = await preview('production-vs-plan');
      // PO-3 is placed by its planned end, PO-4 is due after the period.
      expect(column(report, 'order')).toEqual(['PO-3', 'PO-2', 'PO-1']);
      const po1 = await admin.trpc.production.orders.get.query({ id: ids.po1 });
      const row = (key: string) => column(report, key)[2];
      expect([row('product'), row('line'), row('status'), row('planned'), row('dueAt')]).toEqual([
        po1.productCode,
        po1.lineCode,
        po1.status,
        po1.quantity,
        new Date(po1.dueAt!).toISOString(),
      ]);
      // In the shift, PO-1's counts are all of P-A: kpi.oee's P-A quantities, plus the count made after it.
      const kpi = await admin.trpc.kpi.oee.query({
        scope: { kind: 'plant', id: ids.plant },
        window: { from: range.from, to: range.to },
      });
      const partA = kpi.machines.flatMap((m) => m.byProduct.filter((p) => p.productCode === 'P-A'));
      const good = partA.reduce((sum, p) => sum + p.good, 0);
      const scrap = partA.reduce((sum, p) => sum + p.scrap, 0);
      expect(kpi.total.components.quantityOutsidePlannedOperation).toBe(31);
      expect([row('good'), row('scrap')]).toEqual([good + 30, scrap + 1]);
      expect([row('good'), row('scrap'), row('ofPlan')]).toEqual([330, 16, 330 / 400]);
      expect(column(report, 'good').slice(0, 2)).toEqual([0, 0]);
      expect(column(report, 'ofPlan').slice(0, 2)).toEqual([0, 0]);

      const late = await preview('production-vs-plan', {
        period: { preset: 'range', from: new Date(D + 4 * DAY), to: new Date(D + 6 * DAY) },
      });
      expect(column(late, 'order')).toEqual(['PO-4']);
    });
  },
);
