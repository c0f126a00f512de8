import { beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, addUser, signIn } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { useTestApp } from '../../testing/app.js';
import {
  type AuditEntry,
  auditTrail,
  type ExpectedEntry,
  expectEntries,
} from '../../testing/audit-entries.js';
import { testEngines } from '../../testing/engines.js';

/*
 * Every change of production's records through the API is in the audit trail (21 CFR 11.10(e), EU GMP
 * Annex 11 §9): who, what, and the old and new values, in the call's own transaction. The steps below
 * run in order against one tenant, each with the entries it must leave; refused calls leave none.
 */
describe.each(testEngines)('production audit trail ($name engine)', (engine) => {
  const app = useTestApp(engine);
  let admin: ApiClient;
  let trail: ReturnType<typeof auditTrail>;
  let plantId: string;
  let machineId: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    admin = app.admin;
    trail = auditTrail(app.database.db, app.tenants.a);
    plantId = app.tenants.a.plantIds[0]!;
    const lineId = await app.line(plantId, 'L1');
    machineId = await app.machine(lineId, 'M1');
    ids.lineId = lineId;
    await admin.trpc.config.fields.create.mutate({
      entityType: 'product',
      key: 'batch_size',
      label: 'Batch size',
      type: 'integer',
    });
    ids.reasonId = (
      await admin.trpc.production.downtimeReasons.create.mutate({
        code: 'PM',
        name: 'Maintenance',
        bucket: 'planned_stop',
      })
    ).id;
  });

  /** One call, and the entries it must leave: every one by tenant A's administrator. */
  interface Step {
    does: string;
    call: () => Promise<unknown>;
    entries: () => ExpectedEntry[];
  }
  const byAdmin = (entries: AuditEntry[]) => {
    for (const entry of entries)
      expect(entry).toMatchObject({
        actorKind: 'user',
        actorUserId: app.tenants.a.adminUserId,
        actorName: 'Admin A',
      });
  };
  const save = (key: string) => (row: { id: string }) => {
    ids[key] = row.id;
  };
  const t = () => admin.trpc.production;
  const at = (iso: string) => new Date(iso);

  const steps: Step[] = [
    {
      does: 'creates a product with a custom value',
      call: () =>
        t()
          .products.create.mutate({ code: 'P-1', name: 'Pump', custom: { batch_size: 50 } })
          .then(save('productId')),
      entries: () => [
        {
          action: 'product.create',
          entityType: 'product',
          entityId: ids.productId,
          entityLabel: 'P-1',
          plantId: null,
          oldValues: null,
          newValues: { code: 'P-1', name: 'Pump', unit: 'pcs', isActive: true },
        },
        // Every product is a finished material, made with it (docs/materials.md, "Products").
        {
          action: 'material.create',
          entityType: 'material',
          entityLabel: 'P-1',
          newValues: { code: 'P-1', kind: 'finished', baseUnit: 'pcs', productId: ids.productId },
        },
        {
          action: 'product.custom-values-change',
          entityId: ids.productId,
          entityLabel: 'P-1',
          oldValues: null,
          newValues: { batch_size: 50 },
        },
      ],
    },
    {
      does: 'renames it and changes its custom value in one call',
      call: () =>
        t().products.update.mutate({
          id: ids.productId!,
          patch: { name: 'Pump 2' },
          custom: { batch_size: 60 },
        }),
      entries: () => [
        { action: 'product.update', oldValues: { name: 'Pump' }, newValues: { name: 'Pump 2' } },
        { action: 'material.update', oldValues: { name: 'Pump' }, newValues: { name: 'Pump 2' } },
        {
          action: 'product.custom-values-change',
          oldValues: { batch_size: 50 },
          newValues: { batch_size: 60 },
        },
      ],
    },
    {
      does: 'deactivates it',
      call: () => t().products.deactivate.mutate({ id: ids.productId! }),
      entries: () => [
        { action: 'product.deactivate', oldValues: { isActive: true }, newValues: { isActive: false } },
        { action: 'material.deactivate', oldValues: { isActive: true }, newValues: { isActive: false } },
      ],
    },
    {
      does: 'maps a state code and changes its bucket',
      call: async () => {
        const state = await t().stateCodes.create.mutate({
          code: 'SETUP',
          name: 'Setup',
          colour: '#123456',
          bucket: 'availability_loss',
        });
        await t().stateCodes.update.mutate({ id: state.id, patch: { bucket: 'planned_stop' } });
      },
      entries: () => [
        {
          action: 'state_loss_mapping.create',
          entityLabel: 'SETUP',
          newValues: { code: 'SETUP', bucket: 'availability_loss' },
        },
        {
          action: 'state_loss_mapping.update',
          oldValues: { bucket: 'availability_loss' },
          newValues: { bucket: 'planned_stop' },
        },
      ],
    },
    {
      does: 'adds a downtime reason and deactivates it',
      call: async () => {
        const reason = await t().downtimeReasons.create.mutate({
          code: 'JAM',
          name: 'Jam',
          bucket: 'availability_loss',
        });
        await t().downtimeReasons.deactivate.mutate({ id: reason.id });
      },
      entries: () => [
        {
          action: 'downtime_reason.create',
          entityLabel: 'JAM',
          newValues: { category: 'other', isActive: true },
        },
        { action: 'downtime_reason.deactivate', entityLabel: 'JAM', newValues: { isActive: false } },
      ],
    },
    {
      does: 'sets, replaces and clears ideal cycle times, named by machine and product',
      call: async () => {
        await t().idealCycleTimes.set.mutate({ machineId, productId: null, secondsPerUnit: 30 });
        await t().idealCycleTimes.set.mutate({ machineId, productId: ids.productId!, secondsPerUnit: 25 });
        await t().idealCycleTimes.set.mutate({ machineId, productId: null, secondsPerUnit: 20 });
        await t().idealCycleTimes.clear.mutate({ machineId, productId: ids.productId! });
      },
      entries: () => [
        {
          action: 'ideal_cycle_time.create',
          entityType: 'ideal_cycle_time',
          entityLabel: 'M1/default',
          plantId,
          newValues: { machineId, machineCode: 'M1', productId: null, productCode: null, secondsPerUnit: 30 },
        },
        {
          action: 'ideal_cycle_time.create',
          entityLabel: 'M1/P-1',
          plantId,
          newValues: { productCode: 'P-1', secondsPerUnit: 25 },
        },
        {
          action: 'ideal_cycle_time.update',
          entityLabel: 'M1/default',
          oldValues: { secondsPerUnit: 30 },
          newValues: { secondsPerUnit: 20 },
        },
        {
          action: 'ideal_cycle_time.delete',
          entityLabel: 'M1/P-1',
          plantId,
          oldValues: { machineCode: 'M1', productCode: 'P-1', secondsPerUnit: 25 },
          newValues: null,
        },
      ],
    },
    {
      does: 'creates a shift pattern and changes a shift of it',
      call: async () => {
        const day = {
          code: 'D',
          name: 'Day',
          weekdays: [1, 2, 3, 4, 5],
          startTime: '06:00',
          durationMinutes: 480,
        };
        const pattern = await t().shiftPatterns.create.mutate({
          plantId,
          code: 'DAY',
          name: 'Days',
          shifts: [day],
        });
        await t().shiftPatterns.update.mutate({
          id: pattern.id,
          patch: { shifts: [{ ...day, durationMinutes: 420 }] },
        });
      },
      entries: () => [
        {
          action: 'shift_pattern.create',
          entityLabel: 'DAY',
          plantId,
          newValues: {
            code: 'DAY',
            timezone: 'UTC',
            shifts: [{ code: 'D', durationMinutes: 480, breaks: [] }],
          },
        },
        {
          action: 'shift_pattern.update',
          entityLabel: 'DAY',
          plantId,
          oldValues: { shifts: [expect.objectContaining({ durationMinutes: 480 })] },
          newValues: { shifts: [expect.objectContaining({ durationMinutes: 420 })] },
        },
      ],
    },
    {
      does: 'generates the plant’s shifts, with what it did',
      call: () => t().shifts.generate.mutate({ plantId, from: '2026-11-02', to: '2026-11-03' }),
      entries: () => [
        {
          action: 'shift.generate',
          entityType: 'shift',
          entityId: plantId,
          entityLabel: 'A1 2026-11-02…2026-11-03',
          plantId,
          newValues: { from: '2026-11-02', to: '2026-11-03', generated: 2, removed: 0, skipped: [] },
        },
      ],
    },
    {
      does: 'adds an extra shift, cancels it and deletes it',
      call: async () => {
        const shift = await t().shifts.create.mutate({
          plantId,
          name: 'Overtime',
          startsAt: at('2026-11-07T06:00:00Z'),
          endsAt: at('2026-11-07T10:00:00Z'),
        });
        await t().shifts.update.mutate({ id: shift.id, patch: { isCancelled: true } });
        await t().shifts.delete.mutate({ id: shift.id });
      },
      entries: () => [
        {
          action: 'shift.create',
          entityLabel: 'Overtime 2026-11-07',
          plantId,
          newValues: { name: 'Overtime', startsAt: '2026-11-07T06:00:00.000Z', isCancelled: false },
        },
        { action: 'shift.cancel', oldValues: { isCancelled: false }, newValues: { isCancelled: true } },
        { action: 'shift.delete', oldValues: { name: 'Overtime', isCancelled: true }, newValues: null },
      ],
    },
    {
      does: 'plans a machine’s downtime, moves it and deletes it',
      call: async () => {
        const downtime = await t().plannedDowntimes.create.mutate({
          machineId,
          kind: 'maintenance',
          reasonId: ids.reasonId,
          startsAt: at('2026-11-04T09:00:00Z'),
          endsAt: at('2026-11-04T10:00:00Z'),
        });
        await t().plannedDowntimes.update.mutate({
          id: downtime.id,
          patch: { endsAt: at('2026-11-04T11:00:00Z') },
        });
        await t().plannedDowntimes.delete.mutate({ id: downtime.id });
      },
      entries: () => [
        {
          action: 'planned_downtime.create',
          entityLabel: 'maintenance 2026-11-04T09:00:00.000Z',
          plantId,
          newValues: {
            kind: 'maintenance',
            lineCode: 'L1',
            machineCode: 'M1',
            reasonId: ids.reasonId,
            reasonCode: 'PM',
          },
        },
        {
          action: 'planned_downtime.update',
          oldValues: { endsAt: '2026-11-04T10:00:00.000Z' },
          newValues: { endsAt: '2026-11-04T11:00:00.000Z' },
        },
        { action: 'planned_downtime.delete', oldValues: { machineCode: 'M1' }, newValues: null },
      ],
    },
    {
      does: 'creates a routing and changes, adds and removes its operations',
      call: async () => {
        const routing = await t().routings.create.mutate({
          productId: ids.productId!,
          code: 'RT-1',
          name: 'Route',
          operations: [
            { sequence: 10, code: 'CUT', name: 'Cut', lineId: ids.lineId },
            { sequence: 20, code: 'PACK', name: 'Pack' },
          ],
        });
        await t().routings.update.mutate({
          id: routing.id,
          patch: {
            operations: [
              { sequence: 10, code: 'CUT', name: 'Cut to length', lineId: ids.lineId },
              { sequence: 30, code: 'TEST', name: 'Test' },
            ],
          },
        });
      },
      entries: () => [
        {
          action: 'routing.create',
          entityLabel: 'RT-1',
          newValues: { code: 'RT-1', productCode: 'P-1', isActive: true },
        },
        {
          action: 'routing_operation.create',
          entityLabel: 'RT-1/CUT',
          newValues: { sequence: 10, lineCode: 'L1', routingCode: 'RT-1' },
        },
        { action: 'routing_operation.create', entityLabel: 'RT-1/PACK' },
        {
          action: 'routing_operation.update',
          entityLabel: 'RT-1/CUT',
          oldValues: { name: 'Cut' },
          newValues: { name: 'Cut to length' },
        },
        { action: 'routing_operation.create', entityLabel: 'RT-1/TEST' },
        {
          action: 'routing_operation.delete',
          entityLabel: 'RT-1/PACK',
          oldValues: { sequence: 20 },
          newValues: null,
        },
      ],
    },
    {
      does: 'numbers a new order (creating the plant’s numbering scheme on first use)',
      call: () =>
        t().orders.create.mutate({ plantId, productId: ids.productId!, quantity: 100 }).then(save('orderId')),
      entries: () => [
        { action: 'numbering_scheme.create', entityLabel: 'production_order', plantId: null },
        {
          action: 'production_order.create',
          entityId: ids.orderId,
          entityLabel: expect.stringMatching(/^PO-A1-\d{4}-00001$/),
          plantId,
          newValues: { productCode: 'P-1', quantity: 100, status: 'planned', lineId: null },
        },
      ],
    },
    {
      does: 'records a change of fields and a release as two actions',
      call: () =>
        t().orders.update.mutate({
          id: ids.orderId!,
          patch: { quantity: 120, lineId: ids.lineId, status: 'released' },
        }),
      entries: () => [
        {
          action: 'production_order.update',
          oldValues: { quantity: 100, lineId: null, lineCode: null },
          newValues: { quantity: 120, lineId: ids.lineId, lineCode: 'L1' },
        },
        {
          action: 'production_order.release',
          plantId,
          oldValues: { status: 'planned' },
          newValues: { status: 'released' },
        },
      ],
    },
    {
      does: 'starts and completes the order',
      call: async () => {
        await t().orders.update.mutate({ id: ids.orderId!, patch: { status: 'in_progress' } });
        await t().orders.update.mutate({ id: ids.orderId!, patch: { status: 'completed' } });
      },
      entries: () => [
        {
          action: 'production_order.start',
          oldValues: { status: 'released' },
          newValues: { status: 'in_progress' },
        },
        {
          action: 'production_order.complete',
          oldValues: { status: 'in_progress' },
          newValues: { status: 'completed' },
        },
      ],
    },
    {
      does: 'cancels an order numbered by hand',
      call: async () => {
        const order = await t().orders.create.mutate({
          plantId,
          number: 'ERP-7',
          productId: ids.productId!,
          quantity: 5,
        });
        await t().orders.update.mutate({ id: order.id, patch: { status: 'cancelled' } });
      },
      entries: () => [
        { action: 'production_order.create', entityLabel: 'ERP-7' },
        {
          action: 'production_order.cancel',
          entityLabel: 'ERP-7',
          oldValues: { status: 'planned' },
          newValues: { status: 'cancelled' },
        },
      ],
    },
  ];

  it.each(steps)('$does', async (step) => {
    const entries = await trail.during(step.call);
    expectEntries(entries, step.entries());
    byAdmin(entries);
  });

  it('leaves no entry for refused changes, in either tenant', async () => {
    const trailB = auditTrail(app.database.db, app.tenants.b);
    const productB = await app.adminB.trpc.production.products.create.mutate({ code: 'B-1', name: 'B' });
    const user = await addUser(admin, { roleIds: [app.tenants.a.roleIds.operator!], plantIds: [plantId] });
    const operator = await signIn(app.server.url, user.email);
    type Code = Parameters<typeof expectApiError>[1];
    const refusals: [() => Promise<unknown>, Code][] = [
      [() => t().products.create.mutate({ code: 'P-1', name: 'Taken' }), 'CONFLICT'],
      [
        () => t().products.create.mutate({ code: 'P-2', name: 'Bad', custom: { batch_size: 'many' } }),
        'BAD_REQUEST',
      ],
      [() => t().products.update.mutate({ id: ids.productId!, patch: { name: '' } }), 'BAD_REQUEST'],
      [() => t().products.update.mutate({ id: productB.id, patch: { name: 'Mine' } }), 'NOT_FOUND'],
      [
        () => operator.trpc.production.products.update.mutate({ id: ids.productId!, patch: { name: 'Op' } }),
        'FORBIDDEN',
      ],
      [
        () =>
          t().shifts.create.mutate({
            plantId,
            name: 'Clash',
            startsAt: at('2026-11-02T07:00:00Z'),
            endsAt: at('2026-11-02T09:00:00Z'),
          }),
        'CONFLICT',
      ],
      [() => t().orders.update.mutate({ id: ids.orderId!, patch: { note: 'Too late' } }), 'CONFLICT'],
      [
        () => t().orders.create.mutate({ plantId, number: 'ERP-7', productId: ids.productId!, quantity: 1 }),
        'CONFLICT',
      ],
    ];
    const lastB = await trailB.lastSeq();
    const entries = await trail.during(async () => {
      for (const [call, code] of refusals) await expectApiError(call(), code);
    });
    expect(entries).toEqual([]);
    expect(await trailB.since(lastB)).toEqual([]);
    // The product refused for its custom value was not created either.
    expect((await t().products.list.query({ includeInactive: true })).map((p) => p.code)).not.toContain(
      'P-2',
    );
  });
});
