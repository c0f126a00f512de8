import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../db/index.js';
import { type ApiClient, addUser, signIn } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { type Tenants, type TestServer, useTestApp } from '../../testing/app.js';
import { type TestDatabase, testEngines } from '../../testing/engines.js';

/*
 * Quality records for FPY and RTY (docs/kpis.md): defect codes, inspection plans, first inspections
 * and re-inspections after rework, and tenant isolation through the API.
 */
describe.each(testEngines)('quality ($name engine)', (engine) => {
  const app = useTestApp(engine);
  let database: TestDatabase;
  let tenants: Tenants;
  let server: TestServer;
  let adminA: ApiClient;
  let inspectorA: ApiClient;
  /** Tenant A's product with a routing of three operations, a plan on the last, and defect codes. */
  const a = {} as {
    productId: string;
    otherProductId: string;
    ops: Record<'MACHINING' | 'ASSEMBLY' | 'FINAL', string>;
    planId: string;
    bore: string;
    visual: string;
    scratch: string;
  };
  const b = {} as {
    productId: string;
    operationId: string;
    defectId: string;
    planId: string;
    inspectionId: string;
  };

  async function catalogue(admin: ApiClient, productCode: string) {
    const product = await admin.trpc.production.products.create.mutate({
      code: productCode,
      name: productCode,
    });
    const routing = await admin.trpc.production.routings.create.mutate({
      productId: product.id,
      code: `RT-${productCode}`,
      name: productCode,
      operations: [
        { sequence: 10, code: 'MACHINING', name: 'Machining' },
        { sequence: 20, code: 'ASSEMBLY', name: 'Assembly' },
        { sequence: 30, code: 'FINAL', name: 'Final inspection' },
      ],
    });
    const ops = Object.fromEntries(routing.operations.map((o) => [o.code, o.id])) as typeof a.ops;
    const plan = await admin.trpc.quality.inspectionPlans.create.mutate({
      code: `IP-${productCode}`,
      name: 'Final',
      productId: product.id,
      operationId: ops.FINAL,
      characteristics: [
        {
          code: 'BORE_DIA',
          name: 'Bore',
          kind: 'variable',
          unit: 'mm',
          nominal: 42,
          lowerLimit: 41.975,
          upperLimit: 42.025,
        },
        { code: 'VISUAL', name: 'Visual', kind: 'attribute' },
      ],
    });
    const defect = await admin.trpc.quality.defectCodes.create.mutate({
      code: 'SCRATCH',
      name: 'Scratch',
      severity: 'minor',
    });
    return { product, ops, plan, defect };
  }

  beforeAll(async () => {
    ({ database, tenants, server, admin: adminA } = app);
    const adminB = await signIn(server.url, tenants.b.adminEmail);
    const inspector = await addUser(adminA, {
      roleIds: [tenants.a.roleIds.quality!],
      plantIds: [tenants.a.plantIds[0]!],
    });
    inspectorA = await signIn(server.url, inspector.email);

    const made = await catalogue(adminA, 'BRK-100');
    a.productId = made.product.id;
    a.ops = made.ops;
    a.planId = made.plan.id;
    a.bore = made.plan.characteristics.find((c) => c.code === 'BORE_DIA')!.id;
    a.visual = made.plan.characteristics.find((c) => c.code === 'VISUAL')!.id;
    a.scratch = made.defect.id;
    a.otherProductId = (
      await adminA.trpc.production.products.create.mutate({ code: 'OTHER', name: 'Other' })
    ).id;

    const madeB = await catalogue(adminB, 'B-1');
    b.productId = madeB.product.id;
    b.operationId = madeB.ops.FINAL;
    b.defectId = madeB.defect.id;
    b.planId = madeB.plan.id;
    b.inspectionId = (
      await adminB.trpc.quality.inspections.record.mutate({
        plantId: tenants.b.plantIds[0]!,
        productId: b.productId,
        operationId: b.operationId,
        serial: 'B-0001',
        result: 'fail',
      })
    ).id;
  });

  it('records a first inspection, judging measured values against the plan’s limits', async () => {
    const passed = await inspectorA.trpc.quality.inspections.record.mutate({
      plantId: tenants.a.plantIds[0]!,
      productId: a.productId,
      operationId: a.ops.FINAL,
      planId: a.planId,
      serial: 'SN-0001',
      inspectedAt: new Date('2026-11-24T10:00:00Z'),
      results: [
        { characteristicId: a.bore, measuredValue: 42.01 },
        { characteristicId: a.visual, passed: true },
      ],
    });
    expect(passed).toMatchObject({ attempt: 1, afterRework: false, result: 'pass', quantity: 1, lot: null });
    expect(passed.inspectorId).not.toBeNull();
    expect(passed.results.map((r) => r.passed)).toEqual([true, true]);

    const failed = await inspectorA.trpc.quality.inspections.record.mutate({
      plantId: tenants.a.plantIds[0]!,
      productId: a.productId,
      operationId: a.ops.FINAL,
      planId: a.planId,
      serial: 'SN-0002',
      results: [
        { characteristicId: a.bore, measuredValue: 42.04 },
        { characteristicId: a.visual, defectCodeId: a.scratch },
      ],
    });
    expect(failed.result).toBe('fail');
    expect(failed.results.map((r) => r.passed)).toEqual([false, false]);

    // A lot inspection counts its quantity.
    const lot = await inspectorA.trpc.quality.inspections.record.mutate({
      plantId: tenants.a.plantIds[0]!,
      productId: a.productId,
      operationId: a.ops.MACHINING,
      lot: 'LOT-7',
      quantity: 50,
      result: 'pass',
    });
    expect(lot).toMatchObject({ serial: null, lot: 'LOT-7', quantity: 50, attempt: 1 });
  });

  it('records re-inspections after rework as the next attempt, never a second first inspection', async () => {
    const plantId = tenants.a.plantIds[0]!;
    const first = await inspectorA.trpc.quality.inspections.record.mutate({
      plantId,
      productId: a.productId,
      operationId: a.ops.ASSEMBLY,
      serial: 'SN-0100',
      results: [{ defectCodeId: a.scratch }],
    });
    expect(first.result).toBe('fail');
    const again = await expectApiError(
      inspectorA.trpc.quality.inspections.record.mutate({
        plantId,
        productId: a.productId,
        operationId: a.ops.ASSEMBLY,
        serial: 'SN-0100',
        result: 'pass',
      }),
      'CONFLICT',
      'This unit was already inspected at this operation: record a re-inspection',
    );
    expect(again.data?.fieldErrors).toEqual({ serial: 'Already inspected' });

    const second = await inspectorA.trpc.quality.inspections.reinspect.mutate({
      previousInspectionId: first.id,
      result: 'fail',
    });
    expect(second).toMatchObject({
      attempt: 2,
      afterRework: true,
      previousInspectionId: first.id,
      serial: 'SN-0100',
    });
    await expectApiError(
      inspectorA.trpc.quality.inspections.reinspect.mutate({
        previousInspectionId: first.id,
        result: 'pass',
      }),
      'CONFLICT',
      'That inspection has already been followed by a re-inspection',
    );
    const third = await inspectorA.trpc.quality.inspections.reinspect.mutate({
      previousInspectionId: second.id,
      result: 'pass',
    });
    expect(third.attempt).toBe(3);
    await expectApiError(
      inspectorA.trpc.quality.inspections.reinspect.mutate({ previousInspectionId: third.id }),
      'BAD_REQUEST',
      'Only a failed inspection is inspected again',
    );
    const history = await inspectorA.trpc.quality.inspections.list.query({ unit: 'SN-0100', limit: 10 });
    expect(history.map((i) => [i.attempt, i.result])).toEqual([
      [3, 'pass'],
      [2, 'fail'],
      [1, 'fail'],
    ]);
  });

  it('refuses inconsistent input with clear errors', async () => {
    const base = { plantId: tenants.a.plantIds[0]!, productId: a.productId, operationId: a.ops.FINAL };
    await expectApiError(
      inspectorA.trpc.quality.inspections.record.mutate({ ...base, serial: 'X', lot: 'Y', result: 'pass' }),
      'BAD_REQUEST',
      'Name either a serial number or a lot',
    );
    await expectApiError(
      inspectorA.trpc.quality.inspections.record.mutate({
        ...base,
        serial: 'SN-0300',
        result: 'pass',
        results: [{ defectCodeId: a.scratch }],
      }),
      'BAD_REQUEST',
      'An inspection with a failed result cannot pass',
    );
    const wrongProduct = await expectApiError(
      inspectorA.trpc.quality.inspections.record.mutate({
        ...base,
        productId: a.otherProductId,
        serial: 'SN-0301',
      }),
      'BAD_REQUEST',
      'The operation is not on a routing of this product',
    );
    expect(wrongProduct.data?.fieldErrors).toEqual({ operationId: 'Not on the product’s routing' });
    await expectApiError(
      inspectorA.trpc.quality.inspections.record.mutate({
        ...base,
        serial: 'SN-0302',
        results: [{ characteristicId: a.bore, measuredValue: 42 }],
      }),
      'BAD_REQUEST',
      'A characteristic is not one of the inspection’s plan',
    );
    const bad = await expectApiError(
      inspectorA.trpc.quality.inspections.record.mutate({
        ...base,
        productId: 'nope',
        serial: '',
        result: 'maybe' as 'pass',
      }),
      'BAD_REQUEST',
    );
    expect(Object.keys(bad.data?.fieldErrors ?? {}).sort()).toEqual(['productId', 'result', 'serial']);
    await expectApiError(
      adminA.trpc.quality.inspectionPlans.create.mutate({
        code: 'IP-BAD',
        name: 'Bad',
        productId: a.productId,
        operationId: a.ops.FINAL,
        characteristics: [{ code: 'D', name: 'D', kind: 'variable', lowerLimit: 2, upperLimit: 1 }],
      }),
      'BAD_REQUEST',
      'D: the lower limit is above the upper limit',
    );
  });

  it('manages defect codes and plans with quality.manage; operators inspect but do not define', async () => {
    await expectApiError(
      adminA.trpc.quality.defectCodes.create.mutate({ code: 'SCRATCH', name: 'Again' }),
      'CONFLICT',
      'That code is already in use here',
    );
    const dent = await inspectorA.trpc.quality.defectCodes.create.mutate({ code: 'DENT', name: 'Dent' });
    expect(dent).toMatchObject({ severity: 'major', category: 'other', isActive: true });
    await inspectorA.trpc.quality.defectCodes.deactivate.mutate({ id: dent.id });
    expect((await inspectorA.trpc.quality.defectCodes.list.query({})).map((d) => d.code)).toEqual([
      'SCRATCH',
    ]);

    const plan = await inspectorA.trpc.quality.inspectionPlans.update.mutate({
      id: a.planId,
      patch: {
        characteristics: [
          { code: 'BORE_DIA', name: 'Bore diameter', kind: 'variable', lowerLimit: 41.98, upperLimit: 42.02 },
          { code: 'VISUAL', name: 'Visual', kind: 'attribute' },
          { code: 'TORQUE', name: 'Torque', kind: 'variable', unit: 'Nm' },
        ],
      },
    });
    expect(plan.characteristics.map((c) => c.code)).toEqual(['BORE_DIA', 'TORQUE', 'VISUAL']);
    // BORE_DIA kept its id, so recorded results still point at it; removing it is refused.
    expect(plan.characteristics.find((c) => c.code === 'BORE_DIA')!.id).toBe(a.bore);
    await expectApiError(
      inspectorA.trpc.quality.inspectionPlans.update.mutate({ id: a.planId, patch: { characteristics: [] } }),
      'CONFLICT',
      'A characteristic with recorded results cannot be removed',
    );

    const user = await addUser(adminA, {
      roleIds: [tenants.a.roleIds.operator!],
      plantIds: [tenants.a.plantIds[0]!],
    });
    const operator = await signIn(server.url, user.email);
    const inspected = await operator.trpc.quality.inspections.record.mutate({
      plantId: tenants.a.plantIds[0]!,
      productId: a.productId,
      operationId: a.ops.MACHINING,
      serial: 'SN-0400',
      result: 'pass',
    });
    expect(inspected.attempt).toBe(1);
    await expectApiError(
      operator.trpc.quality.defectCodes.create.mutate({ code: 'X', name: 'X' }),
      'FORBIDDEN',
      'This needs the permission quality.manage',
    );
    // Operators read quality records: they raise NCRs about them (docs/ncrs.md).
    await expect(operator.trpc.quality.inspections.list.query({ limit: 10 })).resolves.toBeDefined();
    // The inspector's plant access bounds where they record.
    await expectApiError(
      inspectorA.trpc.quality.inspections.record.mutate({
        plantId: tenants.a.plantIds[1]!,
        productId: a.productId,
        operationId: a.ops.MACHINING,
        serial: 'SN-0401',
        result: 'pass',
      }),
      'NOT_FOUND',
      'Plant not found',
    );
  });

  describe('across tenants', () => {
    function snapshot() {
      const tenantId = tenants.b.tenantId;
      return database.db.ownerTransact({ tenantId, plantIds: 'all' }, async (tx) => {
        const out: Record<string, unknown[]> = {};
        for (const table of [
          'defect_codes',
          'inspection_plans',
          'inspection_characteristics',
          'inspections',
          'inspection_results',
        ]) {
          out[table] = await rows(
            tx,
            sql`select * from ${sql.identifier(table)} where tenant_id = ${tenantId} order by id`,
          );
        }
        return out;
      });
    }

    it('answers "not found" to every attempt on B’s rows and leaves them unchanged', async () => {
      const plantId = tenants.a.plantIds[0]!;
      const attacks: [string, () => Promise<unknown>][] = [
        [
          'Defect code not found',
          () => adminA.trpc.quality.defectCodes.update.mutate({ id: b.defectId, patch: { name: 'x' } }),
        ],
        [
          'Defect code not found',
          () => adminA.trpc.quality.defectCodes.deactivate.mutate({ id: b.defectId }),
        ],
        [
          'Inspection plan not found',
          () => adminA.trpc.quality.inspectionPlans.deactivate.mutate({ id: b.planId }),
        ],
        [
          'Product not found',
          () =>
            adminA.trpc.quality.inspectionPlans.create.mutate({
              code: 'X',
              name: 'X',
              productId: b.productId,
              operationId: b.operationId,
            }),
        ],
        [
          'Operation not found',
          () =>
            adminA.trpc.quality.inspections.record.mutate({
              plantId,
              productId: a.productId,
              operationId: b.operationId,
              serial: 'X-1',
              result: 'pass',
            }),
        ],
        [
          'Plant not found',
          () =>
            adminA.trpc.quality.inspections.record.mutate({
              plantId: tenants.b.plantIds[0]!,
              productId: a.productId,
              operationId: a.ops.FINAL,
              serial: 'X-2',
              result: 'pass',
            }),
        ],
        [
          'Defect code not found',
          () =>
            adminA.trpc.quality.inspections.record.mutate({
              plantId,
              productId: a.productId,
              operationId: a.ops.FINAL,
              serial: 'X-3',
              results: [{ defectCodeId: b.defectId }],
            }),
        ],
        [
          'Inspection not found',
          () =>
            adminA.trpc.quality.inspections.reinspect.mutate({
              previousInspectionId: b.inspectionId,
              result: 'pass',
            }),
        ],
        ['Inspection not found', () => adminA.trpc.quality.inspections.get.query({ id: b.inspectionId })],
      ];
      const before = await snapshot();
      expect(before.inspections).toHaveLength(1);
      for (const [message, call] of attacks) await expectApiError(call(), 'NOT_FOUND', message);
      expect(await snapshot()).toEqual(before);
      expect((await adminA.trpc.quality.inspections.list.query({ unit: 'B-0001', limit: 10 })).length).toBe(
        0,
      );
    });
  });
});
