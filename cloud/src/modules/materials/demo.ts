import { DEMO_PLANTS, tables } from '@plantline/schema';
import { asc, eq } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import type { Principal } from '../../platform/index.js';
import { createMaterial, createUnit } from './catalogue.js';
import { seedDemoBoms } from './demo-boms.js';
import { createLocation } from './locations.js';
import { createLot } from './lots.js';
import { recordMovement } from './movements.js';

/*
 * The demo's materials (docs/demo.md): a few raw materials and packaging, the first demo plant's
 * stores, and lots received into them over the last days with some already issued to the line — small
 * and the same on every seed, apart from being dated relative to the day it runs. Then the BOMs and
 * what the demo's orders consumed and made (demo-boms.ts).
 */

const RAW: readonly {
  code: string;
  name: string;
  kind: tables.MaterialKind;
  baseUnit: string;
  lotTracked: boolean;
  shelfLifeDays?: number;
  /** So a supplier's GS1 label can be received by scanning (docs/materials.md, "Receiving by scanning"). */
  gtin?: string;
}[] = [
  {
    code: 'RM-CAST-IRON',
    name: 'Grey cast iron EN-GJL-250',
    kind: 'raw',
    baseUnit: 'kg',
    lotTracked: true,
    gtin: '09521234000013',
  },
  {
    code: 'RM-FRICTION',
    name: 'Friction compound',
    kind: 'raw',
    baseUnit: 'kg',
    lotTracked: true,
    shelfLifeDays: 180,
    gtin: '09521234000020',
  },
  { code: 'RM-BOLT-M8', name: 'Bolt M8×25', kind: 'raw', baseUnit: 'pcs', lotTracked: false },
  { code: 'PK-CARTON-S', name: 'Carton, small', kind: 'packaging', baseUnit: 'pcs', lotTracked: false },
];

const LOCATIONS = [
  { code: 'RM', name: 'Raw material store', kind: 'warehouse' },
  { code: 'RM-01', name: 'Rack 1', kind: 'bin', parent: 'RM' },
  { code: 'RM-02', name: 'Rack 2', kind: 'bin', parent: 'RM' },
  { code: 'GR', name: 'Goods receiving', kind: 'receiving' },
  { code: 'LINE-SIDE', name: 'Line side', kind: 'production', allowNegative: true },
  { code: 'FG', name: 'Finished goods', kind: 'warehouse' },
] as const;

/** Lots received `daysAgo` days back at 07:00 UTC into a bin; some issued to the line a day later. */
const RECEIPTS = [
  {
    material: 'RM-CAST-IRON',
    lot: 'CI-2401',
    supplier: 'Eisenguss Nord',
    supplierLot: 'EN-88412',
    quantity: 2400,
    bin: 'RM-01',
    daysAgo: 6,
    issued: 900,
  },
  {
    material: 'RM-CAST-IRON',
    lot: 'CI-2402',
    supplier: 'Eisenguss Nord',
    supplierLot: 'EN-88530',
    quantity: 2400,
    bin: 'RM-01',
    daysAgo: 2,
    issued: 0,
  },
  {
    material: 'RM-FRICTION',
    lot: 'FC-0117',
    supplier: 'Tribotec',
    supplierLot: 'TT-5521',
    quantity: 500,
    bin: 'RM-02',
    daysAgo: 5,
    issued: 120,
  },
  {
    material: 'RM-BOLT-M8',
    lot: null,
    supplier: null,
    supplierLot: null,
    quantity: 20000,
    bin: 'RM-02',
    daysAgo: 4,
    issued: 4000,
  },
  {
    material: 'PK-CARTON-S',
    lot: null,
    supplier: null,
    supplierLot: null,
    quantity: 1500,
    bin: 'RM-02',
    daysAgo: 3,
    issued: 0,
  },
] as const;

const DAY = 86_400_000;

async function firstLineOf(tx: Sql, plantId: string): Promise<string | null> {
  const [line] = await tx
    .select({ id: tables.lines.id })
    .from(tables.lines)
    .where(eq(tables.lines.plantId, plantId))
    .orderBy(asc(tables.lines.code))
    .limit(1);
  return line?.id ?? null;
}

export async function seedDemoMaterials(tx: Sql, admin: Principal, plantIds: readonly string[]) {
  const plantId = plantIds[0];
  if (plantId === undefined || DEMO_PLANTS.length === 0) return;
  await createUnit(tx, admin.tenantId, { code: 'kg', name: 'Kilogram', dimension: 'mass' });
  const materials = new Map<string, string>();
  for (const raw of RAW) materials.set(raw.code, (await createMaterial(tx, admin.tenantId, raw)).id);
  const locations = new Map<string, string>();
  for (const spec of LOCATIONS) {
    const parentId = 'parent' in spec ? locations.get(spec.parent) : undefined;
    const location = await createLocation(tx, admin, {
      plantId,
      parentId,
      code: spec.code,
      name: spec.name,
      kind: spec.kind,
      allowNegative: 'allowNegative' in spec ? spec.allowNegative : false,
      // The line side of the plant's first line: its machines' consume scans take lots from here.
      lineId: spec.code === 'LINE-SIDE' ? await firstLineOf(tx, plantId) : null,
    });
    locations.set(spec.code, location.id);
  }
  const today = Math.floor(Date.now() / DAY) * DAY;
  const call = { tx, principal: admin };
  const lots = new Map<string, string>();
  for (const receipt of RECEIPTS) {
    const materialId = materials.get(receipt.material)!;
    const received = new Date(today - receipt.daysAgo * DAY + 7 * 3_600_000);
    const lotId =
      receipt.lot === null
        ? null
        : (
            await createLot(tx, admin, {
              plantId,
              materialId,
              lotCode: receipt.lot,
              supplier: receipt.supplier,
              supplierLot: receipt.supplierLot,
              producedAt: received,
            })
          ).id;
    if (receipt.lot !== null && lotId !== null) lots.set(receipt.lot, lotId);
    const stock = { materialId, lotId, locationId: locations.get(receipt.bin)! };
    await recordMovement(call, { ...stock, kind: 'receipt', quantity: receipt.quantity, time: received });
    if (receipt.issued > 0)
      await recordMovement(call, {
        ...stock,
        kind: 'issue',
        quantity: receipt.issued,
        time: new Date(received.getTime() + DAY),
        note: 'Issued to the line',
      });
  }
  await seedDemoBoms(tx, admin, plantId, { materials, locations, lots });
}
