import { beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, addUser, signIn } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { useTestApp } from '../../testing/app.js';
import { auditTrail, expectEntries } from '../../testing/audit-entries.js';
import { testEngines } from '../../testing/engines.js';

/*
 * NCRs and inspections through the API (docs/ncrs.md, "From an inspection"): one click from a failed
 * inspection, the new-NCR form's prefill from an inspection or a machine, and linking inspections of
 * the NCR's plant only.
 */
describe.each(testEngines)('NCRs from inspections ($name engine)', (engine) => {
  const app = useTestApp(engine);
  let admin: ApiClient;
  const a = {} as {
    plant1: string;
    plant2: string;
    line1: string;
    machine: string;
    product: string;
    final: string;
    plan: string;
    bore: string;
    scratch: string;
    lotOrder: string;
    runningOrder: string;
  };
  let unit = 0;

  /** An inspection at FINAL of a new serial (or the given lot), failed unless said otherwise. */
  const inspect = (
    plantId: string,
    options: {
      lot?: string;
      result?: 'pass' | 'fail';
      planId?: string;
      results?: { characteristicId?: string; defectCodeId?: string; measuredValue?: number; note?: string }[];
    } = {},
  ) =>
    admin.trpc.quality.inspections.record.mutate({
      plantId,
      productId: a.product,
      operationId: a.final,
      planId: options.planId ?? null,
      ...(options.lot === undefined ? { serial: `SN-${++unit}` } : { lot: options.lot, quantity: 40 }),
      result: options.result ?? 'fail',
      results: options.results ?? [],
    });

  beforeAll(async () => {
    admin = app.admin;
    [a.plant1, a.plant2] = app.tenants.a.plantIds as [string, string];
    a.line1 = await app.line(a.plant1, 'L1');
    a.machine = await app.machine(a.line1, 'LATHE');
    const product = await admin.trpc.production.products.create.mutate({
      code: 'BRK-100',
      name: 'Brake rotor',
    });
    a.product = product.id;
    const routing = await admin.trpc.production.routings.create.mutate({
      productId: product.id,
      code: 'RT-BRK',
      name: 'Brake rotor',
      operations: [{ sequence: 10, code: 'FINAL', name: 'Final inspection', lineId: a.line1 }],
    });
    a.final = routing.operations[0]!.id;
    const plan = await admin.trpc.quality.inspectionPlans.create.mutate({
      code: 'IP-BRK',
      name: 'Final',
      productId: product.id,
      operationId: a.final,
      characteristics: [
        { code: 'BORE', name: 'Bore diameter', kind: 'variable', lowerLimit: 41.975, upperLimit: 42.025 },
      ],
    });
    a.plan = plan.id;
    a.bore = plan.characteristics[0]!.id;
    a.scratch = (await admin.trpc.quality.defectCodes.create.mutate({ code: 'SCRATCH', name: 'Scratch' })).id;
    a.lotOrder = (
      await admin.trpc.production.orders.create.mutate({
        plantId: a.plant1,
        number: 'LOT-77',
        productId: a.product,
        quantity: 40,
      })
    ).id;
    const running = await admin.trpc.production.orders.create.mutate({
      plantId: a.plant1,
      productId: a.product,
      lineId: a.line1,
      quantity: 100,
    });
    a.runningOrder = running.id;
    await admin.trpc.production.orders.update.mutate({ id: running.id, patch: { status: 'released' } });
    await admin.trpc.production.orders.update.mutate({ id: running.id, patch: { status: 'in_progress' } });
  });

  it('raises an NCR in one click from a failed inspection, prefilled and linked', async () => {
    const failed = await inspect(a.plant1, {
      planId: a.plan,
      results: [
        { characteristicId: a.bore, measuredValue: 42.04 },
        { defectCodeId: a.scratch, note: 'deep' },
      ],
    });
    const trail = auditTrail(app.database.db, app.tenants.a);
    let id = '';
    const entries = await trail.during(async () => {
      const ncr = await admin.trpc.ncrs.raiseFromInspection.mutate({ inspectionId: failed.id });
      id = ncr.id;
      expect(ncr).toMatchObject({
        plantId: a.plant1,
        title: `Scratch: BRK-100 serial ${failed.serial} at Final inspection`,
        description: `Failed FINAL inspection of BRK-100 serial ${failed.serial}.\n- Scratch — deep\n- Bore diameter (measured 42.04)`,
        productId: a.product,
        // The operation's line, and the one order of the product in progress in the plant.
        lineId: a.line1,
        productionOrderId: a.runningOrder,
        serial: failed.serial,
        lot: null,
        defectCodeId: a.scratch,
        quantityAffected: 1,
        status: 'draft',
      });
    });
    // The tenant's first NCR also writes down its numbering scheme (config's numbering.ts).
    expectEntries(
      entries.filter((e) => e.entityType === 'ncr'),
      [
        {
          action: 'ncr.create',
          entityId: id,
          newValues: expect.objectContaining({ inspectionIds: [failed.id] }),
        },
      ],
    );
    const got = await admin.trpc.ncrs.get.query({ id });
    expect(got.inspections).toMatchObject([
      { id: failed.id, result: 'fail', operationCode: 'FINAL', productCode: 'BRK-100' },
    ]);
    // A second click names the NCR the first one raised.
    await expectApiError(
      admin.trpc.ncrs.raiseFromInspection.mutate({ inspectionId: failed.id }),
      'CONFLICT',
      `${got.number} is already about this inspection`,
    );
  });

  it('takes the order a lot is named after, and refuses a passed inspection', async () => {
    const lot = await inspect(a.plant1, { lot: 'LOT-77' });
    const prefill = await admin.trpc.ncrs.prefillFromInspection.query({ inspectionId: lot.id });
    expect(prefill).toMatchObject({
      inspectionId: lot.id,
      plantId: a.plant1,
      lot: 'LOT-77',
      serial: null,
      quantityAffected: 40,
      productionOrderId: a.lotOrder,
      defectCodeId: null,
      title: 'failed inspection: BRK-100 lot LOT-77 at Final inspection',
    });
    const passed = await inspect(a.plant1, { result: 'pass' });
    const refused = await expectApiError(
      admin.trpc.ncrs.raiseFromInspection.mutate({ inspectionId: passed.id }),
      'BAD_REQUEST',
      'The inspection passed: only a failed inspection raises an NCR',
    );
    expect(refused.data?.fieldErrors).toEqual({ inspectionId: 'It passed' });
    await expectApiError(
      admin.trpc.ncrs.prefillFromInspection.query({ inspectionId: passed.id }),
      'BAD_REQUEST',
    );
  });

  it('prefills an NCR about a machine with its line and what the line is making', async () => {
    expect(await admin.trpc.ncrs.prefillFromMachine.query({ machineId: a.machine })).toEqual({
      plantId: a.plant1,
      lineId: a.line1,
      machineId: a.machine,
      productId: a.product,
      productionOrderId: a.runningOrder,
    });
    const other = await app.machine(await app.line(a.plant2, 'L2'), 'MILL');
    expect(await admin.trpc.ncrs.prefillFromMachine.query({ machineId: other })).toMatchObject({
      plantId: a.plant2,
      productId: null,
      productionOrderId: null,
    });
  });

  it('links and unlinks inspections of the NCR’s plant, audited as changes of the NCR', async () => {
    const failed = await inspect(a.plant1);
    const ncr = await admin.trpc.ncrs.create.mutate({
      plantId: a.plant1,
      title: 'Scratches',
      inspectionIds: [failed.id],
    });
    const again = await admin.trpc.quality.inspections.reinspect.mutate({
      previousInspectionId: failed.id,
      result: 'pass',
    });
    const trail = auditTrail(app.database.db, app.tenants.a);
    const linked = await trail.during(() =>
      admin.trpc.ncrs.linkInspection.mutate({ ncrId: ncr.id, inspectionId: again.id }),
    );
    expectEntries(linked, [
      {
        action: 'ncr.link-inspection',
        entityId: ncr.id,
        entityLabel: ncr.number,
        oldValues: { inspectionIds: [failed.id] },
        newValues: { inspectionIds: [failed.id, again.id] },
      },
    ]);
    // Linking twice changes nothing and records nothing.
    const twice = await trail.during(async () => {
      const got = await admin.trpc.ncrs.linkInspection.mutate({ ncrId: ncr.id, inspectionId: again.id });
      expect(got.inspections.map((i) => [i.id, i.result, i.attempt])).toEqual([
        [failed.id, 'fail', 1],
        [again.id, 'pass', 2],
      ]);
    });
    expect(twice).toEqual([]);
    const unlinked = await trail.during(() =>
      admin.trpc.ncrs.unlinkInspection.mutate({ ncrId: ncr.id, inspectionId: failed.id }),
    );
    expectEntries(unlinked, [{ action: 'ncr.unlink-inspection', newValues: { inspectionIds: [again.id] } }]);
    await expectApiError(
      admin.trpc.ncrs.unlinkInspection.mutate({ ncrId: ncr.id, inspectionId: failed.id }),
      'NOT_FOUND',
      'That inspection is not linked to this NCR',
    );

    const elsewhere = await inspect(a.plant2);
    const otherPlant = await expectApiError(
      admin.trpc.ncrs.linkInspection.mutate({ ncrId: ncr.id, inspectionId: elsewhere.id }),
      'BAD_REQUEST',
      'The inspection is not one of the NCR’s plant',
    );
    expect(otherPlant.data?.fieldErrors).toEqual({ inspectionId: 'Not in this plant' });
    await expectApiError(
      admin.trpc.ncrs.create.mutate({ plantId: a.plant1, title: 'x', inspectionIds: [elsewhere.id] }),
      'BAD_REQUEST',
    );
  });

  it('keeps inspections out of reach unseen: another plant’s and another tenant’s are not found', async () => {
    const plant2Failure = await inspect(a.plant2);
    const raiser = await signIn(
      app.server.url,
      (await addUser(admin, { roleIds: [app.tenants.a.roleIds.operator!], plantIds: [a.plant1] })).email,
    );
    await expectApiError(
      raiser.trpc.ncrs.raiseFromInspection.mutate({ inspectionId: plant2Failure.id }),
      'NOT_FOUND',
      'Inspection not found',
    );
    await expectApiError(
      app.adminB.trpc.ncrs.raiseFromInspection.mutate({ inspectionId: plant2Failure.id }),
      'NOT_FOUND',
    );
    await expectApiError(
      app.adminB.trpc.ncrs.prefillFromMachine.query({ machineId: a.machine }),
      'NOT_FOUND',
      'Machine not found',
    );
    // An operator raises from their own plant's failure, and may then link their draft's re-inspection.
    const own = await inspect(a.plant1);
    const ncr = await raiser.trpc.ncrs.raiseFromInspection.mutate({ inspectionId: own.id });
    expect(ncr.raisedByName).toMatch(/^User /);
  });
});
