import { builtinLabelTemplate } from '@plantline/schema/labels';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../db/index.js';
import { SESSION_COOKIE } from '../../http/cookies.js';
import { type ApiClient, addUser, signIn } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { useTestApp } from '../../testing/app.js';
import { auditTrail, expectEntries } from '../../testing/audit-entries.js';
import { testEngines } from '../../testing/engines.js';
import { type PackedContent, packedPallet } from '../../testing/packed-packages.js';

/*
 * Issuing labels through the API (docs/labels.md, "Issuing and printing"): a pallet's label data
 * built from what packing recorded, a product label from data given, the template row seeded once,
 * the checks on the data (a GLN's check digit, what the template needs), plant and tenant isolation,
 * and the label's SVG and PDF.
 */
describe.each(testEngines)('issuing labels ($name engine)', (engine) => {
  const app = useTestApp(engine);
  let admin: ApiClient;
  let adminB: ApiClient;
  let plant1: string;
  let plant2: string;
  let plantB: string;
  const pallet = (
    plantId: string,
    options: Omit<Parameters<typeof packedPallet>[1], 'tenantId' | 'plantId'> = {},
  ) => packedPallet(app.database.db, { tenantId: app.tenants.a.tenantId, plantId, ...options });

  beforeAll(async () => {
    ({ admin, adminB } = app);
    [plant1, plant2] = app.tenants.a.plantIds as [string, string];
    plantB = app.tenants.b.plantIds[0]!;
  });

  it('builds a pallet’s label from the tables, checks it, keeps it and records the issue', async () => {
    const packed = await pallet(plant1);
    const trail = auditTrail(app.database.db, app.tenants.a);
    const mark = await trail.lastSeq();
    const label = await admin.trpc.logistics.labels.issue.mutate({
      packageId: packed.packageId,
      templateKey: 'pallet-4x6',
    });
    expect(label).toMatchObject({
      plantId: plant1,
      plantCode: 'A1',
      kind: 'pallet_sscc',
      templateKey: 'pallet-4x6',
      templateName: 'GS1 logistic label 4×6″',
      templateVersion: 1,
      packageId: packed.packageId,
      shipmentId: packed.shipmentId,
      sscc: packed.sscc,
      createdBy: app.tenants.a.adminUserId,
      createdByName: 'Admin A',
      data: {
        sscc: packed.sscc,
        gtin: '09506000134352',
        count: 40,
        lot: 'L2405A',
        expiry: '2027-01-31',
        po: '4500012345',
        description: 'Hazelnut spread SPREAD-400',
        shipFrom: { name: 'A plant 1', address: [] },
        shipTo: { name: 'Metro DC North', address: ['Dock 4', '12345 Northtown, DE'], gln: '9506000000022' },
      },
    });
    // The order (400) is in the text section: a 4×6″ label has room for two content symbols only.
    expect(label.elementString).toBe(`(02)09506000134352(17)270131(37)40(10)L2405A(00)${packed.sscc}`);
    expectEntries(await trail.since(mark), [
      {
        action: 'label_template.create',
        entityLabel: 'pallet-4x6',
        reason: 'A built-in template, copied for the first label issued with it',
      },
      {
        action: 'barcode_label.issue',
        entityId: label.id,
        entityLabel: packed.sscc,
        plantId: plant1,
        newValues: expect.objectContaining({ templateKey: 'pallet-4x6', sscc: packed.sscc }),
      },
    ]);
    // The template row is seeded once: a second label uses it.
    const again = await admin.trpc.logistics.labels.issue.mutate({
      packageId: packed.packageId,
      templateKey: 'pallet-4x6',
    });
    expect(again.templateId).toBe(label.templateId);
    const got = await admin.trpc.logistics.labels.get.query({ id: label.id });
    expect(got).toMatchObject({ id: label.id, data: label.data, prints: [] });
    const listed = await admin.trpc.logistics.labels.list.query({ packageId: packed.packageId });
    expect(listed.items.map((item) => item.id)).toEqual([again.id, label.id]);
  });

  it('sums the cartons on a pallet and leaves out what its contents disagree on', async () => {
    const inCartons = await pallet(plant1, {
      inCarton: true,
      contents: [
        { gtin: '09506000134352', lot: 'L1', expiry: '2027-01-31', quantity: 12 },
        { gtin: '09506000134352', lot: 'L2', expiry: '2027-01-31', quantity: 12 },
      ],
    });
    const label = await admin.trpc.logistics.labels.issue.mutate({
      packageId: inCartons.packageId,
      templateKey: 'pallet-a6',
    });
    expect(label.data).toMatchObject({ gtin: '09506000134352', count: 24, expiry: '2027-01-31' });
    expect(label.data.lot).toBeUndefined();
    // A carton is labelled with the carton label or a logistic label, a pallet only with the latter.
    const carton = await admin.trpc.logistics.labels.issue.mutate({
      packageId: inCartons.cartonId!,
      templateKey: 'carton-4x3',
    });
    expect(carton).toMatchObject({ kind: 'carton', data: { gtin: '09506000134352', count: 24 } });
    const wrongKind = await expectApiError(
      admin.trpc.logistics.labels.issue.mutate({ packageId: inCartons.packageId, templateKey: 'carton-4x3' }),
      'BAD_REQUEST',
      'A pallet is not labelled with a Carton label 4×3″ label',
    );
    expect(wrongKind.data?.fieldErrors).toEqual({ templateKey: 'Not for a pallet' });

    // Two GTINs: no (02) and (37), which the built-in pallet label needs.
    const mixed = await pallet(plant1, {
      contents: [
        { gtin: '09506000134352', quantity: 10 },
        { gtin: '09506000134369', quantity: 10, productCode: 'SPREAD-750' },
      ],
    });
    const refused = await expectApiError(
      admin.trpc.logistics.labels.issue.mutate({ packageId: mixed.packageId, templateKey: 'pallet-4x6' }),
      'BAD_REQUEST',
      /^The GS1 logistic label 4×6″ label needs gtin for \(02\); count for \(37\)/,
    );
    expect(refused.data?.fieldErrors).toMatchObject({ gtin: 'Required by the label template' });
    // The mixed pallet's label names it by its SSCC alone.
    const mixedLabel = await admin.trpc.logistics.labels.issue.mutate({
      packageId: mixed.packageId,
      templateKey: 'pallet-mixed-4x6',
    });
    expect(mixedLabel.sscc).toBe(mixed.sscc);
    expect(mixedLabel.elementString).toMatch(new RegExp(`\\(00\\)${mixed.sscc}$`));
    expect(mixedLabel.elementString).not.toContain('(02)');
  });

  it('refuses what a label cannot carry: a GLN with a wrong check digit, a package without an SSCC', async () => {
    const badGln = await pallet(plant1, { shipToGln: '9506000000023' });
    const error = await expectApiError(
      admin.trpc.logistics.labels.issue.mutate({ packageId: badGln.packageId, templateKey: 'pallet-4x6' }),
      'BAD_REQUEST',
      /^The label data is not valid: shipTo\.gln: GLN check digit is wrong/,
    );
    expect(error.data?.fieldErrors).toEqual({ 'shipTo.gln': 'GLN check digit is wrong' });
    const noSscc = await pallet(plant1, { withoutSscc: true });
    await expectApiError(
      admin.trpc.logistics.labels.issue.mutate({ packageId: noSscc.packageId, templateKey: 'pallet-4x6' }),
      'BAD_REQUEST',
      'The package has no SSCC yet; it gets one when packing starts',
    );
    await expectApiError(
      admin.trpc.logistics.labels.issue.mutate({ packageId: badGln.packageId, templateKey: 'no-such' }),
      'NOT_FOUND',
      'Label template not found',
    );
  });

  it('issues a product lot label from data given, checked as GS1 data', async () => {
    const label = await admin.trpc.logistics.labels.issue.mutate({
      plantId: plant2,
      templateKey: 'product-lot',
      data: {
        gtin: '9506000134352',
        lot: 'L2405A',
        expiry: '2027-01-31',
        description: 'Hazelnut spread 400 g',
      },
    });
    expect(label).toMatchObject({
      plantId: plant2,
      kind: 'product_lot',
      packageId: null,
      sscc: null,
      data: { gtin: '09506000134352' },
      elementString: '(01)09506000134352(10)L2405A(17)270131',
    });
    const badGtin = await expectApiError(
      admin.trpc.logistics.labels.issue.mutate({
        plantId: plant2,
        templateKey: 'product-lot',
        data: { gtin: '9506000134353', lot: 'L1', description: 'x' },
      }),
      'BAD_REQUEST',
    );
    expect(badGtin.data?.fieldErrors).toEqual({ 'data.gtin': 'GTIN check digit is wrong' });
    const tooLong = await expectApiError(
      admin.trpc.logistics.labels.issue.mutate({
        plantId: plant2,
        templateKey: 'product-lot',
        data: { gtin: '9506000134352', lot: 'L'.repeat(21), description: 'x' },
      }),
      'BAD_REQUEST',
    );
    expect(tooLong.data?.fieldErrors).toEqual({ 'data.lot': 'Lot is at most 20 characters' });
  });

  it('keeps labels to their plants and tenant', async () => {
    const shipper = await addUser(admin, { roleIds: [app.tenants.a.roleIds.shipper!], plantIds: [plant2] });
    const atPlant2 = await signIn(app.server.url, shipper.email);
    const packed = await pallet(plant1);
    // Another plant's package and label are not there for the caller, nor another tenant's.
    await expectApiError(
      atPlant2.trpc.logistics.labels.issue.mutate({ packageId: packed.packageId, templateKey: 'pallet-4x6' }),
      'NOT_FOUND',
      'Package not found',
    );
    await expectApiError(
      adminB.trpc.logistics.labels.issue.mutate({ packageId: packed.packageId, templateKey: 'pallet-4x6' }),
      'NOT_FOUND',
    );
    await expectApiError(
      atPlant2.trpc.logistics.labels.issue.mutate({
        plantId: plant1,
        templateKey: 'product-lot',
        data: { gtin: '9506000134352', lot: 'L1', description: 'x' },
      }),
      'NOT_FOUND',
      'Plant not found',
    );
    await expectApiError(
      adminB.trpc.logistics.labels.issue.mutate({
        plantId: plant1,
        templateKey: 'product-lot',
        data: { gtin: '9506000134352', lot: 'L1', description: 'x' },
      }),
      'NOT_FOUND',
    );
    const label = await admin.trpc.logistics.labels.issue.mutate({
      packageId: packed.packageId,
      templateKey: 'pallet-4x6',
    });
    await expectApiError(atPlant2.trpc.logistics.labels.get.query({ id: label.id }), 'NOT_FOUND');
    await expectApiError(adminB.trpc.logistics.labels.get.query({ id: label.id }), 'NOT_FOUND');
    await expectApiError(adminB.trpc.logistics.labels.svg.query({ id: label.id }), 'NOT_FOUND');
    expect(
      (await atPlant2.trpc.logistics.labels.list.query()).items.map((item) => item.plantId),
    ).not.toContain(plant1);
    expect((await adminB.trpc.logistics.labels.list.query({ plantId: plantB })).items).toEqual([]);
  });

  it('follows a built-in template that changed with a release, moving its version on', async () => {
    const packed = await pallet(plant1);
    const first = await admin.trpc.logistics.labels.issue.mutate({
      packageId: packed.packageId,
      templateKey: 'pallet-a6',
    });
    // As a row written by an older release: the code's definition differs from what is stored.
    await app.database.db.ownerTransact({ tenantId: app.tenants.a.tenantId, plantIds: 'all' }, (tx) =>
      rows(
        tx,
        sql`update label_templates set definition = jsonb_set(definition, '{name}', '"Older name"') where key = 'pallet-a6'`,
      ),
    );
    const second = await admin.trpc.logistics.labels.issue.mutate({
      packageId: packed.packageId,
      templateKey: 'pallet-a6',
    });
    expect(second.templateId).toBe(first.templateId);
    expect(second.templateVersion).toBe(first.templateVersion! + 1);
    expect(second.templateName).toBe(builtinLabelTemplate('pallet-a6')!.name);
  });

  it('draws the label as SVG and serves it as a PDF to those who may read it', async () => {
    const packed = await pallet(plant1);
    const label = await admin.trpc.logistics.labels.issue.mutate({
      packageId: packed.packageId,
      templateKey: 'pallet-4x6',
    });
    const { svg } = await admin.trpc.logistics.labels.svg.query({ id: label.id });
    expect(svg).toMatch(/^<svg /);
    expect(svg).toContain(`data-content="(00)${packed.sscc}"`);

    const pdfUrl = `${app.server.url}/api/labels/${label.id}.pdf`;
    const asAdmin = await fetch(pdfUrl, { headers: { cookie: `${SESSION_COOKIE}=${app.admin.token}` } });
    expect(asAdmin.status).toBe(200);
    expect(asAdmin.headers.get('content-type')).toBe('application/pdf');
    expect(asAdmin.headers.get('content-disposition')).toBe(`inline; filename="label-${packed.sscc}.pdf"`);
    expect(
      Buffer.from(await asAdmin.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    expect((await fetch(pdfUrl)).status).toBe(401);
    const asB = await fetch(pdfUrl, { headers: { cookie: `${SESSION_COOKIE}=${app.adminB.token}` } });
    expect(asB.status).toBe(404);
    const edge = await app.edge([plant1]);
    const asEdge = await fetch(pdfUrl, { headers: { authorization: `Bearer ${edge.key}` } });
    expect(asEdge.status).toBe(403);
    expect((await fetch(pdfUrl, { method: 'POST' })).status).toBe(405);
    expect((await fetch(`${app.server.url}/api/labels/not-a-label.pdf`)).status).toBe(401);
  });

  it('prints the plant’s address and GLN as ship-from, and a transfer’s receiving plant as ship-to', async () => {
    await admin.trpc.tenancy.plants.update.mutate({
      id: plant1,
      patch: {
        street: 'Hafenstraße 5',
        postalCode: '20457',
        city: 'Hamburg',
        country: 'DE',
        gln: '9506000001005',
      },
    });
    await admin.trpc.tenancy.plants.update.mutate({
      id: plant2,
      patch: { street: '4100 Lakeshore Drive', postalCode: '53403', city: 'Racine, WI', country: 'US' },
    });
    const shipped = await pallet(plant1);
    const label = await admin.trpc.logistics.labels.issue.mutate({
      packageId: shipped.packageId,
      templateKey: 'pallet-4x6',
    });
    expect(label.data.shipFrom).toEqual({
      name: 'A plant 1',
      address: ['Hafenstraße 5', '20457 Hamburg, DE'],
      gln: '9506000001005',
    });
    const { svg } = await admin.trpc.logistics.labels.svg.query({ id: label.id });
    expect(svg).toContain('Hafenstraße 5');
    expect(svg).toContain('GLN 9506000001005');

    // A transfer from plant 2 (no GLN) to plant 1: the receiving plant's address, its GLN as (410).
    const transferred = await pallet(plant2, { transferTo: plant1 });
    const transferLabel = await admin.trpc.logistics.labels.issue.mutate({
      packageId: transferred.packageId,
      templateKey: 'pallet-a6',
    });
    expect(transferLabel.data).toMatchObject({
      shipFrom: { name: 'A plant 2', address: ['4100 Lakeshore Drive', '53403 Racine, WI, US'] },
      shipTo: { name: 'A plant 1', address: ['Hafenstraße 5', '20457 Hamburg, DE'], gln: '9506000001005' },
    });
    expect(transferLabel.data.shipFrom?.gln).toBeUndefined();
    expect(transferLabel.data.po).toBeUndefined();
  });

  it('prints the (17) expiry or the (15) best-before the contents share, one date only', async () => {
    const issue = async (contents: PackedContent[]) => {
      const packed = await pallet(plant1, { contents });
      return admin.trpc.logistics.labels.issue.mutate({
        packageId: packed.packageId,
        templateKey: 'pallet-4x6',
      });
    };
    const gtin = '09506000134352';
    const bestBefore = await issue([
      { gtin, lot: 'L1', bestBefore: '2026-12-31', quantity: 20 },
      { gtin, lot: 'L1', bestBefore: '2026-12-31', quantity: 20 },
    ]);
    expect(bestBefore.data).toMatchObject({ bestBefore: '2026-12-31' });
    expect(bestBefore.data.expiry).toBeUndefined();
    expect(bestBefore.elementString).toContain('(15)261231');
    expect(bestBefore.elementString).not.toContain('(17)');

    // Both dates on every content: the expiry, the safety date, is the one printed.
    const both = await issue([{ gtin, bestBefore: '2026-12-31', expiry: '2027-01-31', quantity: 40 }]);
    expect(both.data).toMatchObject({ expiry: '2027-01-31' });
    expect(both.data.bestBefore).toBeUndefined();
    expect(both.elementString).toContain('(17)270131');
    expect(both.elementString).not.toContain('(15)');

    // Expiries differ, best-befores agree: the shared best-before.
    const sharedBestBefore = await issue([
      { gtin, bestBefore: '2026-12-31', expiry: '2027-01-31', quantity: 20 },
      { gtin, bestBefore: '2026-12-31', expiry: '2027-02-28', quantity: 20 },
    ]);
    expect(sharedBestBefore.data).toMatchObject({ bestBefore: '2026-12-31' });
    expect(sharedBestBefore.data.expiry).toBeUndefined();

    // One content with a (17), another with a (15): no date is shared, none is printed.
    const none = await issue([
      { gtin, expiry: '2027-01-31', quantity: 20 },
      { gtin, bestBefore: '2027-01-31', quantity: 20 },
    ]);
    expect(none.data.expiry).toBeUndefined();
    expect(none.data.bestBefore).toBeUndefined();
    expect(none.elementString).not.toMatch(/\((15|17)\)/);
  });
});
