import { tables } from '@plantline/schema';
import { and, eq, inArray } from 'drizzle-orm';
import type { Database, Sql } from '../../db/index.js';
import { createNcr, updateNcr } from '../ncrs/index.js';
import { type DemoDesk, type DemoPersonKey, demoPerson } from './demo-people.js';

/*
 * The demo's NCRs (docs/demo.md, "NCRs"): five reports of Riverside's lines as the plant's people
 * would write them, each pointing at its line, machine, product, defect code and order, so the NCR
 * list, a record page and the search box have something to show from the first start. The demo
 * people then take them through the default NCR workflow (docs/ncrs.md, "Workflow") as far as each
 * has got — one step at a time, with the same calls and electronic signatures as on the record's
 * page — so the workflow is seen in motion and every next step is someone's to take.
 */

/** The default NCR workflow's states the demo's NCRs stand in, in the workflow's order. */
const STAGES = ['draft', 'submitted', 'under_review', 'disposition', 'closed'] as const;
export type DemoNcrStage = (typeof STAGES)[number];

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
  /** Who raised it: its workflow's initiator, who may not approve its disposition. */
  raisedBy: DemoPersonKey;
  /** The state the demo leaves it in. */
  stage: DemoNcrStage;
  /** What the review found, for those taken to the disposition; `approvers` vote in this order. */
  review?: {
    rootCause: string;
    disposition: tables.NcrDisposition;
    approvers: readonly { who: DemoPersonKey; comment: string }[];
    /** The verification that closes it (stage `closed`). */
    closing?: string;
  };
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
    raisedBy: 'quality2',
    stage: 'under_review',
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
    raisedBy: 'operator',
    stage: 'closed',
    review: {
      rootCause:
        'A bent seal magazine jammed the feeder at M4; after each jam the press cycled once without a ' +
        'seal, and M4 has no seal-present check to stop it.',
      disposition: 'rework',
      approvers: [
        { who: 'quality2', comment: 'Rework as proposed: fit the seals, then leak-test each caliper again.' },
        {
          who: 'quality3',
          comment: 'Agreed; the re-check of the shift found no other caliper without a seal.',
        },
      ],
      closing: 'Seals fitted to the six calipers; all six passed the leak test at M5 again.',
    },
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
    raisedBy: 'supervisor',
    stage: 'submitted',
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
    raisedBy: 'operator',
    stage: 'disposition',
    review: {
      rootCause:
        'The rig’s pressure sensor was calibrated with a wrong offset and reads 0.3 bar low, so good ' +
        'pumps miss the flow limit. The lab re-test put all eleven within their limits.',
      disposition: 'use_as_is',
      // One of the two Quality approvals; the second, and Engineering's for use as is, are still open.
      approvers: [{ who: 'quality3', comment: 'All eleven passed the lab re-test: use as is.' }],
    },
  },
  {
    line: 'L1',
    machine: 'M3',
    product: 'BRK-100',
    defect: 'SCRATCH',
    title: 'Scored piston bores after the piston press',
    lot: 'L1-BRK100-0415',
    quantityAffected: 3,
    description:
      'Three BRK-100 calipers show axial score marks in the piston bore after pressing, found at the ' +
      'visual check before the leak test.',
    containment: 'The three calipers set aside at M3; the press ram guide is being checked for chips.',
    raisedBy: 'operator',
    stage: 'draft',
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
  const users = await tx.select({ id: tables.users.id, email: tables.users.email }).from(tables.users);
  const idOf = (list: { id: string; code: string }[], code: string) =>
    list.find((r) => r.code === code)?.id ?? null;
  return {
    line: (code: string) => idOf(lines, code),
    machine: (lineId: string | null, code: string) =>
      machines.find((m) => m.lineId === lineId && m.code === code)?.id ?? null,
    product: (code: string) => idOf(products, code),
    defect: (code: string) => idOf(defects, code),
    user: (email: string) => users.find((u) => u.email === email)?.id ?? null,
    /** The order that made the product on the line: the running one, else the one completed. */
    order: (lineId: string | null, productId: string | null) => {
      const ofLine = made.filter((m) => m.lineId === lineId && m.productId === productId);
      return (ofLine.find((m) => m.status === 'in_progress') ?? ofLine[0])?.id ?? null;
    },
  };
}

/**
 * Raises the demo NCRs on the plant, each by its raiser and owned by the quality lead, then takes each
 * through the workflow to its stage. Returns their numbers, in the order raised.
 */
export async function seedDemoNcrs(
  db: Database,
  desk: DemoDesk,
  demo: { tenantId: string; plantId: string },
) {
  const lead = demoPerson('qualityLead').email;
  const refs = await db.ownerTransact({ tenantId: demo.tenantId, plantIds: 'all' }, (tx) =>
    demoReferences(tx, demo.plantId),
  );
  const ownerId = refs.user(lead);
  const raised: { id: string; number: string; ncr: DemoNcr }[] = [];
  for (const ncr of DEMO_NCRS) {
    const lineId = refs.line(ncr.line);
    const productId = refs.product(ncr.product);
    const created = await desk.as(demoPerson(ncr.raisedBy).email, (ctx) =>
      createNcr(ctx, {
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
        ownerId,
      }),
    );
    raised.push({ id: created.id, number: created.number, ncr });
  }
  for (const { id, ncr } of raised) await walk(desk, id, ncr);
  return raised.map((r) => r.number);
}

/** One NCR from its draft to its stage, each step by whoever takes it in a plant. */
async function walk(desk: DemoDesk, id: string, ncr: DemoNcr) {
  const record = { entityType: 'ncr', entityId: id };
  const reached = (stage: DemoNcrStage) => STAGES.indexOf(ncr.stage) >= STAGES.indexOf(stage);
  const lead = demoPerson('qualityLead').email;
  if (!reached('submitted')) return;
  await desk.act(demoPerson(ncr.raisedBy).email, record, { transition: 'submit' });
  if (!reached('under_review')) return;
  await desk.act(lead, record, { transition: 'start_review' });
  const review = ncr.review;
  if (!reached('disposition') || review === undefined) return;
  // The disposition state needs a root cause and a disposition, and holds the disposition read-only.
  await desk.as(lead, async (ctx) => {
    const [current] = await ctx.tx
      .select({ version: tables.ncrs.version })
      .from(tables.ncrs)
      .where(eq(tables.ncrs.id, id));
    await updateNcr(ctx, {
      id,
      expectedVersion: current?.version ?? 0,
      patch: { rootCause: review.rootCause, disposition: review.disposition },
    });
  });
  await desk.act(lead, record, { transition: 'propose_disposition' });
  for (const approver of review.approvers)
    await desk.act(demoPerson(approver.who).email, record, {
      transition: 'approve_disposition',
      decision: 'approve',
      comment: approver.comment,
      signed: true,
    });
  if (!reached('closed') || review.closing === undefined) return;
  await desk.act(lead, record, { transition: 'close', comment: review.closing });
}
