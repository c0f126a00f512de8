import { telemetryDeadbandSetSchema } from '@plantline/schema';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, addUser, apiClient, signIn } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { type Tenants, type TestServer, useTestApp } from '../../testing/app.js';
import { auditTrail, expectEntries } from '../../testing/audit-entries.js';
import { type TestDatabase, testEngines } from '../../testing/engines.js';

describe.each(testEngines)('telemetry deadbands ($name engine)', (engine) => {
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

  const absolute = { mode: 'absolute' as const, deadband: 0.5, heartbeatS: 300 };
  const unique = (name: string) => `${name}_${Math.random().toString(36).slice(2, 8)}`;

  it('sets one rule per scope and value name, replacing it when set again, and lists codes', async () => {
    const metric = unique('temp');
    const machineRule = { plantId: scope.plantA1, lineId: scope.lineA1, machineId: scope.machineA1, metric };
    const first = await admin.trpc.telemetryDeadbands.set.mutate({ ...machineRule, ...absolute });
    const again = await admin.trpc.telemetryDeadbands.set.mutate({
      ...machineRule,
      mode: 'percent',
      deadband: 2,
      heartbeatS: 60,
    });
    expect(again.id).toBe(first.id);
    const plantWide = await admin.trpc.telemetryDeadbands.set.mutate({
      plantId: scope.plantA1,
      metric: null,
      mode: 'off',
      deadband: 0,
      heartbeatS: null,
    });
    const listed = await admin.trpc.telemetryDeadbands.list.query({ plantId: scope.plantA1 });
    expect(listed.find((rule) => rule.id === first.id)).toMatchObject({
      plantCode: 'A1',
      lineCode: 'L1',
      machineCode: 'M1',
      metric,
      mode: 'percent',
      deadband: 2,
      heartbeatS: 60,
    });
    // Wider scopes first.
    expect(listed.findIndex((rule) => rule.id === plantWide.id)).toBeLessThan(
      listed.findIndex((rule) => rule.id === first.id),
    );
  });

  it('refuses settings the edges could not apply, and scopes that do not fit', async () => {
    const base = { plantId: scope.plantA1, metric: null, ...absolute };
    const fields = async (input: Record<string, unknown>) => {
      const error = await expectApiError(
        admin.trpc.telemetryDeadbands.set.mutate({ ...base, ...input } as typeof base),
        'BAD_REQUEST',
      );
      return Object.keys(error.data?.fieldErrors ?? {});
    };
    expect(await fields({ mode: 'percent', deadband: 150 })).toEqual(['deadband']);
    expect(await fields({ deadband: -1 })).toEqual(['deadband']);
    expect(await fields({ heartbeatS: 0 })).toEqual(['heartbeatS']);
    expect(await fields({ heartbeatS: null })).toEqual(['heartbeatS']);
    expect(await fields({ mode: 'off', deadband: 0 })).toEqual(['heartbeatS']);
    expect(await fields({ metric: 'two words' })).toEqual(['metric']);
    await expectApiError(
      admin.trpc.telemetryDeadbands.set.mutate({ ...base, plantId: tenants.b.plantIds[0]! }),
      'NOT_FOUND',
      'Plant not found',
    );
    await expectApiError(
      admin.trpc.telemetryDeadbands.set.mutate({ ...base, lineId: scope.lineA2 }),
      'NOT_FOUND',
      'Line not found',
    );
    await expectApiError(
      admin.trpc.telemetryDeadbands.set.mutate({ ...base, machineId: scope.machineA1 }),
      'BAD_REQUEST',
      'A machine scope needs its line',
    );
  });

  it('records creation, change and removal with the scope as codes', async () => {
    const trail = auditTrail(database.db, tenants.a);
    const metric = unique('power');
    const input = { plantId: scope.plantA1, lineId: scope.lineA1, metric, ...absolute };
    let id = '';
    const entries = await trail.during(async () => {
      id = (await admin.trpc.telemetryDeadbands.set.mutate(input)).id;
      await admin.trpc.telemetryDeadbands.set.mutate(input);
      await admin.trpc.telemetryDeadbands.set.mutate({ ...input, deadband: 1.5 });
      await admin.trpc.telemetryDeadbands.remove.mutate({ id });
    });
    const label = `A1/L1 · ${metric}`;
    expectEntries(entries, [
      {
        action: 'telemetry_deadband.create',
        entityId: id,
        entityLabel: label,
        plantId: scope.plantA1,
        newValues: { plant: 'A1', line: 'L1', machine: null, metric, ...absolute },
      },
      {
        action: 'telemetry_deadband.update',
        entityLabel: label,
        oldValues: { deadband: 0.5 },
        newValues: { deadband: 1.5 },
      },
      { action: 'telemetry_deadband.delete', entityLabel: label, newValues: null },
    ]);
    await expectApiError(admin.trpc.telemetryDeadbands.remove.mutate({ id }), 'NOT_FOUND');
  });

  it('lets engineers change rules, master data readers see them, and keeps users to their plants', async () => {
    const elsewhere = await admin.trpc.telemetryDeadbands.set.mutate({
      plantId: scope.plantA2,
      metric: unique('flow'),
      ...absolute,
    });
    const engineerUser = await addUser(admin, {
      roleIds: [tenants.a.roleIds.engineer!],
      plantIds: [scope.plantA1],
    });
    const engineer = await signIn(server.url, engineerUser.email);
    const mine = await engineer.trpc.telemetryDeadbands.set.mutate({
      plantId: scope.plantA1,
      metric: unique('speed'),
      ...absolute,
    });
    const listed = await engineer.trpc.telemetryDeadbands.list.query();
    expect(listed.map((rule) => rule.id)).toContain(mine.id);
    expect(listed.every((rule) => rule.plantCode === 'A1')).toBe(true);
    await expectApiError(engineer.trpc.telemetryDeadbands.remove.mutate({ id: elsewhere.id }), 'NOT_FOUND');
    await expectApiError(
      engineer.trpc.telemetryDeadbands.set.mutate({ plantId: scope.plantA2, metric: null, ...absolute }),
      'NOT_FOUND',
      'Plant not found',
    );

    const operatorUser = await addUser(admin, {
      roleIds: [tenants.a.roleIds.operator!],
      plantIds: [scope.plantA1],
    });
    const operator = await signIn(server.url, operatorUser.email);
    expect((await operator.trpc.telemetryDeadbands.list.query()).map((rule) => rule.id)).toContain(mine.id);
    await expectApiError(
      operator.trpc.telemetryDeadbands.remove.mutate({ id: mine.id }),
      'FORBIDDEN',
      /masterdata\.manage/,
    );
    expect((await adminB.trpc.telemetryDeadbands.list.query()).map((rule) => rule.id)).not.toContain(mine.id);
  });

  it("gives an edge the rules of its key's plants, as the edge's contract, and nobody else", async () => {
    const metric = unique('vibration');
    await admin.trpc.telemetryDeadbands.set.mutate({
      plantId: scope.plantA1,
      lineId: scope.lineA1,
      machineId: scope.machineA1,
      metric,
      ...absolute,
    });
    const notMine = unique('not_mine');
    await admin.trpc.telemetryDeadbands.set.mutate({ plantId: scope.plantA2, metric: notMine, ...absolute });
    const edge = await app.edge([scope.plantA1]);
    const set = telemetryDeadbandSetSchema.parse(await edge.trpc.edge.telemetryDeadbands.query());
    expect(set.rules).toContainEqual({ plant: 'A1', line: 'L1', machine: 'M1', metric, ...absolute });
    expect(set.rules.every((rule) => rule.plant === 'A1')).toBe(true);
    expect(set.rules.map((rule) => rule.metric)).not.toContain(notMine);

    await expectApiError(
      admin.trpc.edge.telemetryDeadbands.query(),
      'FORBIDDEN',
      'Only API keys identify edge nodes',
    );
    const reader = await admin.trpc.apiKeys.create.mutate({
      name: 'Reader',
      scopes: ['plants.read'],
      plantIds: [scope.plantA1],
    });
    await expectApiError(
      apiClient(server.url, { apiKey: reader.key }).trpc.edge.telemetryDeadbands.query(),
      'FORBIDDEN',
      /ingest\.write/,
    );
  });
});
