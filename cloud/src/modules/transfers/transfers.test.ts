import { allPermissions } from '@plantline/schema';
import { ssccFrom } from '@plantline/schema/gs1';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Principal } from '../../platform/index.js';
import { type ApiClient, addUser, signIn, wsClient } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { useTestApp } from '../../testing/app.js';
import { testEngines } from '../../testing/engines.js';
import { nextEventId } from '../../testing/events.js';
import { addCustomer, setGs1Prefix } from '../../testing/logistics.js';
import { recordTransferScan } from './scans.js';

/*
 * Transfers through the API (docs/logistics.md, "Transfers"), with users who reach one plant each:
 * plant A plans, packs and ships, plant B receives by scanning SSCCs and records what differs with a
 * reason, a plant-C user and another tenant see nothing, and each side is refused the other's work.
 */
const ROTOR = '09521234543213';
const CALIPER = '09506000134352';

describe.each(testEngines)('transfers between plants ($name engine)', (engine) => {
  const app = useTestApp(engine);
  const a = {} as {
    plantA: string;
    plantB: string;
    plantC: string;
    rotor: string;
    caliper: string;
    sender: ApiClient;
    receiver: ApiClient;
    outsider: ApiClient;
  };

  beforeAll(async () => {
    const { admin } = app;
    [a.plantA, a.plantB] = app.tenants.a.plantIds as [string, string];
    a.plantC = (await admin.trpc.tenancy.plants.create.mutate({ code: 'C3', name: 'Plant C' })).id;
    a.rotor = (
      await admin.trpc.production.products.create.mutate({ code: 'BRK-100', name: 'Rotor', gtin: ROTOR })
    ).id;
    a.caliper = (
      await admin.trpc.production.products.create.mutate({ code: 'BRK-200', name: 'Caliper', gtin: CALIPER })
    ).id;
    await setGs1Prefix(admin, '9528765', 3);
    const { roleIds } = app.tenants.a;
    const user = async (plantId: string) =>
      signIn(
        app.server.url,
        (await addUser(admin, { roleIds: [roleIds.planner!, roleIds.shipper!], plantIds: [plantId] })).email,
      );
    a.sender = await user(a.plantA);
    a.receiver = await user(a.plantB);
    a.outsider = await user(a.plantC);
  });

  const plan = (items = [{ productId: a.rotor, quantity: 3 }], client = a.sender) =>
    client.trpc.logistics.transfers.create.mutate({
      fromPlantId: a.plantA,
      toPlantId: a.plantB,
      items,
      note: 'Weekly',
    });
  const carton = (transferOrderId: string) =>
    a.sender.trpc.logistics.transfers.openPackage.mutate({ transferOrderId, kind: 'carton' });
  const packScan = (transferOrderId: string, packageId: string, data: string) =>
    a.sender.trpc.logistics.transfers.scan.mutate({ transferOrderId, mode: 'pack', packageId, data });
  const receiveScan = (transferOrderId: string, data: string, client = a.receiver) =>
    client.trpc.logistics.transfers.scan.mutate({ transferOrderId, mode: 'receive', data });
  const version = async (id: string) => (await a.sender.trpc.logistics.transfers.get.query({ id })).version;

  /** A transfer with a packed carton of `packed` rotors, shipped. */
  async function shipped(packed: number, quantity = packed) {
    const transfer = await plan([{ productId: a.rotor, quantity }]);
    const box = await carton(transfer.id);
    expect((await packScan(transfer.id, box.id, `(01)${ROTOR}(30)${packed}`)).result).toBe('ok');
    await a.sender.trpc.logistics.transfers.ship.mutate({
      id: transfer.id,
      expectedVersion: await version(transfer.id),
      trackingNumber: 'TRK-1',
      partial: packed < quantity,
    });
    return { transfer, box };
  }

  it('goes from plant A to plant B: planned, packed by scanning, shipped, received by SSCC', async () => {
    const transfer = await plan([
      { productId: a.rotor, quantity: 3 },
      { productId: a.caliper, quantity: 2 },
    ]);
    expect(transfer).toMatchObject({
      status: 'draft',
      fromPlantCode: 'A1',
      toPlantCode: 'A2',
      number: expect.stringMatching(/^TRF-A1-\d{4}-00001$/),
    });
    const pallet = await a.sender.trpc.logistics.transfers.openPackage.mutate({
      transferOrderId: transfer.id,
      kind: 'pallet',
    });
    const box = await a.sender.trpc.logistics.transfers.openPackage.mutate({
      transferOrderId: transfer.id,
      kind: 'carton',
      parentId: pallet.id,
    });
    const answers = [
      await packScan(transfer.id, box.id, `(01)${ROTOR}(30)3`),
      await packScan(transfer.id, box.id, '(01)09506000134376'),
      await packScan(transfer.id, box.id, `(01)${ROTOR}`),
      await packScan(transfer.id, box.id, `(01)${CALIPER}(30)2`),
    ];
    expect(answers.map((x) => x.result)).toEqual(['ok', 'wrong_item', 'over_quantity', 'ok']);
    expect(answers[1]!.message).toBe(
      'GTIN 09506000134376 is not on this transfer, which needs BRK-100, BRK-200',
    );
    expect(answers[3]!.status).toBe('picking');
    // The receiving plant cannot pack, ship, edit or cancel what plant A sends.
    await expectApiError(
      a.receiver.trpc.logistics.transfers.scan.mutate({
        transferOrderId: transfer.id,
        mode: 'pack',
        packageId: box.id,
        data: `(01)${ROTOR}`,
      }),
      'FORBIDDEN',
      `${transfer.number} is packed and shipped by plant A1`,
    );
    const v = await version(transfer.id);
    await expectApiError(
      a.receiver.trpc.logistics.transfers.update.mutate({
        id: transfer.id,
        expectedVersion: v,
        patch: { note: 'x' },
      }),
      'FORBIDDEN',
    );
    await expectApiError(
      a.receiver.trpc.logistics.transfers.ship.mutate({ id: transfer.id, expectedVersion: v }),
      'FORBIDDEN',
    );
    // …and plant A cannot receive before it ships, nor after: that is plant B's.
    await expectApiError(
      receiveScan(transfer.id, `(00)${pallet.sscc}`),
      'CONFLICT',
      /is being picked: only a transfer in transit/,
    );
    await expectApiError(
      a.sender.trpc.logistics.transfers.ship.mutate({ id: transfer.id, expectedVersion: v - 1 }),
      'CONFLICT',
      /was changed since you opened it/,
    );
    const left = await a.sender.trpc.logistics.transfers.ship.mutate({
      id: transfer.id,
      expectedVersion: v,
      trackingNumber: 'TRK-9',
    });
    expect(left).toMatchObject({ status: 'in_transit', trackingNumber: 'TRK-9' });
    expect(left.shippedAt).not.toBeNull();
    await expectApiError(
      receiveScan(transfer.id, `(00)${pallet.sscc}`, a.sender),
      'FORBIDDEN',
      `${transfer.number} is received by plant A2`,
    );

    // Plant B sees it among its incoming transfers, plant A among its outgoing ones.
    const incoming = await a.receiver.trpc.logistics.transfers.list.query({ direction: 'incoming' });
    expect(incoming.items.map((t) => t.id)).toContain(transfer.id);
    expect((await a.receiver.trpc.logistics.transfers.list.query({ direction: 'outgoing' })).items).toEqual(
      [],
    );
    expect(
      (await a.sender.trpc.logistics.transfers.list.query({ direction: 'outgoing' })).items.map((t) => t.id),
    ).toContain(transfer.id);

    const received = await receiveScan(transfer.id, `(00)${pallet.sscc}`);
    expect(received).toMatchObject({
      result: 'ok',
      message: `Pallet ${pallet.sscc} received: every package of ${transfer.number} is in`,
    });
    expect(await receiveScan(transfer.id, `(00)${box.sscc}`)).toMatchObject({
      result: 'duplicate',
      message: `Carton ${box.sscc} was received already`,
    });
    const seen = await a.receiver.trpc.logistics.transfers.get.query({ id: transfer.id });
    expect(seen.items.map((i) => [i.productCode, i.packedQuantity, i.receivedQuantity])).toEqual([
      ['BRK-100', 3, 3],
      ['BRK-200', 2, 2],
    ]);
    expect(seen.reach).toEqual({ sending: false, receiving: true });
    const done = await a.receiver.trpc.logistics.transfers.finishReceiving.mutate({
      id: transfer.id,
      expectedVersion: seen.version,
    });
    expect(done.status).toBe('received');
    expect(done.receivedAt).not.toBeNull();
    const page = await a.sender.trpc.logistics.transfers.get.query({ id: transfer.id });
    expect(page.receipts.map((r) => [r.sscc, r.productCode, r.receivedQuantity, r.discrepancy])).toEqual([
      [box.sscc, 'BRK-100', 3, null],
      [box.sscc, 'BRK-200', 2, null],
    ]);
    expect(page.scans.map((s) => [s.mode, s.result])).toContainEqual(['receive', 'duplicate']);
  });

  it('refuses the receiving plant’s wrong scans with a typed result', async () => {
    const { transfer } = await shipped(2);
    const other = await shipped(1);
    const customer = await addCustomer(app.database.db, app.tenants.a.tenantId, { code: 'ACME' });
    const shipment = await app.admin.trpc.logistics.shipments.create.mutate({
      plantId: a.plantB,
      customerId: customer.customerId,
      shipToId: customer.shipToId,
      products: [{ productId: a.rotor, quantity: 1 }],
    });
    const customerBox = await app.admin.trpc.logistics.packing.openPackage.mutate({
      shipmentId: shipment.id,
      kind: 'carton',
    });
    const unknown = ssccFrom({ extensionDigit: 3, companyPrefix: '9528765', serialReference: 99_999 });
    const answers = [
      await receiveScan(transfer.id, `(00)${other.box.sscc}`),
      await receiveScan(transfer.id, `(00)${customerBox.sscc}`),
      await receiveScan(transfer.id, `(00)${unknown}`),
      await receiveScan(transfer.id, `(01)${ROTOR}`),
      await receiveScan(transfer.id, `(00)${unknown.slice(0, 17)}${(Number(unknown.at(-1)) + 1) % 10}`),
    ];
    expect(answers.map((x) => [x.result, x.message])).toEqual([
      [
        'not_in_shipment',
        `SSCC ${other.box.sscc} is a package of another transfer, not of ${transfer.number}`,
      ],
      [
        'not_in_shipment',
        `SSCC ${customerBox.sscc} is a package of a customer shipment, not of ${transfer.number}`,
      ],
      ['not_in_shipment', `SSCC ${unknown} is not a package of ${transfer.number}`],
      ['unreadable', 'The scan carries no SSCC (00): scan the pallet or carton label'],
      ['bad_check_digit', expect.stringMatching(/check digit/)],
    ]);
  });

  it('records what differs with the reason the receiver picks, and refuses a difference without one', async () => {
    const { transfer, box } = await shipped(5);
    await receiveScan(transfer.id, `(00)${box.sscc}`);
    const seen = await a.receiver.trpc.logistics.transfers.get.query({ id: transfer.id });
    const itemId = seen.items[0]!.id;
    const error = await expectApiError(
      a.receiver.trpc.logistics.transfers.finishReceiving.mutate({
        id: transfer.id,
        expectedVersion: seen.version,
        lines: [{ itemId, receivedQuantity: 4 }],
      }),
      'BAD_REQUEST',
      'Line 1 (BRK-100): 4 of 5 arrived — choose why (short, missing_package, damaged, wrong_item, wrong_lot)',
    );
    expect(error.data?.fieldErrors).toMatchObject({ [`lines.${itemId}`]: expect.stringMatching(/4 of 5/) });
    await expectApiError(
      a.receiver.trpc.logistics.transfers.finishReceiving.mutate({
        id: transfer.id,
        expectedVersion: seen.version,
        lines: [{ itemId, receivedQuantity: 4, reason: 'over' }],
      }),
      'BAD_REQUEST',
      'Line 1 (BRK-100): 4 of 5 arrived, which is not "over"',
    );
    const done = await a.receiver.trpc.logistics.transfers.finishReceiving.mutate({
      id: transfer.id,
      expectedVersion: seen.version,
      lines: [{ itemId, receivedQuantity: 4, reason: 'short', note: 'One missing from the carton' }],
    });
    expect(done.status).toBe('received');
    const page = await a.sender.trpc.logistics.transfers.get.query({ id: transfer.id });
    expect(page.items[0]).toMatchObject({ packedQuantity: 5, receivedQuantity: 4 });
    expect(page.receipts.at(-1)).toMatchObject({
      productCode: 'BRK-100',
      expectedQuantity: 5,
      receivedQuantity: 4,
      discrepancy: 'short',
      note: 'One missing from the carton',
    });
  });

  it('receives a damaged package with what was counted, and a package that never came as missing', async () => {
    const transfer = await plan([{ productId: a.rotor, quantity: 6 }]);
    const first = await carton(transfer.id);
    await packScan(transfer.id, first.id, `(01)${ROTOR}(30)3`);
    const second = await carton(transfer.id);
    await packScan(transfer.id, second.id, `(01)${ROTOR}(30)3`);
    await a.sender.trpc.logistics.transfers.ship.mutate({
      id: transfer.id,
      expectedVersion: await version(transfer.id),
    });
    const seen = await a.receiver.trpc.logistics.transfers.get.query({ id: transfer.id });
    const itemId = seen.items[0]!.id;
    await a.receiver.trpc.logistics.transfers.receiveDamaged.mutate({
      transferOrderId: transfer.id,
      packageId: first.id,
      counts: [{ itemId, quantity: 2 }],
      note: 'Crushed corner',
    });
    expect(await receiveScan(transfer.id, `(00)${first.sscc}`)).toMatchObject({ result: 'duplicate' });
    const now = await a.receiver.trpc.logistics.transfers.get.query({ id: transfer.id });
    expect(now.items[0]!.receivedQuantity).toBe(2);
    await a.receiver.trpc.logistics.transfers.finishReceiving.mutate({
      id: transfer.id,
      expectedVersion: now.version,
      lines: [{ itemId, reason: 'missing_package' }],
    });
    const page = await a.sender.trpc.logistics.transfers.get.query({ id: transfer.id });
    expect(page.receipts.map((r) => [r.sscc, r.expectedQuantity, r.receivedQuantity, r.discrepancy])).toEqual(
      [
        [first.sscc, 3, 2, 'damaged'],
        [second.sscc, 3, 0, 'missing_package'],
        [null, 6, 2, 'missing_package'],
      ],
    );
  });

  it('shows a transfer to its two plants only, and nothing to another tenant', async () => {
    const transfer = await plan();
    await expectApiError(
      a.outsider.trpc.logistics.transfers.get.query({ id: transfer.id }),
      'NOT_FOUND',
      'Transfer not found',
    );
    expect((await a.outsider.trpc.logistics.transfers.list.query({})).items).toEqual([]);
    await expectApiError(
      a.outsider.trpc.logistics.transfers.cancel.mutate({
        id: transfer.id,
        expectedVersion: 1,
        reason: 'No',
      }),
      'NOT_FOUND',
    );
    await expectApiError(app.adminB.trpc.logistics.transfers.get.query({ id: transfer.id }), 'NOT_FOUND');
    expect((await app.adminB.trpc.logistics.transfers.list.query({})).items).toEqual([]);
    // A plant-C user cannot send from a plant out of reach either.
    await expectApiError(plan(undefined, a.outsider), 'NOT_FOUND', 'Plant not found');
    const cancelled = await a.sender.trpc.logistics.transfers.cancel.mutate({
      id: transfer.id,
      expectedVersion: 1,
      reason: 'Plant B has stock',
    });
    expect(cancelled.status).toBe('cancelled');
    // The receiving plant reads why on the transfer itself: the sending plant's trail is not its own.
    const received = await a.receiver.trpc.logistics.transfers.get.query({ id: transfer.id });
    expect(received).toMatchObject({ status: 'cancelled', cancelReason: 'Plant B has stock' });
    const page = await a.sender.trpc.logistics.transfers.get.query({ id: transfer.id });
    expect(page.timeline.at(-1)).toMatchObject({
      action: 'transfer_order.cancel',
      reason: 'Plant B has stock',
    });
  });

  it('is edited before it leaves, against the version its planner saw', async () => {
    const transfer = await plan();
    const edited = await a.sender.trpc.logistics.transfers.update.mutate({
      id: transfer.id,
      expectedVersion: 1,
      patch: { note: 'Urgent' },
      addItems: [{ productId: a.caliper, quantity: 2, lot: 'L-1' }],
      quantities: [{ itemId: transfer.items[0]!.id, quantity: 4 }],
    });
    expect(edited).toMatchObject({ version: 2, note: 'Urgent' });
    expect(edited.items.map((i) => [i.lineNo, i.productCode, i.quantity, i.lot])).toEqual([
      [1, 'BRK-100', 4, null],
      [2, 'BRK-200', 2, 'L-1'],
    ]);
    await expectApiError(
      a.sender.trpc.logistics.transfers.update.mutate({
        id: transfer.id,
        expectedVersion: 1,
        patch: { note: 'x' },
      }),
      'CONFLICT',
      /was changed since you opened it \(by .+ UTC\); reload it and try again/,
    );
    const box = await carton(transfer.id);
    await packScan(transfer.id, box.id, `(01)${ROTOR}(30)2`);
    await expectApiError(
      a.sender.trpc.logistics.transfers.update.mutate({
        id: transfer.id,
        expectedVersion: await version(transfer.id),
        quantities: [{ itemId: transfer.items[0]!.id, quantity: 1 }],
      }),
      'BAD_REQUEST',
      'Line 1 has 2 packed already',
    );
  });

  it('refuses bad input with a clear error', async () => {
    await expectApiError(
      a.sender.trpc.logistics.transfers.create.mutate({
        fromPlantId: a.plantA,
        toPlantId: a.plantA,
        items: [{ productId: a.rotor, quantity: 1 }],
      }),
      'BAD_REQUEST',
      'A transfer goes to another plant',
    );
    await expectApiError(
      a.sender.trpc.logistics.transfers.create.mutate({
        fromPlantId: a.plantA,
        toPlantId: a.plantB,
        items: [{ productId: a.rotor, quantity: 0 }],
      }),
      'BAD_REQUEST',
    );
    const transfer = await plan();
    await expectApiError(
      a.sender.trpc.logistics.transfers.ship.mutate({ id: transfer.id, expectedVersion: 1 }),
      'CONFLICT',
      `${transfer.number} is a draft: only a transfer being picked can be shipped: pack something first`,
    );
    await carton(transfer.id);
    await expectApiError(
      a.sender.trpc.logistics.transfers.ship.mutate({
        id: transfer.id,
        expectedVersion: await version(transfer.id),
      }),
      'CONFLICT',
      'Nothing is packed: pack the transfer before shipping it',
    );
    await expectApiError(
      a.receiver.trpc.logistics.transfers.finishReceiving.mutate({ id: transfer.id, expectedVersion: 1 }),
      'CONFLICT',
      /only a transfer in transit can be received/,
    );
  });

  it('streams progress to both plants, and takes a plant scanner’s event once', async () => {
    const { transfer, box } = await shipped(2);
    const client = wsClient(app.server.url, { token: (a.receiver as ApiClient & { token: string }).token });
    const messages: { packages: { received: number } }[] = [];
    const subscription = client.trpc.logistics.transfers.live.subscribe(
      { transferOrderId: transfer.id },
      { onData: (m) => messages.push(m as never) },
    );
    try {
      await vi.waitFor(() => expect(messages).toHaveLength(1), { timeout: 10_000 });
      const tenantId = app.tenants.a.tenantId;
      const principal: Principal = {
        kind: 'api-key',
        tenantId,
        userId: null,
        apiKeyId: null,
        sessionId: null,
        permissions: new Set(allPermissions),
        plantIds: [a.plantB],
      };
      const bus = app.server.deps.bus;
      const scanEventId = nextEventId();
      const atEdge = () =>
        app.database.db.transact({ tenantId, plantIds: [a.plantB] }, (tx) =>
          recordTransferScan(
            { tx, principal, afterCommit: (effect) => effect(), deps: { bus } },
            {
              transferOrderId: transfer.id,
              mode: 'receive',
              data: `]C100${box.sscc}`,
              source: 'edge',
              scanEventId,
            },
          ),
        );
      expect(await atEdge()).toMatchObject({ result: 'ok' });
      expect(await atEdge()).toMatchObject({
        result: 'duplicate',
        message: 'This scan was already received',
      });
      await vi.waitFor(() => expect(messages.at(-1)?.packages.received).toBe(1), { timeout: 10_000 });
    } finally {
      subscription.unsubscribe();
      client.close();
    }
  });
});
