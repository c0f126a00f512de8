import { beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, addUser, signIn } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { useTestApp } from '../../testing/app.js';
import { auditTrail, expectEntries } from '../../testing/audit-entries.js';
import { testEngines } from '../../testing/engines.js';
import { packedPallet } from '../../testing/packed-packages.js';

/*
 * Printers and prints through the API (docs/labels.md, "Issuing and printing"): who keeps printers
 * and where, the checks on a printer's address, queueing a print on a printer of the label's plant,
 * reprints with their reason, the print log per label and per printer, and the audit trail.
 */
describe.each(testEngines)('printers and prints ($name engine)', (engine) => {
  const app = useTestApp(engine);
  let admin: ApiClient;
  let plant1: string;
  let plant2: string;

  beforeAll(async () => {
    ({ admin } = app);
    [plant1, plant2] = app.tenants.a.plantIds as [string, string];
  });

  const printer = (plantId: string, code: string, fields: { host?: string; dotsPerMm?: 8 | 12 | 24 } = {}) =>
    admin.trpc.logistics.printers.create.mutate({
      plantId,
      code,
      name: `Printer ${code}`,
      host: fields.host ?? 'zebra-dock.plant.local',
      ...(fields.dotsPerMm === undefined ? {} : { dotsPerMm: fields.dotsPerMm }),
    });

  const issuedLabel = async (plantId = plant1) => {
    const packed = await packedPallet(app.database.db, { tenantId: app.tenants.a.tenantId, plantId });
    return admin.trpc.logistics.labels.issue.mutate({
      packageId: packed.packageId,
      templateKey: 'pallet-4x6',
    });
  };

  it('keeps printers per plant: created, changed and taken out of use by logistics.manage, audited', async () => {
    const trail = auditTrail(app.database.db, app.tenants.a);
    const mark = await trail.lastSeq();
    const dock = await printer(plant1, 'DOCK-1', { host: '10.0.0.21' });
    expect(dock).toMatchObject({
      plantCode: 'A1',
      host: '10.0.0.21',
      port: 9100,
      dotsPerMm: 8,
      isActive: true,
    });
    await expectApiError(printer(plant1, 'DOCK-1'), 'CONFLICT', 'That code is already in use here');
    // The same code at another plant is another printer.
    await printer(plant2, 'DOCK-1');
    const changed = await admin.trpc.logistics.printers.update.mutate({
      id: dock.id,
      patch: { host: 'zt411-dock1.riverside.local', port: 6101, dotsPerMm: 12 },
    });
    expect(changed).toMatchObject({ host: 'zt411-dock1.riverside.local', port: 6101, dotsPerMm: 12 });
    await admin.trpc.logistics.printers.deactivate.mutate({ id: dock.id });
    const active = await admin.trpc.logistics.printers.list.query({ plantId: plant1 });
    expect(active.map((p) => p.id)).not.toContain(dock.id);
    const all = await admin.trpc.logistics.printers.list.query({ plantId: plant1, includeInactive: true });
    expect(all.find((p) => p.id === dock.id)?.isActive).toBe(false);
    await admin.trpc.logistics.printers.reactivate.mutate({ id: dock.id });
    expectEntries(
      (await trail.since(mark)).filter((entry) => entry.entityId === dock.id),
      [
        { action: 'printer.create', entityLabel: 'DOCK-1', plantId: plant1 },
        {
          action: 'printer.update',
          oldValues: { host: '10.0.0.21', port: 9100, dotsPerMm: 8 },
          newValues: { host: 'zt411-dock1.riverside.local', port: 6101, dotsPerMm: 12 },
        },
        { action: 'printer.deactivate' },
        { action: 'printer.reactivate' },
      ],
    );
  });

  it('refuses a printer address that is not a host, and printers of plants out of reach', async () => {
    for (const host of ['tcp://10.0.0.1', '10.0.0.1:9100', 'printer dock', '-printer', 'x'.repeat(254), '']) {
      const refused = await expectApiError(
        admin.trpc.logistics.printers.create.mutate({ plantId: plant1, code: 'BAD', name: 'Bad', host }),
        'BAD_REQUEST',
      );
      expect(Object.keys(refused.data?.fieldErrors ?? {})).toEqual(['host']);
    }
    await expectApiError(
      admin.trpc.logistics.printers.create.mutate({
        plantId: plant1,
        code: 'BAD',
        name: 'Bad',
        host: 'h',
        dotsPerMm: 6 as 8,
      }),
      'BAD_REQUEST',
    );
    await printer(plant1, 'V6', { host: 'fd00::21' });
    const planner = await addUser(admin, { roleIds: [app.tenants.a.roleIds.planner!], plantIds: [plant2] });
    const atPlant2 = await signIn(app.server.url, planner.email);
    await expectApiError(
      atPlant2.trpc.logistics.printers.create.mutate({ plantId: plant1, code: 'P', name: 'P', host: 'h' }),
      'NOT_FOUND',
      'Plant not found',
    );
    expect((await atPlant2.trpc.logistics.printers.list.query()).every((p) => p.plantId === plant2)).toBe(
      true,
    );
    await expectApiError(
      app.adminB.trpc.logistics.printers.create.mutate({ plantId: plant1, code: 'P', name: 'P', host: 'h' }),
      'NOT_FOUND',
    );
    const shipper = await addUser(admin, { roleIds: [app.tenants.a.roleIds.shipper!], plantIds: [plant1] });
    const packer = await signIn(app.server.url, shipper.email);
    await expectApiError(
      packer.trpc.logistics.printers.create.mutate({ plantId: plant1, code: 'P', name: 'P', host: 'h' }),
      'FORBIDDEN',
      'This needs the permission logistics.manage',
    );
  });

  it('queues a print, and a reprint only with a reason; both in the label’s and the printer’s log', async () => {
    const dock = await printer(plant1, 'DOCK-2');
    const label = await issuedLabel();
    const trail = auditTrail(app.database.db, app.tenants.a);
    const mark = await trail.lastSeq();
    const first = await admin.trpc.logistics.labels.print.mutate({ labelId: label.id, printerId: dock.id });
    expect(first).toMatchObject({
      labelId: label.id,
      sscc: label.sscc,
      printerCode: 'DOCK-2',
      copies: 1,
      reprint: false,
      reason: '',
      status: 'queued',
      attempts: 0,
      requestedByName: 'Admin A',
      sentAt: null,
      completedAt: null,
    });
    const refused = await expectApiError(
      admin.trpc.logistics.labels.print.mutate({ labelId: label.id, printerId: dock.id, copies: 2 }),
      'BAD_REQUEST',
      'This label was printed before: say why it is printed again',
    );
    expect(refused.data?.fieldErrors).toEqual({ reason: 'Say why it is printed again' });
    const again = await admin.trpc.logistics.labels.print.mutate({
      labelId: label.id,
      printerId: dock.id,
      copies: 2,
      reason: 'Label torn when wrapping',
    });
    expect(again).toMatchObject({ reprint: true, reason: 'Label torn when wrapping', copies: 2 });
    expectEntries(await trail.since(mark), [
      {
        action: 'label_print.queue',
        entityId: first.id,
        entityLabel: label.sscc,
        plantId: plant1,
        newValues: expect.objectContaining({
          labelId: label.id,
          printerCode: 'DOCK-2',
          copies: 1,
          reprint: false,
        }),
      },
      {
        action: 'label_print.reprint',
        entityId: again.id,
        reason: 'Label torn when wrapping',
        newValues: expect.objectContaining({ reprint: true, copies: 2 }),
      },
    ]);
    const byLabel = await admin.trpc.logistics.printing.log.query({ labelId: label.id });
    expect(byLabel.items.map((print) => print.id)).toEqual([again.id, first.id]);
    const byPrinter = await admin.trpc.logistics.printing.log.query({ printerId: dock.id, limit: 1 });
    expect(byPrinter.items.map((print) => print.id)).toEqual([again.id]);
    const older = await admin.trpc.logistics.printing.log.query({
      printerId: dock.id,
      limit: 1,
      cursor: byPrinter.nextCursor!,
    });
    expect(older).toEqual({ items: [expect.objectContaining({ id: first.id })], nextCursor: null });
    expect((await admin.trpc.logistics.labels.get.query({ id: label.id })).prints).toHaveLength(2);
  });

  it('prints only on an active printer of the label’s plant, and fails the queue of one taken out of use', async () => {
    const label = await issuedLabel();
    const elsewhere = await printer(plant2, 'OTHER');
    const wrongPlant = await expectApiError(
      admin.trpc.logistics.labels.print.mutate({ labelId: label.id, printerId: elsewhere.id }),
      'BAD_REQUEST',
      'The printer is not at the label’s plant',
    );
    expect(wrongPlant.data?.fieldErrors).toEqual({ printerId: 'Not at this plant' });
    const dock = await printer(plant1, 'DOCK-3');
    const queued = await admin.trpc.logistics.labels.print.mutate({ labelId: label.id, printerId: dock.id });
    await admin.trpc.logistics.printers.deactivate.mutate({ id: dock.id });
    const [failed] = (await admin.trpc.logistics.printing.log.query({ printerId: dock.id })).items;
    expect(failed).toMatchObject({
      id: queued.id,
      status: 'failed',
      error: 'The printer was deactivated before the job was sent',
    });
    expect(failed?.completedAt).not.toBeNull();
    await expectApiError(
      admin.trpc.logistics.labels.print.mutate({ labelId: label.id, printerId: dock.id, reason: 'again' }),
      'BAD_REQUEST',
      'The printer is out of use',
    );
    await expectApiError(
      app.adminB.trpc.logistics.labels.print.mutate({ labelId: label.id, printerId: dock.id }),
      'NOT_FOUND',
      'Label not found',
    );
    for (const copies of [0, 101, 1.5])
      await expectApiError(
        admin.trpc.logistics.labels.print.mutate({ labelId: label.id, printerId: dock.id, copies }),
        'BAD_REQUEST',
      );
  });
});
