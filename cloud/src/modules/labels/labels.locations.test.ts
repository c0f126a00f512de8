import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../db/index.js';
import { SESSION_COOKIE } from '../../http/cookies.js';
import { type ApiClient, addUser, signIn } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { useTestApp } from '../../testing/app.js';
import { auditTrail, expectEntries } from '../../testing/audit-entries.js';
import { testEngines } from '../../testing/engines.js';

/*
 * Location labels through the API (docs/labels.md, "Location labels"): a bin's label with (414) the
 * plant's GLN and (254) its code, drawn and served like any label, printed for many bins in one call,
 * refused whole for a plant without a GLN or a code (254) cannot hold, and kept to the caller's
 * plants and tenant. Migration 0046 is what lets the kind `location` in, on both engines.
 */
describe.each(testEngines)('location labels ($name engine)', (engine) => {
  const app = useTestApp(engine);
  let admin: ApiClient;
  let plant1: string;
  let plant2: string;
  const loc: Record<string, string> = {};

  const location = async (plantId: string, code: string, kind: 'warehouse' | 'bin', parentId?: string) =>
    (
      await admin.trpc.materials.locations.create.mutate({
        plantId,
        code,
        name: `Location ${code}`,
        kind,
        ...(parentId === undefined ? {} : { parentId }),
      })
    ).id;
  const labelCount = async () =>
    (await admin.trpc.logistics.labels.list.query({ limit: 200 })).items.filter((l) => l.kind === 'location')
      .length;

  beforeAll(async () => {
    ({ admin } = app);
    [plant1, plant2] = app.tenants.a.plantIds as [string, string];
    await admin.trpc.tenancy.plants.update.mutate({ id: plant1, patch: { gln: '9506000001005' } });
    loc.store = await location(plant1, 'RM', 'warehouse');
    loc.bin1 = await location(plant1, 'RM-01', 'bin', loc.store);
    loc.bin2 = await location(plant1, 'RM-02', 'bin', loc.store);
    loc.long = await location(plant1, 'RACK-A-LEVEL-04-BAY-12', 'bin', loc.store);
    // Plant 2 has no GLN: its locations can have no label.
    loc.atPlant2 = await location(plant2, 'B-01', 'bin');
  });

  it('issues a bin’s label with (414) and (254), draws it and records the issue', async () => {
    const trail = auditTrail(app.database.db, app.tenants.a);
    const mark = await trail.lastSeq();
    const [label, ...more] = await admin.trpc.logistics.labels.issueLocations.mutate({
      locationIds: [loc.bin1!],
    });
    expect(more).toEqual([]);
    expect(label).toMatchObject({
      plantId: plant1,
      kind: 'location',
      templateKey: 'location-4x3',
      locationId: loc.bin1,
      sscc: null,
      elementString: '(414)9506000001005(254)RM-01',
      data: {
        location: { code: 'RM-01', name: 'Location RM-01', kind: 'bin', path: 'RM', gln: '9506000001005' },
        plant: { code: 'A1', name: 'A plant 1' },
      },
    });
    expectEntries(await trail.since(mark), [
      { action: 'label_template.create', entityLabel: 'location-4x3' },
      {
        action: 'barcode_label.issue',
        entityId: label!.id,
        entityLabel: '(414)9506000001005(254)RM-01',
        newValues: { kind: 'location', locationId: loc.bin1 },
      },
    ]);

    const { svg } = await admin.trpc.logistics.labels.svg.query({ id: label!.id });
    expect(svg).toContain('data-symbology="gs1-datamatrix"');
    expect(svg).toContain('data-content="(414)9506000001005(254)RM-01"');
    expect(svg).toContain('>RM-01<');
    const pdf = await fetch(`${app.server.url}/api/labels/${label!.id}.pdf`, {
      headers: { cookie: `${SESSION_COOKIE}=${app.admin.token}` },
    });
    expect(pdf.status).toBe(200);
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    const listed = await admin.trpc.logistics.labels.list.query({ locationId: loc.bin1!, limit: 10 });
    expect(listed.items.map((l) => l.id)).toEqual([label!.id]);
  });

  it('prints many bins’ labels in one call; printing a bin again is a new label, not a reprint', async () => {
    const printer = await admin.trpc.logistics.printers.create.mutate({
      plantId: plant1,
      code: 'RACK-PRN',
      name: 'Rack labels',
      host: 'zebra-rack.plant.local',
    });
    const trail = auditTrail(app.database.db, app.tenants.a);
    const mark = await trail.lastSeq();
    const printed = await admin.trpc.logistics.labels.printLocations.mutate({
      locationIds: [loc.bin1!, loc.bin2!],
      printerId: printer.id,
      copies: 2,
    });
    expect(printed.labels.map((l) => l.data.location?.code)).toEqual(['RM-01', 'RM-02']);
    expect(printed.prints).toMatchObject([
      { printerCode: 'RACK-PRN', copies: 2, reprint: false, status: 'queued' },
      { printerCode: 'RACK-PRN', copies: 2, reprint: false, status: 'queued' },
    ]);
    const again = await admin.trpc.logistics.labels.printLocations.mutate({
      locationIds: [loc.bin1!],
      printerId: printer.id,
      copies: 1,
    });
    expect(again.prints).toMatchObject([{ reprint: false }]);
    expect(again.labels[0]?.id).not.toBe(printed.labels[0]?.id);
    // The same bin label printed again from its own panel is a reprint, logged as one, and needs no
    // reason: it names a bin, not one package in the world.
    const reprinted = await admin.trpc.logistics.labels.print.mutate({
      labelId: printed.labels[0]!.id,
      printerId: printer.id,
      copies: 1,
    });
    expect(reprinted).toMatchObject({ reprint: true, reason: '' });
    const actions = (await trail.since(mark)).map((entry) => entry.action);
    expect(actions.filter((action) => action === 'label_print.queue')).toHaveLength(3);
    expect(actions.filter((action) => action === 'label_print.reprint')).toHaveLength(1);
    expect(actions.filter((action) => action === 'barcode_label.issue')).toHaveLength(3);

    // Another plant's printer is refused, and nothing is issued for it.
    const before = await labelCount();
    const elsewhere = await admin.trpc.logistics.printers.create.mutate({
      plantId: plant2,
      code: 'P2-PRN',
      name: 'Plant 2',
      host: 'zebra.plant2.local',
    });
    await expectApiError(
      admin.trpc.logistics.labels.printLocations.mutate({
        locationIds: [loc.bin2!],
        printerId: elsewhere.id,
      }),
      'BAD_REQUEST',
      'The printer is not at the label’s plant',
    );
    expect(await labelCount()).toBe(before);
  });

  it('refuses, whole, the locations that cannot have a label, saying why', async () => {
    const before = await labelCount();
    await expectApiError(
      admin.trpc.logistics.labels.issueLocations.mutate({ locationIds: [loc.atPlant2!] }),
      'BAD_REQUEST',
      'Plant A2 has no GLN: enter it to label its locations',
    );
    const long = await expectApiError(
      admin.trpc.logistics.labels.issueLocations.mutate({ locationIds: [loc.bin1!, loc.long!] }),
      'BAD_REQUEST',
      'Location code RACK-A-LEVEL-04-BAY-12 is 22 characters; a location label holds at most 20 (AI 254)',
    );
    expect(Object.keys(long.data?.fieldErrors ?? {})).toEqual(['locationIds']);
    await expectApiError(
      admin.trpc.logistics.labels.issueLocations.mutate({ locationIds: [loc.bin1!, loc.atPlant2!] }),
      'BAD_REQUEST',
      'Print the labels of one plant’s locations at a time',
    );
    await expectApiError(
      admin.trpc.logistics.labels.issueLocations.mutate({
        locationIds: [loc.bin1!],
        templateKey: 'pallet-4x6',
      }),
      'BAD_REQUEST',
      'A location is not labelled with a GS1 logistic label 4×6″ label',
    );
    expect(await labelCount()).toBe(before);
    // The table keeps a location label to its location, and only a location label (migration 0046).
    const refused: unknown = await app.database.db
      .ownerTransact({ tenantId: app.tenants.a.tenantId, plantIds: 'all' }, (tx) =>
        rows(
          tx,
          sql`update barcode_labels set location_id = null where kind = 'location' and location_id = ${loc.bin1}::uuid`,
        ),
      )
      .then(
        () => null,
        (error: unknown) => error,
      );
    expect(String((refused as Error | null)?.cause ?? refused)).toMatch(/barcode_labels_location_check/);
  });

  it('prints for those with logistics.pack at the location’s plant, in the caller’s tenant', async () => {
    const quality = await addUser(admin, { roleIds: [app.tenants.a.roleIds.quality!], plantIds: [plant1] });
    await expectApiError(
      (await signIn(app.server.url, quality.email)).trpc.logistics.labels.issueLocations.mutate({
        locationIds: [loc.bin1!],
      }),
      'FORBIDDEN',
      'This needs the permission logistics.pack',
    );
    const shipper = await addUser(admin, { roleIds: [app.tenants.a.roleIds.shipper!], plantIds: [plant2] });
    const atPlant2 = await signIn(app.server.url, shipper.email);
    await expectApiError(
      atPlant2.trpc.logistics.labels.issueLocations.mutate({ locationIds: [loc.bin1!] }),
      'NOT_FOUND',
      'Location not found',
    );
    await expectApiError(
      app.adminB.trpc.logistics.labels.issueLocations.mutate({ locationIds: [loc.bin1!] }),
      'NOT_FOUND',
      'Location not found',
    );
    const packer = await addUser(admin, { roleIds: [app.tenants.a.roleIds.shipper!], plantIds: [plant1] });
    const labels = await (
      await signIn(app.server.url, packer.email)
    ).trpc.logistics.labels.issueLocations.mutate({ locationIds: [loc.bin2!] });
    expect(labels.map((l) => l.elementString)).toEqual(['(414)9506000001005(254)RM-02']);
  });
});
