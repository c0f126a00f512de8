import { beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, addUser, signIn } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { useTestApp } from '../../testing/app.js';
import { auditTrail, expectEntries } from '../../testing/audit-entries.js';
import { testEngines } from '../../testing/engines.js';

/*
 * NCRs through the API (docs/ncrs.md): numbering, references of the NCR's own plant and tenant only,
 * who may edit, edits against a stale version, the audit trail, plant isolation and search.
 */
describe.each(testEngines)('NCRs ($name engine)', (engine) => {
  const app = useTestApp(engine);
  let admin: ApiClient;
  let adminB: ApiClient;
  const a = {} as {
    plant1: string;
    plant2: string;
    line1: string;
    line1b: string;
    line2: string;
    press: string;
    press2: string;
    product: string;
    order2: string;
    defect: string;
  };
  const b = {} as { plant: string; machine: string; product: string; defect: string };
  const year = new Date().getUTCFullYear();
  const ncrNumber = (plant: string, seq: number) => `NCR-${plant}-${year}-${String(seq).padStart(5, '0')}`;

  beforeAll(async () => {
    ({ admin, adminB } = app);
    [a.plant1, a.plant2] = app.tenants.a.plantIds as [string, string];
    b.plant = app.tenants.b.plantIds[0]!;
    a.line1 = await app.line(a.plant1, 'L1');
    a.line1b = await app.line(a.plant1, 'L1B');
    a.line2 = await app.line(a.plant2, 'L2');
    a.press = await app.machine(a.line1, 'PRESS');
    a.press2 = await app.machine(a.line2, 'PRESS2');
    a.product = (
      await admin.trpc.production.products.create.mutate({ code: 'BRK-100', name: 'Brake rotor' })
    ).id;
    a.order2 = (
      await admin.trpc.production.orders.create.mutate({
        plantId: a.plant2,
        productId: a.product,
        quantity: 5,
      })
    ).id;
    a.defect = (await admin.trpc.quality.defectCodes.create.mutate({ code: 'BURR', name: 'Burr' })).id;
    b.machine = await app.machine(await app.line(b.plant, 'LB', { as: adminB }), 'MB', { as: adminB });
    b.product = (await adminB.trpc.production.products.create.mutate({ code: 'B-1', name: 'B' })).id;
    b.defect = (await adminB.trpc.quality.defectCodes.create.mutate({ code: 'BURR', name: 'Burr' })).id;
  });

  it('numbers NCRs per plant, raises them in the caller’s name as drafts, and names what they point at', async () => {
    await admin.trpc.config.fields.create.mutate({
      entityType: 'ncr',
      key: 'supplier_ref',
      label: 'Supplier reference',
      type: 'text',
    });
    const first = await admin.trpc.ncrs.create.mutate({
      plantId: a.plant1,
      title: ' Burrs on the bore ',
      machineId: a.press,
      productId: a.product,
      defectCodeId: a.defect,
      lot: 'LOT-7',
      serial: '  ',
      quantityAffected: 12,
      description: 'Found at final inspection',
      custom: { supplier_ref: 'SR-1' },
    });
    expect(first).toMatchObject({
      number: ncrNumber('A1', 1),
      title: 'Burrs on the bore',
      status: 'draft',
      plantCode: 'A1',
      // The machine's line, since none was named.
      lineId: a.line1,
      lineCode: 'L1',
      machineCode: 'PRESS',
      productCode: 'BRK-100',
      defectCode: 'BURR',
      lot: 'LOT-7',
      serial: null,
      quantityAffected: 12,
      containment: '',
      rootCause: '',
      disposition: null,
      raisedBy: app.tenants.a.adminUserId,
      raisedByName: 'Admin A',
      version: 1,
      custom: { supplier_ref: 'SR-1' },
    });
    expect((await admin.trpc.ncrs.create.mutate({ plantId: a.plant1, title: 'Second' })).number).toBe(
      ncrNumber('A1', 2),
    );
    expect((await admin.trpc.ncrs.create.mutate({ plantId: a.plant2, title: 'Other plant' })).number).toBe(
      ncrNumber('A2', 1),
    );
    const got = await admin.trpc.ncrs.get.query({ id: first.id });
    expect(got).toMatchObject({ number: first.number, inspections: [], editable: true, editRefusal: null });
  });

  it('refuses references of another plant or tenant, each on its field', async () => {
    const create = (fields: Record<string, string>) =>
      admin.trpc.ncrs.create.mutate({ plantId: a.plant1, title: 'Bad reference', ...fields });
    const refused = async (
      fields: Record<string, string>,
      code: 'BAD_REQUEST' | 'NOT_FOUND',
      field: string,
      problem: string,
    ) => {
      const error = await expectApiError(create(fields), code);
      expect(error.data?.fieldErrors).toEqual({ [field]: problem });
    };
    await refused({ lineId: a.line2 }, 'BAD_REQUEST', 'lineId', 'Not in this plant');
    await refused({ machineId: a.press2 }, 'BAD_REQUEST', 'machineId', 'Not in this plant');
    await refused({ lineId: a.line1b, machineId: a.press }, 'BAD_REQUEST', 'machineId', 'Not on this line');
    await refused({ productionOrderId: a.order2 }, 'BAD_REQUEST', 'productionOrderId', 'Not in this plant');
    await refused({ machineId: b.machine }, 'NOT_FOUND', 'machineId', 'Not found');
    await refused({ productId: b.product }, 'NOT_FOUND', 'productId', 'Not found');
    await refused({ defectCodeId: b.defect }, 'NOT_FOUND', 'defectCodeId', 'Not found');
    await refused({ ownerId: app.tenants.b.adminUserId }, 'NOT_FOUND', 'ownerId', 'Not found');
    const plant2Only = await addUser(admin, {
      roleIds: [app.tenants.a.roleIds.quality!],
      plantIds: [a.plant2],
    });
    await refused({ ownerId: plant2Only.id }, 'BAD_REQUEST', 'ownerId', 'No access to this plant’s NCRs');
    await expectApiError(
      adminB.trpc.ncrs.create.mutate({ plantId: a.plant1, title: 'Into A' }),
      'NOT_FOUND',
      'Plant not found',
    );
    // Refused creates took no numbers: a rolled-back number goes to the next NCR.
    expect((await create({})).number).toBe(ncrNumber('A1', 3));
  });

  it('lets the raiser edit a draft, a quality manager any NCR, and no one else', async () => {
    const operatorUser = await addUser(admin, {
      roleIds: [app.tenants.a.roleIds.operator!],
      plantIds: [a.plant1],
    });
    const operator = await signIn(app.server.url, operatorUser.email);
    const other = await signIn(
      app.server.url,
      (await addUser(admin, { roleIds: [app.tenants.a.roleIds.operator!], plantIds: [a.plant1] })).email,
    );
    const quality = await signIn(
      app.server.url,
      (await addUser(admin, { roleIds: [app.tenants.a.roleIds.quality!], plantIds: [a.plant1] })).email,
    );
    const ncr = await operator.trpc.ncrs.create.mutate({ plantId: a.plant1, title: 'Dent on the flange' });
    expect(ncr.raisedBy).toBe(operatorUser.id);
    const edited = await operator.trpc.ncrs.update.mutate({
      id: ncr.id,
      expectedVersion: 1,
      patch: { containment: 'Lot quarantined', quantityAffected: 3 },
    });
    expect(edited).toMatchObject({ containment: 'Lot quarantined', quantityAffected: 3, version: 2 });
    await expectApiError(
      other.trpc.ncrs.update.mutate({ id: ncr.id, expectedVersion: 2, patch: { title: 'Mine now' } }),
      'FORBIDDEN',
      'Only whoever raised an NCR, or a quality manager, may change it',
    );
    expect((await other.trpc.ncrs.get.query({ id: ncr.id })).editable).toBe(false);
    const dispositioned = await quality.trpc.ncrs.update.mutate({
      id: ncr.id,
      expectedVersion: 2,
      patch: { rootCause: 'Worn die', disposition: 'rework', cost: 120.5, ownerId: operatorUser.id },
    });
    expect(dispositioned).toMatchObject({
      disposition: 'rework',
      cost: 120.5,
      ownerName: expect.any(String),
      version: 3,
    });
    await expectApiError(
      quality.trpc.ncrs.update.mutate({
        id: ncr.id,
        expectedVersion: 3,
        patch: { disposition: 'melt' as 'scrap' },
      }),
      'BAD_REQUEST',
    );
  });

  it('refuses an edit against a stale version, naming who changed the NCR', async () => {
    const ncr = await admin.trpc.ncrs.create.mutate({ plantId: a.plant1, title: 'Porosity' });
    await admin.trpc.ncrs.update.mutate({ id: ncr.id, expectedVersion: 1, patch: { containment: 'Hold' } });
    const stale = await expectApiError(
      admin.trpc.ncrs.update.mutate({ id: ncr.id, expectedVersion: 1, patch: { containment: 'Scrap all' } }),
      'CONFLICT',
      /^The NCR was changed since you opened it \(by Admin A at \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\)/,
    );
    expect(stale.data?.fieldErrors).toEqual({ expectedVersion: 'Changed since you opened it' });
    // Two editors who saw the same version at the same instant: one wins, the other is told.
    const results = await Promise.allSettled(
      ['Sort 100%', 'Sort by sampling'].map((containment) =>
        admin.trpc.ncrs.update.mutate({ id: ncr.id, expectedVersion: 2, patch: { containment } }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const now = await admin.trpc.ncrs.get.query({ id: ncr.id });
    expect(now.version).toBe(3);
    const winner = results.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<{
      containment: string;
    }>;
    expect(now.containment).toBe(winner.value.containment);
  });

  it('audits the raise and each edit with only what changed', async () => {
    const trail = auditTrail(app.database.db, app.tenants.a);
    let id = '';
    const raised = await trail.during(async () => {
      id = (
        await admin.trpc.ncrs.create.mutate({ plantId: a.plant1, title: 'Thread damage', machineId: a.press })
      ).id;
    });
    expectEntries(raised, [
      {
        action: 'ncr.create',
        entityType: 'ncr',
        entityId: id,
        entityLabel: expect.stringMatching(/^NCR-A1-/),
        plantId: a.plant1,
        oldValues: null,
        newValues: expect.objectContaining({ title: 'Thread damage', machineCode: 'PRESS', status: 'draft' }),
      },
    ]);
    const edited = await trail.during(() =>
      admin.trpc.ncrs.update.mutate({
        id,
        expectedVersion: 1,
        patch: { title: 'Thread damage', rootCause: 'Tap worn', cost: 40 },
        reason: 'MRB review',
      } as Parameters<typeof admin.trpc.ncrs.update.mutate>[0]),
    );
    expectEntries(edited, [
      {
        action: 'ncr.update',
        oldValues: { rootCause: '', cost: null },
        newValues: { rootCause: 'Tap worn', cost: 40 },
        reason: 'MRB review',
      },
    ]);
    // Saving what is already there writes nothing and records no change.
    expect(
      await trail.during(() =>
        admin.trpc.ncrs.update.mutate({ id, expectedVersion: 2, patch: { cost: 40 } }),
      ),
    ).toEqual([]);
  });

  it('shows a user only the NCRs of their plants, and another tenant none', async () => {
    const plant2 = await admin.trpc.ncrs.create.mutate({ plantId: a.plant2, title: 'Plant 2 only' });
    const reader = await signIn(
      app.server.url,
      (await addUser(admin, { roleIds: [app.tenants.a.roleIds.quality!], plantIds: [a.plant1] })).email,
    );
    const seen = await reader.trpc.ncrs.list.query({ limit: 200 });
    expect(seen.items.length).toBeGreaterThan(0);
    expect(seen.items.every((n) => n.plantId === a.plant1)).toBe(true);
    await expectApiError(reader.trpc.ncrs.get.query({ id: plant2.id }), 'NOT_FOUND', 'NCR not found');
    await expectApiError(
      reader.trpc.ncrs.update.mutate({ id: plant2.id, expectedVersion: 1, patch: { title: 'x' } }),
      'NOT_FOUND',
    );
    expect((await adminB.trpc.ncrs.list.query({})).items).toEqual([]);
    await expectApiError(adminB.trpc.ncrs.get.query({ id: plant2.id }), 'NOT_FOUND');
    const viewer = await signIn(
      app.server.url,
      (await addUser(admin, { roleIds: [app.tenants.a.roleIds.engineer!], plantIds: [a.plant1] })).email,
    );
    await expectApiError(
      viewer.trpc.ncrs.create.mutate({ plantId: a.plant1, title: 'x' }),
      'FORBIDDEN',
      'This needs the permission ncrs.raise',
    );
  });

  it('lists with filters, newest first, a page at a time', async () => {
    const list = admin.trpc.ncrs.list.query;
    const numbers = (page: { items: { number: string }[] }) => page.items.map((n) => n.number);
    const onPress = numbers(await list({ machineId: a.press }));
    expect(onPress.length).toBeGreaterThan(1);
    expect(onPress).toEqual([...onPress].sort().reverse());
    expect(numbers(await list({ text: 'bore burrs' }))).toEqual([ncrNumber('A1', 1)]);
    expect(numbers(await list({ text: `A1-${year}-00002` }))).toEqual([ncrNumber('A1', 2)]);
    expect(numbers(await list({ text: '100%' }))).toEqual([]);
    expect(numbers(await list({ plantId: a.plant2 }))).toContain(ncrNumber('A2', 1));
    expect((await list({ status: ['closed'] })).items).toEqual([]);
    expect(numbers(await list({ productId: a.product }))).toEqual([ncrNumber('A1', 1)]);
    const all = numbers(await list({ plantId: a.plant1 }));
    const pages: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await list({ plantId: a.plant1, limit: 2, ...(cursor === undefined ? {} : { cursor }) });
      pages.push(...numbers(page));
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    expect(pages).toEqual(all);
  });

  it('is found by search, by number and by words, only by who may see it', async () => {
    const found = await admin.trpc.search.query.query({ q: ncrNumber('A1', 1) });
    const ncrs = found.groups.find((g) => g.entityType === 'ncr')?.results ?? [];
    expect(ncrs[0]).toMatchObject({
      code: ncrNumber('A1', 1),
      link: expect.stringMatching(/^\/quality\/ncrs\//),
    });
    const words = await admin.trpc.search.query.query({ q: 'flange dent' });
    expect(words.groups.find((g) => g.entityType === 'ncr')?.results.map((r) => r.title)).toContain(
      'Dent on the flange',
    );
    const other = await adminB.trpc.search.query.query({ q: ncrNumber('A1', 1) });
    expect(other.groups.find((g) => g.entityType === 'ncr')).toBeUndefined();
  });
});
