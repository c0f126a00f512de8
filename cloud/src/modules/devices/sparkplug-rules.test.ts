import { sparkplugMappingSchema } from '@plantline/schema';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, addUser, apiClient, signIn } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { type Tenants, type TestServer, useTestApp } from '../../testing/app.js';
import { auditTrail, expectEntries } from '../../testing/audit-entries.js';
import { type TestDatabase, testEngines } from '../../testing/engines.js';

/*
 * Sparkplug B rules in the cloud (docs/device-integration.md, "Sparkplug B"): one rule per metric in a
 * tenant, each of its kind's settings only, changes recorded with the machine as codes, concurrent
 * edits refused, users and edge keys confined to their plants, and the edge given the contract's form.
 */
describe.each(testEngines)('Sparkplug B rules ($name engine)', (engine) => {
  const app = useTestApp(engine);
  let database: TestDatabase;
  let tenants: Tenants;
  let server: TestServer;
  let admin: ApiClient;
  let adminB: ApiClient;
  const scope = { plantA1: '', plantA2: '', lineA1: '', machineA1: '', lineA2: '', machineA2: '' };

  beforeAll(async () => {
    ({ database, tenants, server, admin, adminB } = app);
    [scope.plantA1, scope.plantA2] = tenants.a.plantIds as [string, string];
    scope.lineA1 = await app.line(scope.plantA1, 'L1');
    scope.machineA1 = await app.machine(scope.lineA1, 'M1');
    scope.lineA2 = await app.line(scope.plantA2, 'L1');
    scope.machineA2 = await app.machine(scope.lineA2, 'M1');
  });

  const unique = (name: string) => `${name}-${Math.random().toString(36).slice(2, 8)}`;
  const onA1 = () => ({
    plantId: scope.plantA1,
    lineId: scope.lineA1,
    machineId: scope.machineA1,
    group: 'Plant1',
    node: 'PLC-7',
    device: 'Press1' as string | null,
  });

  it('keeps one rule per metric, lists it with its machine, and changes it in place', async () => {
    const metric = unique('Status/State');
    const created = await admin.trpc.sparkplugRules.save.mutate({
      ...onA1(),
      metric,
      kind: 'state',
      states: { '1': 'RUNNING', '2': 'DOWN' },
      offline: 'OFFLINE',
    });
    const listed = await admin.trpc.sparkplugRules.list.query({ plantId: scope.plantA1 });
    expect(listed.find((rule) => rule.id === created.id)).toMatchObject({
      plantCode: 'A1',
      lineCode: 'L1',
      machineCode: 'M1',
      group: 'Plant1',
      node: 'PLC-7',
      device: 'Press1',
      metric,
      kind: 'state',
      states: { '1': 'RUNNING', '2': 'DOWN' },
      offline: 'OFFLINE',
      count: null,
      name: null,
    });

    const again = await expectApiError(
      admin.trpc.sparkplugRules.save.mutate({ ...onA1(), metric, kind: 'count', count: 'good' }),
      'CONFLICT',
      'This metric already has a rule',
    );
    expect(again.data?.fieldErrors).toEqual({ metric: 'Already mapped' });
    // The same metric of another device, or of the node itself, is another metric.
    await admin.trpc.sparkplugRules.save.mutate({
      ...onA1(),
      device: null,
      metric,
      kind: 'state',
      states: null,
    });

    const changed = await admin.trpc.sparkplugRules.save.mutate({
      ...onA1(),
      id: created.id,
      updatedAt: created.updatedAt,
      metric,
      kind: 'count',
      count: 'scrap',
    });
    expect(changed).toMatchObject({
      id: created.id,
      kind: 'count',
      count: 'scrap',
      states: null,
      name: null,
    });
  });

  it('refuses a change made over someone else’s, ids the topics cannot carry, and scopes that do not fit', async () => {
    const metric = unique('Spindle/Temp');
    const rule = await admin.trpc.sparkplugRules.save.mutate({
      ...onA1(),
      metric,
      kind: 'telemetry',
      name: 'temp',
    });
    const stale = rule.updatedAt;
    await admin.trpc.sparkplugRules.save.mutate({
      ...onA1(),
      id: rule.id,
      updatedAt: stale,
      metric,
      kind: 'telemetry',
      name: 'temp_c',
    });
    await expectApiError(
      admin.trpc.sparkplugRules.save.mutate({
        ...onA1(),
        id: rule.id,
        updatedAt: stale,
        metric,
        kind: 'telemetry',
        name: 'temp_f',
      }),
      'CONFLICT',
      'Someone else changed this rule meanwhile; reload it to see their version',
    );

    const fields = async (input: Record<string, unknown>) => {
      const error = await expectApiError(
        admin.trpc.sparkplugRules.save.mutate({
          ...onA1(),
          metric: unique('m'),
          kind: 'telemetry',
          name: 'ok',
          ...input,
        } as Parameters<typeof admin.trpc.sparkplugRules.save.mutate>[0]),
        'BAD_REQUEST',
      );
      return Object.keys(error.data?.fieldErrors ?? {});
    };
    expect(await fields({ group: 'Plant/1' })).toEqual(['group']);
    expect(await fields({ node: 'PLC+7' })).toEqual(['node']);
    expect(await fields({ device: 'Press#1' })).toEqual(['device']);
    expect(await fields({ metric: '' })).toEqual(['metric']);
    expect(await fields({ name: 'two words' })).toEqual(['name']);
    expect(await fields({ kind: 'count', count: 'rework' })).toEqual(['count']);

    await expectApiError(
      admin.trpc.sparkplugRules.save.mutate({
        ...onA1(),
        plantId: tenants.b.plantIds[0]!,
        metric: unique('m'),
        kind: 'state',
        states: null,
      }),
      'NOT_FOUND',
      'Plant not found',
    );
    await expectApiError(
      admin.trpc.sparkplugRules.save.mutate({
        ...onA1(),
        lineId: scope.lineA2,
        metric: unique('m'),
        kind: 'state',
        states: null,
      }),
      'NOT_FOUND',
      'Line not found',
    );
    await expectApiError(
      admin.trpc.sparkplugRules.save.mutate({
        ...onA1(),
        machineId: scope.machineA2,
        metric: unique('m'),
        kind: 'state',
        states: null,
      }),
      'NOT_FOUND',
      'Machine not found',
    );
  });

  it('records creation, change and removal with the machine as codes', async () => {
    const trail = auditTrail(database.db, tenants.a);
    const metric = unique('Counts/Good');
    let id = '';
    const entries = await trail.during(async () => {
      const rule = await admin.trpc.sparkplugRules.save.mutate({
        ...onA1(),
        metric,
        kind: 'count',
        count: 'good',
      });
      id = rule.id;
      await admin.trpc.sparkplugRules.save.mutate({ ...onA1(), id, metric, kind: 'count', count: 'scrap' });
      await admin.trpc.sparkplugRules.remove.mutate({ id });
    });
    const label = `Plant1/PLC-7/Press1 · ${metric}`;
    expectEntries(entries, [
      {
        action: 'sparkplug_rule.create',
        entityId: id,
        entityLabel: label,
        plantId: scope.plantA1,
        newValues: {
          group: 'Plant1',
          node: 'PLC-7',
          device: 'Press1',
          metric,
          machine: 'A1/L1/M1',
          count: 'good',
        },
      },
      {
        action: 'sparkplug_rule.update',
        entityLabel: label,
        oldValues: { count: 'good' },
        newValues: { count: 'scrap' },
      },
      { action: 'sparkplug_rule.delete', entityLabel: label, newValues: null },
    ]);
    await expectApiError(admin.trpc.sparkplugRules.remove.mutate({ id }), 'NOT_FOUND');
  });

  it('lets engineers change rules, master data readers see them, and keeps users to their plants', async () => {
    const elsewhere = await admin.trpc.sparkplugRules.save.mutate({
      plantId: scope.plantA2,
      lineId: scope.lineA2,
      machineId: scope.machineA2,
      group: 'Plant2',
      node: 'PLC-1',
      device: null,
      metric: unique('State'),
      kind: 'state',
      states: null,
    });
    const engineerUser = await addUser(admin, {
      roleIds: [tenants.a.roleIds.engineer!],
      plantIds: [scope.plantA1],
    });
    const engineer = await signIn(server.url, engineerUser.email);
    const mine = await engineer.trpc.sparkplugRules.save.mutate({
      ...onA1(),
      metric: unique('Speed'),
      kind: 'telemetry',
      name: 'speed',
    });
    const listed = await engineer.trpc.sparkplugRules.list.query();
    expect(listed.map((rule) => rule.id)).toContain(mine.id);
    expect(listed.every((rule) => rule.plantCode === 'A1')).toBe(true);
    await expectApiError(engineer.trpc.sparkplugRules.remove.mutate({ id: elsewhere.id }), 'NOT_FOUND');

    const operatorUser = await addUser(admin, {
      roleIds: [tenants.a.roleIds.operator!],
      plantIds: [scope.plantA1],
    });
    const operator = await signIn(server.url, operatorUser.email);
    expect((await operator.trpc.sparkplugRules.list.query()).map((rule) => rule.id)).toContain(mine.id);
    await expectApiError(
      operator.trpc.sparkplugRules.remove.mutate({ id: mine.id }),
      'FORBIDDEN',
      /masterdata\.manage/,
    );
    expect((await adminB.trpc.sparkplugRules.list.query()).map((rule) => rule.id)).not.toContain(mine.id);
  });

  it("gives an edge the rules of its key's plants, as the edge's contract, and nobody else", async () => {
    const metric = unique('Counts/Good');
    await admin.trpc.sparkplugRules.save.mutate({ ...onA1(), metric, kind: 'count', count: 'good' });
    const notMine = unique('Counts/Good');
    await admin.trpc.sparkplugRules.save.mutate({
      plantId: scope.plantA2,
      lineId: scope.lineA2,
      machineId: scope.machineA2,
      group: 'Plant2',
      node: 'PLC-1',
      device: null,
      metric: notMine,
      kind: 'count',
      count: 'good',
    });
    const edge = await app.edge([scope.plantA1]);
    const mapping = sparkplugMappingSchema.parse(await edge.trpc.edge.sparkplugRules.query());
    expect(mapping.rules).toContainEqual({
      group: 'Plant1',
      node: 'PLC-7',
      device: 'Press1',
      metric,
      plant: 'A1',
      line: 'L1',
      machine: 'M1',
      kind: 'count',
      count: 'good',
    });
    expect(mapping.rules.every((rule) => rule.plant === 'A1')).toBe(true);
    expect(mapping.rules.map((rule) => rule.metric)).not.toContain(notMine);

    await expectApiError(
      admin.trpc.edge.sparkplugRules.query(),
      'FORBIDDEN',
      'Only API keys identify edge nodes',
    );
    const reader = await admin.trpc.apiKeys.create.mutate({
      name: 'Reader',
      scopes: ['plants.read'],
      plantIds: [scope.plantA1],
    });
    await expectApiError(
      apiClient(server.url, { apiKey: reader.key }).trpc.edge.sparkplugRules.query(),
      'FORBIDDEN',
      /ingest\.write/,
    );
  });
});
