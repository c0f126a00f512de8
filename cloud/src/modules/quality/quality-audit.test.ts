import { beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, addUser, signIn } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { useTestApp } from '../../testing/app.js';
import { auditTrail, type ExpectedEntry, expectEntries } from '../../testing/audit-entries.js';
import { testEngines } from '../../testing/engines.js';

/*
 * Quality's changes in the audit trail (21 CFR 11.10(e)): defect codes and inspection plans as the
 * quality manager defines them, and inspections, which are GMP records, as the inspector records
 * them — with who, and every value recorded. The steps run in order; refused calls leave nothing.
 */
describe.each(testEngines)('quality audit trail ($name engine)', (engine) => {
  const app = useTestApp(engine);
  let admin: ApiClient;
  let inspector: ApiClient;
  let inspectorId: string;
  let trail: ReturnType<typeof auditTrail>;
  let plantId: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    admin = app.admin;
    trail = auditTrail(app.database.db, app.tenants.a);
    plantId = app.tenants.a.plantIds[0]!;
    const user = await addUser(admin, { roleIds: [app.tenants.a.roleIds.quality!], plantIds: [plantId] });
    inspectorId = user.id;
    inspector = await signIn(app.server.url, user.email);
    ids.productId = (await admin.trpc.production.products.create.mutate({ code: 'BRK', name: 'Brake' })).id;
    const routing = await admin.trpc.production.routings.create.mutate({
      productId: ids.productId,
      code: 'RT',
      name: 'Route',
      operations: [{ sequence: 10, code: 'FINAL', name: 'Final' }],
    });
    ids.operationId = routing.operations[0]!.id;
    ids.dentId = (await admin.trpc.quality.defectCodes.create.mutate({ code: 'DENT', name: 'Dent' })).id;
  });

  interface Step {
    does: string;
    /** Who acts: the quality manager defines, the inspector inspects. */
    as: () => { client: ApiClient; userId: string };
    call: (client: ApiClient) => Promise<unknown>;
    entries: () => ExpectedEntry[];
  }
  const byAdmin = () => ({ client: admin, userId: app.tenants.a.adminUserId });
  const byInspector = () => ({ client: inspector, userId: inspectorId });
  const diameter = { code: 'DIA', name: 'Diameter', kind: 'variable' as const, nominal: 10, lowerLimit: 9.9 };

  const steps: Step[] = [
    {
      does: 'defines a defect code, changes its severity and deactivates it',
      as: byAdmin,
      call: async (c) => {
        const scratch = await c.trpc.quality.defectCodes.create.mutate({ code: 'SCR', name: 'Scratch' });
        await c.trpc.quality.defectCodes.update.mutate({ id: scratch.id, patch: { severity: 'minor' } });
        await c.trpc.quality.defectCodes.deactivate.mutate({ id: scratch.id });
      },
      entries: () => [
        {
          action: 'defect_code.create',
          entityType: 'defect_code',
          entityLabel: 'SCR',
          plantId: null,
          oldValues: null,
          newValues: { code: 'SCR', name: 'Scratch', category: 'other', severity: 'major', isActive: true },
        },
        { action: 'defect_code.update', oldValues: { severity: 'major' }, newValues: { severity: 'minor' } },
        { action: 'defect_code.deactivate', oldValues: { isActive: true }, newValues: { isActive: false } },
      ],
    },
    {
      does: 'defines an inspection plan and changes its characteristics',
      as: byAdmin,
      call: async (c) => {
        const plan = await c.trpc.quality.inspectionPlans.create.mutate({
          code: 'IP-1',
          name: 'Final check',
          productId: ids.productId!,
          operationId: ids.operationId!,
          characteristics: [{ ...diameter, upperLimit: 10.1 }],
        });
        ids.planId = plan.id;
        const updated = await c.trpc.quality.inspectionPlans.update.mutate({
          id: plan.id,
          patch: { characteristics: [{ ...diameter, upperLimit: 10.2 }] },
        });
        ids.diameterId = updated.characteristics[0]!.id;
      },
      entries: () => [
        {
          action: 'inspection_plan.create',
          entityLabel: 'IP-1',
          newValues: {
            productCode: 'BRK',
            operationCode: 'FINAL',
            characteristics: [{ code: 'DIA', kind: 'variable', lowerLimit: 9.9, upperLimit: 10.1 }],
          },
        },
        {
          action: 'inspection_plan.update',
          entityLabel: 'IP-1',
          oldValues: { characteristics: [expect.objectContaining({ upperLimit: 10.1 })] },
          newValues: { characteristics: [expect.objectContaining({ upperLimit: 10.2 })] },
        },
      ],
    },
    {
      does: 'records a failed first inspection with every result',
      as: byInspector,
      call: async (c) => {
        const inspection = await c.trpc.quality.inspections.record.mutate({
          plantId,
          productId: ids.productId!,
          operationId: ids.operationId!,
          planId: ids.planId,
          serial: 'SN-1',
          results: [{ characteristicId: ids.diameterId, measuredValue: 10.3 }, { defectCodeId: ids.dentId }],
        });
        ids.inspectionId = inspection.id;
      },
      entries: () => [
        {
          action: 'inspection.create',
          entityType: 'inspection',
          entityId: ids.inspectionId,
          entityLabel: 'SN-1',
          plantId,
          oldValues: null,
          newValues: {
            productCode: 'BRK',
            operationCode: 'FINAL',
            planCode: 'IP-1',
            serial: 'SN-1',
            attempt: 1,
            result: 'fail',
            inspectorId,
            results: [
              { characteristicCode: 'DIA', measuredValue: 10.3, passed: false, defectCode: null },
              { characteristicCode: null, defectCodeId: ids.dentId, defectCode: 'DENT', passed: false },
            ],
          },
        },
      ],
    },
    {
      does: 'records the re-inspection after rework as the next attempt',
      as: byInspector,
      call: (c) =>
        c.trpc.quality.inspections.reinspect.mutate({
          previousInspectionId: ids.inspectionId!,
          results: [{ characteristicId: ids.diameterId, measuredValue: 10.05 }],
        }),
      entries: () => [
        {
          action: 'inspection.reinspect',
          entityLabel: 'SN-1',
          plantId,
          newValues: {
            attempt: 2,
            afterRework: true,
            previousInspectionId: ids.inspectionId,
            result: 'pass',
            results: [{ characteristicCode: 'DIA', measuredValue: 10.05, passed: true }],
          },
        },
      ],
    },
    {
      does: 'deactivates the plan',
      as: byAdmin,
      call: (c) => c.trpc.quality.inspectionPlans.deactivate.mutate({ id: ids.planId! }),
      entries: () => [
        {
          action: 'inspection_plan.deactivate',
          oldValues: { isActive: true },
          newValues: { isActive: false },
        },
      ],
    },
  ];

  it.each(steps)('$does', async (step) => {
    const { client, userId } = step.as();
    const entries = await trail.during(() => step.call(client));
    expectEntries(entries, step.entries());
    for (const entry of entries) expect(entry).toMatchObject({ actorKind: 'user', actorUserId: userId });
  });

  it('leaves no entry for refused changes, in either tenant', async () => {
    const trailB = auditTrail(app.database.db, app.tenants.b);
    const defectB = await app.adminB.trpc.quality.defectCodes.create.mutate({ code: 'B', name: 'B' });
    const user = await addUser(admin, { roleIds: [app.tenants.a.roleIds.operator!], plantIds: [plantId] });
    const operator = await signIn(app.server.url, user.email);
    const unit = { plantId, productId: ids.productId!, operationId: ids.operationId! };
    type Code = Parameters<typeof expectApiError>[1];
    const refusals: [() => Promise<unknown>, Code][] = [
      [() => inspector.trpc.quality.inspections.record.mutate({ ...unit, serial: 'SN-1' }), 'CONFLICT'],
      [
        () =>
          inspector.trpc.quality.inspections.record.mutate({
            ...unit,
            serial: 'SN-2',
            result: 'pass',
            results: [{ passed: false }],
          }),
        'BAD_REQUEST',
      ],
      [
        () =>
          inspector.trpc.quality.inspections.reinspect.mutate({ previousInspectionId: ids.inspectionId! }),
        'CONFLICT',
      ],
      [
        () =>
          admin.trpc.quality.inspectionPlans.update.mutate({
            id: ids.planId!,
            patch: { characteristics: [{ ...diameter, upperLimit: 9 }] },
          }),
        'BAD_REQUEST',
      ],
      [() => admin.trpc.quality.defectCodes.create.mutate({ code: 'DENT', name: 'Again' }), 'CONFLICT'],
      [
        () => admin.trpc.quality.defectCodes.update.mutate({ id: defectB.id, patch: { name: 'Mine' } }),
        'NOT_FOUND',
      ],
      [() => operator.trpc.quality.defectCodes.create.mutate({ code: 'OP', name: 'Op' }), 'FORBIDDEN'],
    ];
    const lastB = await trailB.lastSeq();
    const entries = await trail.during(async () => {
      for (const [call, code] of refusals) await expectApiError(call(), code);
    });
    expect(entries).toEqual([]);
    expect(await trailB.since(lastB)).toEqual([]);
  });
});
