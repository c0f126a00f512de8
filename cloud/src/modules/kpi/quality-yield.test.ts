import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { useTestApp } from '../../testing/app.js';
import { testEngines } from '../../testing/engines.js';

/*
 * FPY and RTY from recorded inspections (docs/kpis.md), through the API on both engines.
 * Hand-computed:
 *
 *   MACHINING  SN1 pass · SN2 fail → rework → pass · SN3 pass · SN4 pass    FPY = 3/4 = 0.75
 *   ASSEMBLY   SN1 pass · SN2 pass · SN3 fail → rework → pass               FPY = 2/3 = 0.6667
 *   FINAL      SN1 pass · SN2 pass                                          FPY = 2/2 = 1
 *   RTY = 0.75 × 2/3 × 1 = 0.5
 *   In total, 9 unit-operations inspected first in the period, 7 passed first time: 7/9.
 * SN3's re-inspection at ASSEMBLY comes after the period's end and still counts: rework is rework.
 * SN9, first inspected before the period, is re-inspected inside it: not in the denominator.
 */
describe.each(testEngines)('FPY and RTY ($name engine)', (engine) => {
  const app = useTestApp(engine);
  let admin: ApiClient;
  let routingId = '';
  const from = new Date('2026-11-24T06:00:00Z');
  const to = new Date('2026-11-24T14:00:00Z');

  beforeAll(async () => {
    ({ admin } = app);
    const { tenants } = app;
    const product = await admin.trpc.production.products.create.mutate({ code: 'BRK-100', name: 'Brake' });
    const routing = await admin.trpc.production.routings.create.mutate({
      productId: product.id,
      code: 'RT-BRK',
      name: 'Brake',
      operations: [
        { sequence: 10, code: 'MACHINING', name: 'Machining' },
        { sequence: 20, code: 'ASSEMBLY', name: 'Assembly' },
        { sequence: 30, code: 'FINAL', name: 'Final' },
      ],
    });
    routingId = routing.id;
    const op = Object.fromEntries(routing.operations.map((o) => [o.code, o.id]));
    const plantId = tenants.a.plantIds[0]!;
    let minute = 0;
    const inspect = async (serial: string, operation: string, result: 'pass' | 'fail', at?: Date) =>
      admin.trpc.quality.inspections.record.mutate({
        plantId,
        productId: product.id,
        operationId: op[operation]!,
        serial,
        result,
        inspectedAt: at ?? new Date(from.getTime() + ++minute * 60_000),
      });
    const rework = async (previousInspectionId: string, at?: Date) =>
      admin.trpc.quality.inspections.reinspect.mutate({
        previousInspectionId,
        afterRework: true,
        result: 'pass',
        inspectedAt: at ?? new Date(from.getTime() + ++minute * 60_000),
      });
    await inspect('SN1', 'MACHINING', 'pass');
    await rework((await inspect('SN2', 'MACHINING', 'fail')).id);
    await inspect('SN3', 'MACHINING', 'pass');
    await inspect('SN4', 'MACHINING', 'pass');
    await inspect('SN1', 'ASSEMBLY', 'pass');
    await inspect('SN2', 'ASSEMBLY', 'pass');
    await rework((await inspect('SN3', 'ASSEMBLY', 'fail')).id, new Date('2026-11-24T15:00:00Z'));
    await inspect('SN1', 'FINAL', 'pass');
    await inspect('SN2', 'FINAL', 'pass');
    await rework((await inspect('SN9', 'MACHINING', 'fail', new Date('2026-11-23T20:00:00Z'))).id);
  });

  it('gives FPY per operation and in total, counting rework after the period', async () => {
    const report = await admin.trpc.kpi.fpy.query({ from, to, by: 'operation' });
    expect(report.groups.map((g) => [g.key, g.unitsPassedFirstTime, g.unitsInspected])).toEqual([
      ['ASSEMBLY', 2, 3],
      ['FINAL', 2, 2],
      ['MACHINING', 3, 4],
    ]);
    expect(report.total.fpy.value).toBeCloseTo(7 / 9, 12);
    expect(report.total.reinspectionsWithoutFirst).toBe(1);
    const byProduct = await admin.trpc.kpi.fpy.query({ from, to, by: 'product' });
    expect(byProduct.groups).toMatchObject([{ key: 'BRK-100', unitsInspected: 9, unitsPassedFirstTime: 7 }]);
  });

  it('gives RTY as the product of the operations’ FPY, and no data where an operation has none', async () => {
    const rty = await admin.trpc.kpi.rty.query({ routingId, from, to });
    expect(rty.operations.map((o) => o.fpy.value)).toEqual([0.75, 2 / 3, 1]);
    expect(rty.rty.value).toBeCloseTo(0.75 * (2 / 3) * 1, 12);
    // Before 08:00 only MACHINING and ASSEMBLY inspections exist (the first 6 minutes): FINAL has none.
    const early = await admin.trpc.kpi.rty.query({
      routingId,
      from,
      to: new Date(from.getTime() + 6.5 * 60_000),
    });
    expect(early.rty).toEqual({ value: null, reason: 'operation_without_inspections' });
    expect(early.operationsWithoutData).toEqual(['FINAL']);
  });

  it('refuses an unknown routing and an empty period', async () => {
    await expectApiError(
      admin.trpc.kpi.rty.query({ routingId: '00000000-0000-4000-8000-000000000000', from, to }),
      'NOT_FOUND',
    );
    await expectApiError(
      admin.trpc.kpi.fpy.query({ from: to, to: from }),
      'BAD_REQUEST',
      /end after it starts/,
    );
  });
});
