import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/index.js';
import { type ApiClient, addUser, apiClient, signIn } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { type Tenants, type TestServer, useTestApp } from '../../testing/app.js';
import { auditEntries, auditMark } from '../../testing/audit-entries.js';
import { testEngines } from '../../testing/engines.js';

/*
 * Plants, areas, lines, machines and stations in the audit trail (docs/audit.md): each creation and
 * update with its plant, labelled by code, with the codes of the records it refers to. A refused
 * change leaves nothing.
 */
/** A plant's address fields before anyone filled them in. */
const noAddress = { street: '', postalCode: '', city: '', country: '', gln: null };

describe.each(testEngines)('master data in the audit trail ($name engine)', (engine) => {
  const app = useTestApp(engine);
  let db: Database;
  let tenants: Tenants;
  let server: TestServer;
  let admin: ApiClient;
  let adminB: ApiClient;
  let plant1 = '';
  let plant2 = '';

  beforeAll(() => {
    ({ tenants, server, admin, adminB } = app);
    db = app.database.db;
    [plant1, plant2] = [tenants.a.plantIds[0]!, tenants.a.plantIds[1]!];
  });

  async function recordedBy(work: () => Promise<unknown>) {
    const [a, b] = [await auditMark(db, tenants.a.tenantId), await auditMark(db, tenants.b.tenantId)];
    await work();
    expect(await auditMark(db, tenants.b.tenantId)).toBe(b);
    return auditEntries(db, tenants.a.tenantId, a);
  }

  /** Each entry as [action, plant, label, old values, new values]. */
  const summary = (entries: Awaited<ReturnType<typeof recordedBy>>) =>
    entries.map((e) => [e.action, e.plantId, e.entityLabel, e.oldValues, e.newValues]);

  it('records a plant’s creation and changes under the plant itself', async () => {
    let id = '';
    const created = await recordedBy(async () => {
      ({ id } = await admin.trpc.tenancy.plants.create.mutate({
        code: 'NEW',
        name: 'New plant',
        timezone: 'Europe/Paris',
      }));
    });
    expect(created).toEqual([
      expect.objectContaining({
        action: 'plant.create',
        entityType: 'plant',
        entityId: id,
        plantId: id,
        entityLabel: 'NEW',
        actorKind: 'user',
        actorName: 'Admin A',
        oldValues: null,
        newValues: { code: 'NEW', name: 'New plant', timezone: 'Europe/Paris', ...noAddress },
      }),
    ]);
    const renamed = await recordedBy(() =>
      admin.trpc.tenancy.plants.update.mutate({ id, patch: { code: 'NEW2', timezone: 'Europe/Paris' } }),
    );
    expect(summary(renamed)).toEqual([['plant.update', id, 'NEW2', { code: 'NEW' }, { code: 'NEW2' }]]);
  });

  it('keeps a plant’s ship-from address and GLN, audited, refusing a bad country or check digit', async () => {
    const plant = await admin.trpc.tenancy.plants.create.mutate({
      code: 'ADDR',
      name: 'Address plant',
      street: ' Am Flusshafen 12 ',
      postalCode: '68159',
      city: 'Mannheim',
      country: 'de',
      gln: '9521234 00001 3',
    });
    expect(plant).toMatchObject({
      street: 'Am Flusshafen 12',
      postalCode: '68159',
      city: 'Mannheim',
      country: 'DE',
      gln: '9521234000013',
    });
    const moved = await recordedBy(() =>
      admin.trpc.tenancy.plants.update.mutate({
        id: plant.id,
        patch: { street: 'Hafenstraße 5', postalCode: '20457', city: 'Hamburg', gln: null },
      }),
    );
    expect(summary(moved)).toEqual([
      [
        'plant.update',
        plant.id,
        'ADDR',
        { street: 'Am Flusshafen 12', postalCode: '68159', city: 'Mannheim', gln: '9521234000013' },
        { street: 'Hafenstraße 5', postalCode: '20457', city: 'Hamburg', gln: null },
      ],
    ]);
    const listed = (await admin.trpc.tenancy.plants.list.query()).find((p) => p.id === plant.id);
    expect(listed).toMatchObject({ street: 'Hafenstraße 5', country: 'DE', gln: null });

    const refused = await recordedBy(async () => {
      const badCountry = await expectApiError(
        admin.trpc.tenancy.plants.update.mutate({ id: plant.id, patch: { country: 'XX' } }),
        'BAD_REQUEST',
      );
      expect(badCountry.data?.fieldErrors).toEqual({
        'patch.country': 'Use an ISO 3166-1 country code such as DE or US',
      });
      const badGln = await expectApiError(
        admin.trpc.tenancy.plants.update.mutate({ id: plant.id, patch: { gln: '9521234000014' } }),
        'BAD_REQUEST',
      );
      expect(badGln.data?.fieldErrors).toEqual({
        'patch.gln': 'Wrong check digit: a GLN starting 952123400001 ends in 3',
      });
      const short = await expectApiError(
        admin.trpc.tenancy.plants.create.mutate({ code: 'ADDR2', name: 'Short', gln: '952123400001' }),
        'BAD_REQUEST',
      );
      expect(short.data?.fieldErrors).toEqual({ gln: 'A GLN has 13 digits' });
      const long = await expectApiError(
        admin.trpc.tenancy.plants.update.mutate({ id: plant.id, patch: { postalCode: '1'.repeat(21) } }),
        'BAD_REQUEST',
      );
      expect(long.data?.fieldErrors).toEqual({ 'patch.postalCode': 'At most 20 characters' });
    });
    expect(refused).toEqual([]);
    // An empty country is "not known yet", not an error.
    await admin.trpc.tenancy.plants.update.mutate({ id: plant.id, patch: { country: '' } });
  });

  it('records areas, lines, machines and stations with the codes they refer to', async () => {
    const area = await admin.trpc.masterdata.areas.create.mutate({
      plantId: plant2,
      code: 'AR1',
      name: 'Hall',
    });
    const created = await recordedBy(async () => {
      const line = await admin.trpc.masterdata.lines.create.mutate({
        plantId: plant2,
        areaId: area.id,
        code: 'L7',
        name: 'Line seven',
      });
      const machine = await admin.trpc.masterdata.machines.create.mutate({
        lineId: line.id,
        code: 'M7',
        name: 'Mill',
      });
      const station = await admin.trpc.masterdata.stations.create.mutate({
        plantId: plant2,
        lineId: line.id,
        code: 'S7',
        name: 'Check',
      });
      await admin.trpc.masterdata.lines.update.mutate({
        id: line.id,
        patch: { areaId: null, name: 'Line 7' },
      });
      await admin.trpc.masterdata.machines.update.mutate({ id: machine.id, patch: { code: 'M8' } });
      await admin.trpc.masterdata.stations.update.mutate({ id: station.id, patch: { name: 'Final check' } });
      await admin.trpc.masterdata.areas.update.mutate({ id: area.id, patch: { name: 'Hall A' } });
    });
    expect(summary(created)).toEqual([
      ['line.create', plant2, 'L7', null, { code: 'L7', name: 'Line seven', area: 'AR1' }],
      ['machine.create', plant2, 'M7', null, { code: 'M7', name: 'Mill', line: 'L7' }],
      ['station.create', plant2, 'S7', null, { code: 'S7', name: 'Check', line: 'L7' }],
      ['line.update', plant2, 'L7', { name: 'Line seven', area: 'AR1' }, { name: 'Line 7', area: null }],
      ['machine.update', plant2, 'M8', { code: 'M7' }, { code: 'M8' }],
      ['station.update', plant2, 'S7', { name: 'Check' }, { name: 'Final check' }],
      ['area.update', plant2, 'AR1', { name: 'Hall' }, { name: 'Hall A' }],
    ]);
    expect(created.every((e) => e.actorKind === 'user' && e.actorName === 'Admin A')).toBe(true);
  });

  it('names an API key as the actor of the changes made with it', async () => {
    const key = await admin.trpc.apiKeys.create.mutate({
      name: 'Integration key',
      scopes: ['masterdata.read', 'masterdata.manage'],
      plantIds: [plant1],
    });
    const integration = apiClient(server.url, { apiKey: key.key });
    const entries = await recordedBy(() =>
      integration.trpc.masterdata.areas.create.mutate({ plantId: plant1, code: 'KEY', name: 'By key' }),
    );
    expect(entries).toEqual([
      expect.objectContaining({
        action: 'area.create',
        plantId: plant1,
        actorKind: 'api-key',
        actorApiKeyId: key.id,
        actorUserId: null,
        actorName: 'Integration key',
      }),
    ]);
  });

  it('leaves no entry of a refused, invalid or foreign change', async () => {
    const { a } = tenants;
    const line = await app.line(plant1, 'LX', { name: 'Line X' });
    await app.machine(line, 'MX');
    const managerRole = await admin.trpc.rbac.roles.create.mutate({
      key: 'plant-one-manager',
      name: 'Plant one manager',
      permissions: ['plants.read', 'plants.manage', 'masterdata.read', 'masterdata.manage'],
    });
    const manager = await addUser(admin, { roleIds: [managerRole.id], plantIds: [plant1] });
    const asManager = await signIn(server.url, manager.email);
    const operator = await addUser(admin, { roleIds: [a.roleIds.operator!], plantIds: [plant1] });
    const asOperator = await signIn(server.url, operator.email);
    const entries = await recordedBy(async () => {
      // Missing permission.
      await expectApiError(
        asOperator.trpc.masterdata.lines.update.mutate({ id: line, patch: { name: 'Mine' } }),
        'FORBIDDEN',
      );
      // A plant out of the caller's reach, and a record of another tenant.
      await expectApiError(
        asManager.trpc.tenancy.plants.update.mutate({ id: plant2, patch: { name: 'Out of reach' } }),
        'NOT_FOUND',
      );
      await expectApiError(
        adminB.trpc.masterdata.lines.update.mutate({ id: line, patch: { name: 'Theirs' } }),
        'NOT_FOUND',
      );
      // A taken code, a code that breaks the topic rules, a machine moved to another plant.
      await expectApiError(
        admin.trpc.masterdata.machines.create.mutate({ lineId: line, code: 'MX', name: 'Twin' }),
        'CONFLICT',
      );
      await expectApiError(
        admin.trpc.tenancy.plants.update.mutate({ id: plant1, patch: { code: 'A 1' } }),
        'BAD_REQUEST',
      );
      const elsewhere = await app.line(plant2, 'LY');
      const [machine] = await admin.trpc.masterdata.machines.list.query({ lineId: line });
      const before = await auditMark(db, a.tenantId);
      await expectApiError(
        admin.trpc.masterdata.machines.update.mutate({ id: machine!.id, patch: { lineId: elsewhere } }),
        'BAD_REQUEST',
      );
      expect(await auditMark(db, a.tenantId)).toBe(before);
    });
    // Only the line the test made itself on the way.
    expect(summary(entries)).toEqual([
      ['line.create', plant2, 'LY', null, { code: 'LY', name: 'LY', area: null }],
    ]);
  });
});
