import { allPermissions, tables } from '@plantline/schema';
import { and, eq, inArray } from 'drizzle-orm';
import type { Database, Sql } from '../../db/index.js';
import type { Principal } from '../../platform/index.js';
import { createNcr, type NcrCall } from '../ncrs/index.js';

/*
 * The demo's NCRs (docs/demo.md, "NCRs"): four reports of Riverside's lines as a quality engineer
 * would write them, so the NCR list, a record page and the search box have something to show from
 * the first start. They are raised as drafts; their workflow starts with them when the tenant has
 * one (docs/ncrs.md).
 */

interface DemoNcr {
  line: string;
  machine: string;
  product: string;
  defect: string;
  title: string;
  lot: string;
  quantityAffected: number;
  description: string;
  containment: string;
}

export const DEMO_NCRS: readonly DemoNcr[] = [
  {
    line: 'L1',
    machine: 'M2',
    product: 'BRK-100',
    defect: 'DIM_OOT',
    title: 'Bore diameter above tolerance on BRK-100 calipers',
    lot: 'L1-BRK100-0412',
    quantityAffected: 24,
    description:
      'Final inspection measured bore diameters of 42.031–42.047 mm (limit 42.025 mm) on 24 of 60 ' +
      'calipers from the bore machining cell. The drift started after the last tool change.',
    containment: 'Lot held in quarantine cage Q2; 100 % bore gauge check of the work in progress on L1.',
  },
  {
    line: 'L1',
    machine: 'M4',
    product: 'BRK-200',
    defect: 'MISSING_PART',
    title: 'Piston seal missing after seal fitting',
    lot: 'L1-BRK200-0398',
    quantityAffected: 6,
    description:
      'The leak test at M5 rejected six BRK-200 calipers; each had no piston seal. The seal ' +
      'feeder at M4 jammed twice during the late shift.',
    containment: 'Rejected calipers tagged red; the shift’s output of M4 re-checked before packing.',
  },
  {
    line: 'L2',
    machine: 'M1',
    product: 'HSG-310',
    defect: 'POROSITY',
    title: 'Porosity in pump housing castings of supplier lot SUP-2291',
    lot: 'SUP-2291',
    quantityAffected: 40,
    description:
      'Milling opened gas pores up to 1.5 mm in the sealing face of HSG-310 housings. All affected ' +
      'castings come from supplier lot SUP-2291.',
    containment:
      'Supplier lot SUP-2291 blocked in stock; the supplier is informed and asked for a 8D report.',
  },
  {
    line: 'L2',
    machine: 'M5',
    product: 'BRK-200',
    defect: 'DIM_OOT',
    title: 'End-of-line test rejects pumps that pass on re-test',
    lot: 'L2-BRK200-0377',
    quantityAffected: 11,
    description:
      'The end-of-line rig failed eleven units for flow; all eleven passed on the lab rig. The ' +
      'rig’s pressure sensor reads 0.3 bar low since its last calibration.',
    containment: 'Units held at the rig until the lab confirms each one.',
  },
];

/** Ids by code of what the demo NCRs name, on one plant. */
async function demoReferences(tx: Sql, plantId: string) {
  const lines = await tx
    .select({ id: tables.lines.id, code: tables.lines.code })
    .from(tables.lines)
    .where(eq(tables.lines.plantId, plantId));
  const machines = await tx
    .select({ id: tables.machines.id, code: tables.machines.code, lineId: tables.machines.lineId })
    .from(tables.machines)
    .where(eq(tables.machines.plantId, plantId));
  const products = await tx
    .select({ id: tables.products.id, code: tables.products.code })
    .from(tables.products);
  const defects = await tx
    .select({ id: tables.defectCodes.id, code: tables.defectCodes.code })
    .from(tables.defectCodes);
  const o = tables.productionOrders;
  const made = await tx
    .select({ id: o.id, lineId: o.lineId, productId: o.productId, status: o.status })
    .from(o)
    .where(and(eq(o.plantId, plantId), inArray(o.status, ['in_progress', 'completed'])));
  const idOf = (list: { id: string; code: string }[], code: string) =>
    list.find((r) => r.code === code)?.id ?? null;
  return {
    line: (code: string) => idOf(lines, code),
    machine: (lineId: string | null, code: string) =>
      machines.find((m) => m.lineId === lineId && m.code === code)?.id ?? null,
    product: (code: string) => idOf(products, code),
    defect: (code: string) => idOf(defects, code),
    /** The order that made the product on the line: the running one, else the one completed. */
    order: (lineId: string | null, productId: string | null) => {
      const ofLine = made.filter((m) => m.lineId === lineId && m.productId === productId);
      return (ofLine.find((m) => m.status === 'in_progress') ?? ofLine[0])?.id ?? null;
    },
  };
}

/**
 * Raises the demo NCRs on the plant in the administrator's name, who also owns them. `deps` are the
 * app's parts the NCRs' workflow needs (a procedure's `ctx.deps`).
 */
export async function seedDemoNcrs(
  db: Database,
  deps: NcrCall['deps'],
  demo: { tenantId: string; adminUserId: string; plantId: string },
): Promise<string[]> {
  const principal: Principal = {
    kind: 'user',
    tenantId: demo.tenantId,
    userId: demo.adminUserId,
    apiKeyId: null,
    sessionId: null,
    permissions: new Set(allPermissions),
    plantIds: 'all',
  };
  const effects: (() => void)[] = [];
  const numbers = await db.ownerTransact(
    { tenantId: demo.tenantId, plantIds: 'all', userId: demo.adminUserId },
    async (tx) => {
      const call: NcrCall = { tx, principal, afterCommit: (effect) => effects.push(effect), deps };
      const refs = await demoReferences(tx, demo.plantId);
      const raised: string[] = [];
      for (const ncr of DEMO_NCRS) {
        const lineId = refs.line(ncr.line);
        const productId = refs.product(ncr.product);
        const created = await createNcr(call, {
          plantId: demo.plantId,
          title: ncr.title,
          lineId,
          machineId: refs.machine(lineId, ncr.machine),
          productId,
          productionOrderId: refs.order(lineId, productId),
          defectCodeId: refs.defect(ncr.defect),
          lot: ncr.lot,
          quantityAffected: ncr.quantityAffected,
          description: ncr.description,
          containment: ncr.containment,
          ownerId: demo.adminUserId,
        });
        raised.push(created.number);
      }
      return raised;
    },
  );
  for (const effect of effects) effect();
  return numbers;
}
