import { beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, addUser, signIn } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { useTestApp } from '../../testing/app.js';
import { auditTrail, type ExpectedEntry, expectEntries } from '../../testing/audit-entries.js';
import { testEngines } from '../../testing/engines.js';

/*
 * The configuration engine's changes in the audit trail (21 CFR 11.10(e), EU GMP Annex 11 §9), beside
 * the version history it keeps: type lists and their options, field definitions, numbering schemes,
 * and records' custom values, recorded on the record itself by field key. The steps run in order;
 * refused calls leave nothing.
 */
describe.each(testEngines)('configuration audit trail ($name engine)', (engine) => {
  const app = useTestApp(engine);
  let admin: ApiClient;
  let operator: ApiClient;
  let operatorId: string;
  let trail: ReturnType<typeof auditTrail>;
  let plantId: string;
  const ids: Record<string, string> = {};
  const options: Record<string, string> = {};

  beforeAll(async () => {
    admin = app.admin;
    trail = auditTrail(app.database.db, app.tenants.a);
    plantId = app.tenants.a.plantIds[0]!;
    const user = await addUser(admin, { roleIds: [app.tenants.a.roleIds.operator!], plantIds: [plantId] });
    operatorId = user.id;
    operator = await signIn(app.server.url, user.email);
    ids.machineId = await app.machine(await app.line(plantId, 'L1'), 'M1');
    ids.productId = (await admin.trpc.production.products.create.mutate({ code: 'P-1', name: 'Pump' })).id;
  });

  interface Step {
    does: string;
    /** The operator fills in values; everything else is the administrator's. */
    as?: 'operator';
    call: (client: ApiClient) => Promise<unknown>;
    entries: () => ExpectedEntry[];
  }
  const c = () => admin.trpc.config;
  const keep = (list: { id: string; options: { id: string; code: string }[] }) => {
    ids.listId = list.id;
    for (const o of list.options) options[o.code] = o.id;
  };

  const steps: Step[] = [
    {
      does: 'creates a type list with its options',
      call: async () =>
        keep(
          await c().typeLists.create.mutate({
            code: 'GRADES',
            name: 'Grades',
            options: [
              { code: 'A', label: 'Grade A' },
              { code: 'B', label: 'Grade B', colour: '#22c55e' },
            ],
          }),
        ),
      entries: () => [
        {
          action: 'type_list.create',
          entityType: 'type_list',
          entityId: ids.listId,
          entityLabel: 'GRADES',
          newValues: { code: 'GRADES', name: 'Grades', description: null, isActive: true },
        },
        {
          action: 'type_list_value.create',
          entityType: 'type_list_value',
          entityId: options.A,
          entityLabel: 'GRADES/A',
          newValues: { typeListCode: 'GRADES', code: 'A', label: 'Grade A', sortOrder: 1, isActive: true },
        },
        {
          action: 'type_list_value.create',
          entityLabel: 'GRADES/B',
          newValues: { colour: '#22c55e', sortOrder: 2 },
        },
      ],
    },
    {
      does: 'renames the list, adds, changes and deactivates options, and reorders them',
      call: async () => {
        await c().typeLists.update.mutate({ id: ids.listId!, patch: { name: 'Quality grades' } });
        keep(await c().typeLists.addOption.mutate({ typeListId: ids.listId!, code: 'C', label: 'Grade C' }));
        await c().typeLists.updateOption.mutate({ id: options.B!, patch: { label: 'Grade B+' } });
        await c().typeLists.updateOption.mutate({ id: options.B!, patch: { isActive: false } });
        await c().typeLists.reorder.mutate({
          id: ids.listId!,
          optionIds: [options.C!, options.A!, options.B!],
        });
      },
      entries: () => [
        { action: 'type_list.update', oldValues: { name: 'Grades' }, newValues: { name: 'Quality grades' } },
        { action: 'type_list_value.create', entityLabel: 'GRADES/C', newValues: { sortOrder: 3 } },
        {
          action: 'type_list_value.update',
          entityLabel: 'GRADES/B',
          oldValues: { label: 'Grade B' },
          newValues: { label: 'Grade B+' },
        },
        {
          action: 'type_list_value.deactivate',
          oldValues: { isActive: true },
          newValues: { isActive: false },
        },
        {
          action: 'type_list.reorder',
          entityLabel: 'GRADES',
          oldValues: { optionOrder: ['A', 'B', 'C'] },
          newValues: { optionOrder: ['C', 'A', 'B'] },
        },
      ],
    },
    {
      does: 'imports options from CSV (a dry run records nothing)',
      call: async () => {
        const csv = 'code,label,order\nA,Grade A+,1\nD,Grade D,2\n';
        await c().typeLists.importCsv.mutate({ id: ids.listId!, csv, dryRun: true });
        keep(await c().typeLists.get.query({ id: ids.listId! }));
        await c().typeLists.importCsv.mutate({ id: ids.listId!, csv, dryRun: false });
      },
      entries: () => [
        {
          action: 'type_list_value.update',
          entityLabel: 'GRADES/A',
          oldValues: { label: 'Grade A' },
          newValues: { label: 'Grade A+' },
        },
        { action: 'type_list_value.create', entityLabel: 'GRADES/D' },
        {
          action: 'type_list.reorder',
          oldValues: { optionOrder: ['C', 'A', 'B', 'D'] },
          newValues: { optionOrder: ['A', 'D', 'C', 'B'] },
        },
      ],
    },
    {
      does: 'defines fields, named by entity type and key',
      call: async () => {
        ids.gradeId = (
          await c().fields.create.mutate({
            entityType: 'machine',
            key: 'grade',
            label: 'Grade',
            type: 'single_select',
            typeListId: ids.listId,
          })
        ).id;
        ids.weightId = (
          await c().fields.create.mutate({
            entityType: 'product',
            key: 'weight',
            label: 'Weight',
            type: 'decimal',
          })
        ).id;
        ids.drawingId = (
          await c().fields.create.mutate({
            entityType: 'product',
            key: 'drawing',
            label: 'Drawing',
            type: 'text',
          })
        ).id;
      },
      entries: () => [
        {
          action: 'custom_field.create',
          entityType: 'custom_field',
          entityId: ids.gradeId,
          entityLabel: 'machine/grade',
          newValues: {
            entityType: 'machine',
            key: 'grade',
            type: 'single_select',
            typeListId: ids.listId,
            typeListCode: 'GRADES',
            required: false,
            isActive: true,
          },
        },
        {
          action: 'custom_field.create',
          entityLabel: 'product/weight',
          newValues: { type: 'decimal', sortOrder: 1 },
        },
        { action: 'custom_field.create', entityLabel: 'product/drawing', newValues: { sortOrder: 2 } },
      ],
    },
    {
      does: 'records values set through config on the record, by field key',
      call: () =>
        c().records.setValues.mutate({
          entityType: 'product',
          entityId: ids.productId!,
          values: { weight: 2.5, drawing: 'DRW-1' },
        }),
      entries: () => [
        {
          action: 'product.custom-values-change',
          entityType: 'product',
          entityId: ids.productId,
          entityLabel: 'P-1',
          plantId: null,
          oldValues: { weight: null, drawing: null },
          newValues: { weight: 2.5, drawing: 'DRW-1' },
        },
      ],
    },
    {
      does: 'records an operator’s choice on a machine with the option’s code, in the machine’s plant',
      as: 'operator',
      call: (client) =>
        client.trpc.config.records.setValues.mutate({
          entityType: 'machine',
          entityId: ids.machineId!,
          values: { grade: options.A },
        }),
      entries: () => [
        {
          action: 'machine.custom-values-change',
          entityType: 'machine',
          entityId: ids.machineId,
          entityLabel: 'M1',
          plantId,
          actorUserId: operatorId,
          oldValues: { grade: null },
          newValues: { grade: { id: options.A, code: 'A' } },
        },
      ],
    },
    {
      does: 'records only the values that changed, and clearing one',
      call: () =>
        c().records.setValues.mutate({
          entityType: 'product',
          entityId: ids.productId!,
          values: { weight: 2.5, drawing: null },
        }),
      entries: () => [
        {
          action: 'product.custom-values-change',
          oldValues: { drawing: 'DRW-1' },
          newValues: { drawing: null },
        },
      ],
    },
    {
      does: 'changes a field, converting its stored values, and retires, restores and reorders fields',
      call: async () => {
        await c().fields.update.mutate({ id: ids.weightId!, patch: { label: 'Weight (kg)', type: 'text' } });
        await c().fields.retire.mutate({ id: ids.drawingId! });
        await c().fields.restore.mutate({ id: ids.drawingId! });
        await c().fields.reorder.mutate({ entityType: 'product', fieldIds: [ids.drawingId!, ids.weightId!] });
      },
      entries: () => [
        {
          action: 'custom_field.update',
          entityLabel: 'product/weight',
          oldValues: { label: 'Weight', type: 'decimal', convertedValues: null },
          newValues: { label: 'Weight (kg)', type: 'text', convertedValues: 1 },
        },
        {
          action: 'custom_field.retire',
          entityLabel: 'product/drawing',
          oldValues: { isActive: true },
          newValues: { isActive: false },
        },
        { action: 'custom_field.restore', newValues: { isActive: true } },
        {
          action: 'custom_field.reorder',
          entityLabel: 'product/drawing',
          oldValues: { sortOrder: 2 },
          newValues: { sortOrder: 1 },
        },
        {
          action: 'custom_field.reorder',
          entityLabel: 'product/weight',
          oldValues: { sortOrder: 1 },
          newValues: { sortOrder: 2 },
        },
      ],
    },
    {
      does: 'defines a numbering scheme, changes its pattern and retires it',
      call: async () => {
        const scheme = await c().numbering.create.mutate({
          code: 'ncr',
          name: 'NCRs',
          pattern: 'NCR-{yyyy}-{seq:4}',
        });
        ids.schemeId = scheme.id;
        await c().numbering.update.mutate({ id: scheme.id, patch: { pattern: 'NC-{yyyy}-{seq:5}' } });
        await c().numbering.retire.mutate({ id: scheme.id });
      },
      entries: () => [
        {
          action: 'numbering_scheme.create',
          entityType: 'numbering_scheme',
          entityId: ids.schemeId,
          entityLabel: 'ncr',
          newValues: { code: 'ncr', name: 'NCRs', pattern: 'NCR-{yyyy}-{seq:4}', isActive: true },
        },
        {
          action: 'numbering_scheme.update',
          oldValues: { pattern: 'NCR-{yyyy}-{seq:4}' },
          newValues: { pattern: 'NC-{yyyy}-{seq:5}' },
        },
        { action: 'numbering_scheme.retire', oldValues: { isActive: true }, newValues: { isActive: false } },
      ],
    },
  ];

  it.each(steps)('$does', async (step) => {
    const entries = await trail.during(() => step.call(step.as === 'operator' ? operator : admin));
    expectEntries(entries, step.entries());
    const actor = step.as === 'operator' ? operatorId : app.tenants.a.adminUserId;
    for (const entry of entries) expect(entry).toMatchObject({ actorKind: 'user', actorUserId: actor });
  });

  it('leaves no entry for refused changes, in either tenant', async () => {
    const trailB = auditTrail(app.database.db, app.tenants.b);
    const fieldB = await app.adminB.trpc.config.fields.create.mutate({
      entityType: 'product',
      key: 'b',
      label: 'B',
      type: 'text',
    });
    type Code = Parameters<typeof expectApiError>[1];
    const values = (v: Record<string, unknown>) => ({
      entityType: 'product' as const,
      entityId: ids.productId!,
      values: v,
    });
    const refusals: [() => Promise<unknown>, Code][] = [
      [
        () =>
          c().fields.create.mutate({ entityType: 'product', key: 'weight', label: 'Again', type: 'text' }),
        'CONFLICT',
      ],
      [() => c().records.setValues.mutate(values({ weight: '3', nope: 1 })), 'BAD_REQUEST'],
      [() => c().fields.update.mutate({ id: ids.weightId!, patch: { type: 'boolean' } }), 'CONFLICT'],
      [
        () => c().typeLists.addOption.mutate({ typeListId: ids.listId!, code: 'A', label: 'Again' }),
        'CONFLICT',
      ],
      [() => c().typeLists.reorder.mutate({ id: ids.listId!, optionIds: [options.A!] }), 'BAD_REQUEST'],
      [
        () => c().numbering.create.mutate({ code: 'bad', name: 'Bad', pattern: 'X-{nonsense}' }),
        'BAD_REQUEST',
      ],
      [
        () => c().numbering.update.mutate({ id: ids.schemeId!, version: 1, patch: { name: 'Stale' } }),
        'CONFLICT',
      ],
      [() => c().fields.update.mutate({ id: fieldB.id, patch: { label: 'Mine' } }), 'NOT_FOUND'],
      [() => operator.trpc.config.fields.retire.mutate({ id: ids.weightId! }), 'FORBIDDEN'],
    ];
    const lastB = await trailB.lastSeq();
    const entries = await trail.during(async () => {
      for (const [call, code] of refusals) await expectApiError(call(), code);
      // A file with a bad row changes nothing and is answered with its errors, not refused.
      const report = await c().typeLists.importCsv.mutate({
        id: ids.listId!,
        csv: 'code,label\nE,E\nbad code,X\n',
        dryRun: false,
      });
      expect(report.applied).toBe(false);
    });
    expect(entries).toEqual([]);
    expect(await trailB.since(lastB)).toEqual([]);
    // The refused values left the stored ones as they were.
    const record = await c().records.get.query({ entityType: 'product', entityId: ids.productId! });
    expect(record.values).toEqual({ weight: '2.5' });
  });
});
