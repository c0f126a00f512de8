import { beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, addUser, signIn } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { useTestApp } from '../../testing/app.js';
import { auditTrail } from '../../testing/audit-entries.js';
import { testEngines } from '../../testing/engines.js';
import { setGs1Prefix } from '../../testing/logistics.js';
import { stockProduct } from '../../testing/stock.js';

/*
 * A transfer's stock (docs/materials.md, "Transfers between plants"): shipping moves what was packed
 * from the sending plant's stock into its transit location, each package received moves its goods on
 * into the receiving plant's receiving location, and what never arrives stays in transit. Short stock,
 * a blocked lot, another plant's stock refuse shipping and write nothing; a plant that keeps no stock
 * ships and receives as before.
 */
const GTIN = { rotor: '09528765000017', pad: '09528765000024', hub: '09528765000031' };

describe.each(testEngines)('the stock of a transfer ($name engine)', (engine) => {
  const app = useTestApp(engine);
  let admin: ApiClient;
  const a = {} as {
    plantA: string;
    plantB: string;
    plantC: string;
    rotor: string;
    pad: string;
    hub: string;
    sender: ApiClient;
    receiver: ApiClient;
  };

  beforeAll(async () => {
    ({ admin } = app);
    [a.plantA, a.plantB] = app.tenants.a.plantIds as [string, string];
    a.plantC = (await admin.trpc.tenancy.plants.create.mutate({ code: 'C3', name: 'Plant C' })).id;
    const product = async (code: string, gtin: string) =>
      (await admin.trpc.production.products.create.mutate({ code, name: code, gtin })).id;
    a.rotor = await product('BRK-100', GTIN.rotor);
    a.pad = await product('PAD-1', GTIN.pad);
    a.hub = await product('HUB-1', GTIN.hub);
    await setGs1Prefix(admin, '9528765', 3);
    const { roleIds } = app.tenants.a;
    const user = async (plantId: string) =>
      signIn(
        app.server.url,
        (await addUser(admin, { roleIds: [roleIds.planner!, roleIds.shipper!], plantIds: [plantId] })).email,
      );
    a.sender = await user(a.plantA);
    a.receiver = await user(a.plantB);
    // Plant B keeps stock: its goods receiving is where transfers arrive.
    await stockProduct(admin, {
      plantId: a.plantB,
      productId: a.pad,
      quantity: 0,
      location: 'GR',
      kind: 'receiving',
    });
  });

  /** A transfer from `from` to plant B, one carton per entry packed by one scan per content. */
  async function packed(
    cartons: { productId: string; gtin: string; quantity: number; lot?: string }[][],
    client = a.sender,
    fromPlantId = a.plantA,
  ) {
    const totals = new Map<string, number>();
    for (const c of cartons.flat()) totals.set(c.productId, (totals.get(c.productId) ?? 0) + c.quantity);
    const transfer = await client.trpc.logistics.transfers.create.mutate({
      fromPlantId,
      toPlantId: a.plantB,
      items: [...totals].map(([productId, quantity]) => ({ productId, quantity })),
    });
    const boxes = [];
    let version = transfer.version;
    for (const contents of cartons) {
      const box = await client.trpc.logistics.transfers.openPackage.mutate({
        transferOrderId: transfer.id,
        kind: 'carton',
      });
      boxes.push(box);
      for (const c of contents) {
        const lot = c.lot === undefined ? '' : `(10)${c.lot}`;
        const scan = await client.trpc.logistics.transfers.scan.mutate({
          transferOrderId: transfer.id,
          mode: 'pack',
          packageId: box.id,
          data: `(01)${c.gtin}${lot}(30)${c.quantity}`,
        });
        expect(scan.result).toBe('ok');
        version = scan.version;
      }
    }
    return { id: transfer.id, number: transfer.number, version, boxes };
  }

  const ship = (t: { id: string; version: number }, client = a.sender) =>
    client.trpc.logistics.transfers.ship.mutate({ id: t.id, expectedVersion: t.version });

  const movementsOf = async (note: string) =>
    (await admin.trpc.inventory.movements.query({ limit: 500 }))
      .filter((m) => m.note === note)
      .map((m) => [m.kind, m.plantId, m.locationId, m.lotId, Number(m.quantity)] as const)
      .sort((x, y) => x[4] - y[4]);

  const locationOf = async (plantId: string, code: string) =>
    (await admin.trpc.materials.locations.list.query({ plantId })).find((l) => l.code === code)!;

  const held = async (locationId: string, code?: string) =>
    (await admin.trpc.inventory.balances.query({ locationId }))
      .filter((b) => code === undefined || b.materialCode === code)
      .map((b) => [b.materialCode, b.lotCode, Number(b.quantity)])
      .sort();

  it('ships into transit, receives each package into goods receiving, and keeps the rest in transit', async () => {
    const rotors = await stockProduct(admin, {
      plantId: a.plantA,
      productId: a.rotor,
      quantity: 20,
      lot: 'R-1',
    });
    const pads = await stockProduct(admin, { plantId: a.plantA, productId: a.pad, quantity: 10 });
    const transfer = await packed([
      [{ productId: a.rotor, gtin: GTIN.rotor, quantity: 6, lot: 'R-1' }],
      [
        { productId: a.rotor, gtin: GTIN.rotor, quantity: 4, lot: 'R-1' },
        { productId: a.pad, gtin: GTIN.pad, quantity: 3 },
      ],
    ]);
    const trail = auditTrail(app.database.db, app.tenants.a);
    const shipping = await trail.during(async () => expect((await ship(transfer)).status).toBe('in_transit'));
    const transit = await locationOf(a.plantA, 'TRANSIT');
    expect(transit).toMatchObject({ kind: 'transit', isActive: true });
    expect(await movementsOf(`Shipped on ${transfer.number}`)).toEqual([
      ['transfer_out', a.plantA, rotors.locationId, rotors.lotId, -10],
      ['transfer_out', a.plantA, pads.locationId, null, -3],
      ['transfer_in', a.plantA, transit.id, null, 3],
      ['transfer_in', a.plantA, transit.id, rotors.lotId, 10],
    ]);
    const act = shipping.filter((e) => e.action === 'inventory_movement.transfer_ship');
    expect(act).toHaveLength(1);
    expect(act[0]).toMatchObject({ entityLabel: transfer.number, plantId: a.plantA });
    expect(await held(rotors.locationId)).toEqual([
      ['BRK-100', 'R-1', 10],
      ['PAD-1', null, 7],
    ]);

    // The first carton arrives whole, the second damaged: of its 4 rotors and 3 pads, 3 and 3 count.
    const [first, second] = [transfer.boxes[0]!, transfer.boxes[1]!];
    const receiving = await trail.during(async () =>
      expect(
        (
          await a.receiver.trpc.logistics.transfers.scan.mutate({
            transferOrderId: transfer.id,
            mode: 'receive',
            data: `(00)${first.sscc}`,
          })
        ).result,
      ).toBe('ok'),
    );
    const gr = await locationOf(a.plantB, 'GR');
    const arrived = `Received on ${transfer.number}`;
    expect(await movementsOf(arrived)).toEqual([
      ['transfer_out', a.plantA, transit.id, rotors.lotId, -6],
      ['transfer_in', a.plantB, gr.id, rotors.lotId, 6],
    ]);
    expect(receiving.filter((e) => e.action === 'inventory_movement.transfer_receive')).toMatchObject([
      { entityLabel: transfer.number, plantId: a.plantB },
    ]);
    const page = await a.receiver.trpc.logistics.transfers.get.query({ id: transfer.id });
    const item = (code: string) => page.items.find((i) => i.productCode === code)!.id;
    await a.receiver.trpc.logistics.transfers.receiveDamaged.mutate({
      transferOrderId: transfer.id,
      packageId: second.id,
      counts: [
        { itemId: item('BRK-100'), quantity: 3 },
        { itemId: item('PAD-1'), quantity: 3 },
      ],
    });
    const now = await a.receiver.trpc.logistics.transfers.get.query({ id: transfer.id });
    await a.receiver.trpc.logistics.transfers.finishReceiving.mutate({
      id: transfer.id,
      expectedVersion: now.version,
      lines: [{ itemId: item('BRK-100'), reason: 'damaged' }],
    });
    expect(await held(gr.id)).toEqual([
      ['BRK-100', 'R-1', 9],
      ['PAD-1', null, 3],
    ]);
    // The rotor that did not arrive whole is still in transit at the sending plant.
    expect(await held(transit.id)).toEqual([['BRK-100', 'R-1', 1]]);
  });

  it('refuses to ship short stock or a blocked lot, and writes nothing', async () => {
    const short = await stockProduct(admin, {
      plantId: a.plantA,
      productId: a.rotor,
      quantity: 3,
      lot: 'R-2',
    });
    const transfer = await packed([[{ productId: a.rotor, gtin: GTIN.rotor, quantity: 5, lot: 'R-2' }]]);
    const entries = await auditTrail(app.database.db, app.tenants.a).during(() =>
      expectApiError(
        ship(transfer),
        'BAD_REQUEST',
        `${transfer.number} cannot ship: not enough stock. Lot R-2 of BRK-100: 3 in stock at plant A1, 5 packed`,
      ),
    );
    expect(entries).toEqual([]);
    expect(await movementsOf(`Shipped on ${transfer.number}`)).toEqual([]);
    expect(await held(short.locationId, 'BRK-100')).toContainEqual(['BRK-100', 'R-2', 3]);
    const page = await a.sender.trpc.logistics.transfers.get.query({ id: transfer.id });
    expect(page.status).toBe('picking');
    expect(page.packages.map((p) => p.status)).not.toContain('shipped');

    await stockProduct(admin, { plantId: a.plantA, productId: a.rotor, quantity: 2, lot: 'R-2' });
    await admin.trpc.materials.lots.setStatus.mutate({
      id: short.lotId!,
      status: 'blocked',
      reason: 'Cracks',
    });
    await expectApiError(ship(transfer), 'BAD_REQUEST', 'Lot R-2 is blocked');
    expect(await movementsOf(`Shipped on ${transfer.number}`)).toEqual([]);
    await admin.trpc.materials.lots.setStatus.mutate({
      id: short.lotId!,
      status: 'released',
      reason: 'Checked',
    });
    expect((await ship(transfer)).status).toBe('in_transit');
  });

  it('takes the sending plant’s own stock only, and shows the tenant’s transfers to no other tenant', async () => {
    const atB = await stockProduct(admin, { plantId: a.plantB, productId: a.hub, quantity: 10 });
    const transfer = await packed([[{ productId: a.hub, gtin: GTIN.hub, quantity: 2 }]]);
    await expectApiError(ship(transfer), 'BAD_REQUEST', /HUB-1: 0 in stock at plant A1, 2 packed/);
    expect(await held(atB.locationId, 'HUB-1')).toEqual([['HUB-1', null, 10]]);
    // The receiving plant does not ship it, nor does another tenant reach it.
    await expectApiError(ship(transfer, a.receiver), 'FORBIDDEN');
    await expectApiError(
      app.adminB.trpc.logistics.transfers.get.query({ id: transfer.id }),
      'NOT_FOUND',
      'Transfer not found',
    );
    expect(await movementsOf(`Shipped on ${transfer.number}`)).toEqual([]);
  });

  it('ships and receives without movements from a plant that keeps no stock', async () => {
    const transfer = await packed([[{ productId: a.pad, gtin: GTIN.pad, quantity: 2 }]], admin, a.plantC);
    expect((await ship(transfer, admin)).status).toBe('in_transit');
    const scan = await a.receiver.trpc.logistics.transfers.scan.mutate({
      transferOrderId: transfer.id,
      mode: 'receive',
      data: `(00)${transfer.boxes[0]!.sscc}`,
    });
    expect(scan.result).toBe('ok');
    expect(await movementsOf(`Shipped on ${transfer.number}`)).toEqual([]);
    expect(await movementsOf(`Received on ${transfer.number}`)).toEqual([]);
    expect(await admin.trpc.materials.locations.list.query({ plantId: a.plantC })).toEqual([]);
  });
});
