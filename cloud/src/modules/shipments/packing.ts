import type { tables } from '@plantline/schema';
import { parseGs1 } from '@plantline/schema/gs1';
import { DomainError, notFound } from '../../platform/index.js';
import {
  knownSsccs,
  type PackageAtScan,
  packagesById,
  packagesOfShipments,
  packedScanEvents,
  packedSerials,
} from './packing-reads.js';
import {
  answerScan,
  type PackingAnswer,
  type PackingItem,
  type PackingPackage,
  type PackingTask,
  packageName,
  type ScanContent,
  scanContent,
  serialKey,
} from './packing-rules.js';
import {
  type AnsweredScan,
  followPacking,
  type PackingScan,
  type PackingStation,
  writeScans,
} from './packing-writes.js';
import { checkStation } from './references.js';
import {
  itemsOfShipments,
  lockShipmentsForPacking,
  type PackingShipment,
  type ShipmentItem,
} from './shipment-queries.js';
import { plantDate } from './shipment-rules.js';
import { announce, refuseUnless, type ShipmentCall } from './shipments.js';

export type { PackingScan, PackingStation } from './packing-writes.js';

/*
 * Packing by scanning (docs/logistics.md, "Packing by scanning"): a scan at a station is answered by
 * the pure rules (packing-rules.ts) and what the answer says is written in the same transaction — the
 * packing, the item's packed quantity, a carton put on a pallet — together with the scan itself,
 * refused ones included. The shipments are locked first, so two stations scanning into one shipment
 * take turns and never pack more than an item asks for; its status follows the packing.
 *
 * A plant's scanners reach here in batches from the edge: every station's run of scans in the batch
 * is packed at once, reading what the shipments hold a statement per kind and writing the same way,
 * so a batch costs about ten statements however many stations scanned (docs/benchmarks.md, "scan").
 */

/** Where a scan came from: the station page in a browser, or a plant scanner's event through the edge. */
export type ScanSource = { source: 'browser' } | { source: 'edge'; scanEventId: string };

export type PackingScanInput = {
  shipmentId: string;
  /** The open pallet or carton the station packs into. */
  packageId: string;
  /** What the scanner sent, as received. */
  data: string;
  stationId?: string | null | undefined;
  /**
   * When it was scanned: now unless given. Not offered by the API; the demo packs its past shipments
   * on the days they were packed (docs/demo.md, "Shipments").
   */
  at?: Date | undefined;
} & ScanSource;

export interface PackingOutcome {
  scanId: string;
  result: tables.ScanResult;
  message: string;
  /** On a packed scan, what the operator should still look at (a best-before already passed). */
  warning: string | null;
  /** The shipment's status after the scan. */
  status: tables.ShipmentStatus;
  version: number;
  /** The item the scan packed into, with its progress. */
  item: { id: string; productCode: string; quantity: number; packedQuantity: number } | null;
}

/** A station's run of scans, in the order scanned. */
export interface PackingRun {
  station: PackingStation;
  scans: readonly PackingScan[];
}

/** A run's outcomes, scan by scan; or why the whole run was refused (a closed package, a shipped shipment). */
export type PackingRunOutcome = { outcomes: PackingOutcome[] } | { refused: DomainError };

/** Validates a scan against the shipment, records it, and packs what it names when the answer is ok. */
export async function recordPackingScan(
  call: ShipmentCall,
  input: PackingScanInput,
): Promise<PackingOutcome> {
  const scanEventId = input.source === 'edge' ? input.scanEventId : null;
  const [run] = await recordPackingRuns(call, [
    { station: input, scans: [{ data: input.data, scanEventId, at: input.at }] },
  ]);
  if ('refused' in run!) throw run.refused;
  return run!.outcomes[0]!;
}

/**
 * Runs of scans, each at its station, answered in order as if scanned one by one: each answer sees
 * the scans before it (their packing, their serials, a carton nested), those of other stations
 * packing the same shipment included. A run refused as a whole writes nothing and leaves the others.
 */
export async function recordPackingRuns(
  call: ShipmentCall,
  runs: readonly PackingRun[],
): Promise<PackingRunOutcome[]> {
  const { tx } = call;
  const shipments = await lockShipmentsForPacking(
    tx,
    runs.map((r) => r.station.shipmentId),
  );
  const targets = await packagesById(
    tx,
    runs.map((r) => r.station.packageId),
  );
  const checked: (CheckedRun | { refused: DomainError })[] = [];
  for (const run of runs) checked.push(await checkRun(call, run, shipments, targets));
  const open = checked.flatMap((c) => ('refused' in c ? [] : [c]));
  const tasks = await packingTasks(call, open);
  const answered = open.map(({ scans, ...run }) =>
    scans.map(({ content: _content, ...scan }) => {
      const task = tasks.get(run.shipment.id)!;
      const answer = answerScan(
        scan.parsed,
        { ...task, target: run.target },
        { now: scan.now, scanEventId: scan.scanEventId },
      );
      follow(task, run.target, answer, scan.scanEventId);
      const entry: AnsweredScan = { ...run, scan, answer, packedTo: null, scanId: null };
      return entry;
    }),
  );
  const all = answered.flat();
  const items = [...tasks.values()].flatMap((t) => t.before);
  const packed = await writeScans(call, items, all);
  const moved = new Map<string, PackingShipment>();
  for (const { shipment, before } of tasks.values()) {
    const after = before.map((i) => ({ ...i, packedQuantity: packed.get(i.id) ?? i.packedQuantity }));
    moved.set(shipment.id, await followPacking(call, shipment, before, after));
    announce(call, shipment);
  }
  let next = 0;
  return checked.map((run) => {
    if ('refused' in run) return run;
    return { outcomes: answered[next++]!.map((entry) => outcomeOf(entry, moved.get(entry.shipment.id)!)) };
  });
}

/** A run that may pack, its scans read. */
interface CheckedRun {
  station: PackingStation;
  scans: (AnsweredScan['scan'] & { content: ScanContent })[];
  shipment: PackingShipment;
  target: PackingPackage;
}

/** The run's shipment may be packed and its package is an open one of it; else the run is refused. */
async function checkRun(
  call: ShipmentCall,
  run: PackingRun,
  shipments: ReadonlyMap<string, PackingShipment>,
  targets: ReadonlyMap<string, PackageAtScan>,
): Promise<CheckedRun | { refused: DomainError }> {
  try {
    const shipment = shipments.get(run.station.shipmentId);
    if (shipment === undefined) throw notFound('Shipment');
    refuseUnless(shipment, 'pack');
    const { shipmentId, ...target } = openTarget(targets.get(run.station.packageId), shipment);
    // A plant scanner's station is its task's, checked against the shipment's plant when assigned.
    if (run.station.stationId != null && run.station.source === 'browser')
      await checkStation(call.tx, run.station.stationId, shipment.plantId);
    const scans = run.scans.map((scan) => {
      const now = scan.at ?? new Date();
      const parsed = parseGs1(scan.data, { now });
      return { ...scan, now, parsed, content: scanContent(parsed, now) };
    });
    return { station: run.station, scans, shipment, target };
  } catch (error) {
    if (error instanceof DomainError) return { refused: error };
    throw error;
  }
}

/** The package scanned into: an open one of this shipment. */
function openTarget(target: PackageAtScan | undefined, shipment: PackingShipment): PackageAtScan {
  if (target === undefined)
    throw new DomainError('not_found', 'Package not found', { packageId: 'Not found' });
  if (target.shipmentId !== shipment.id)
    throw new DomainError('invalid', `The package is not one of ${shipment.number}`, {
      packageId: 'Another shipment’s',
    });
  if (target.status !== 'open')
    throw new DomainError('conflict', `${packageName(target)} is closed: open a new one to pack into`, {
      packageId: 'Closed',
    });
  return target;
}

/** What a shipment holds as its runs' answers see it, changed by each answer in turn. */
type ShipmentTask = Omit<
  PackingTask,
  'target' | 'items' | 'packages' | 'packedSerials' | 'usedScanEventIds'
> & {
  packedSerials: Set<string>;
  usedScanEventIds: Set<string>;
  shipment: PackingShipment;
  before: ShipmentItem[];
  items: PackingItem[];
  packages: PackingPackage[];
};

/** Each packed shipment's items, packages, and the serials and events already packed: a statement each. */
async function packingTasks(call: ShipmentCall, runs: readonly CheckedRun[]) {
  const { tx } = call;
  const shipments = [...new Map(runs.map((r) => [r.shipment.id, r.shipment])).values()];
  const contents = runs.flatMap((r) => r.scans.map((scan) => scan.content));
  const items = await itemsOfShipments(tx, shipments);
  const ssccs = contents.flatMap((c) => (c.sscc === null ? [] : [c.sscc]));
  // The shipments' other packages matter only to scans of an SSCC (00); product scans skip them.
  const packages =
    ssccs.length === 0 ? new Map<string, PackingPackage[]>() : await packagesOfShipments(tx, shipments);
  const foreignSsccs = await knownSsccs(tx, ssccs);
  const serials = await packedSerials(
    tx,
    contents.flatMap((c) => (c.serial === null ? [] : [c.serial])),
    [...items.values()].flatMap((list) => list.map((i) => i.productId)),
  );
  const usedScanEventIds = await packedScanEvents(
    tx,
    runs.flatMap((r) => r.scans.flatMap((scan) => (scan.scanEventId === null ? [] : [scan.scanEventId]))),
  );
  const targetsOf = (shipmentId: string) =>
    runs.filter((r) => r.shipment.id === shipmentId).map((r) => r.target);
  return new Map(
    shipments.map((shipment): [string, ShipmentTask] => {
      const before = items.get(shipment.id) ?? [];
      return [
        shipment.id,
        {
          shipment,
          before,
          shipDate: shipment.plannedShipDate ?? plantDate(new Date(), shipment.plantTimezone),
          items: before.map(packingItem),
          packages: packages.get(shipment.id) ?? targetsOf(shipment.id),
          foreignSsccs,
          packedSerials: serials,
          usedScanEventIds,
        },
      ];
    }),
  );
}

/** What an answer changes, the next scan's answer sees. */
function follow(
  task: ShipmentTask,
  target: PackingPackage,
  answer: PackingAnswer,
  scanEventId: string | null,
) {
  if (answer.result !== 'ok') return;
  if (answer.action === 'nest') {
    const child = task.packages.find((p) => p.id === answer.child.id);
    if (child !== undefined) child.parentId = target.id;
    return;
  }
  const item = task.items.find((i) => i.id === answer.item.id)!;
  item.packed += answer.content.quantity;
  if (answer.content.serial !== null)
    task.packedSerials.add(serialKey(answer.item.productId, answer.content.serial));
  if (scanEventId !== null) task.usedScanEventIds.add(scanEventId);
}

function outcomeOf(entry: AnsweredScan, moved: PackingShipment): PackingOutcome {
  const { answer } = entry;
  const packed = answer.result === 'ok' && answer.action === 'pack' ? answer : null;
  return {
    scanId: entry.scanId!,
    result: answer.result,
    message: answer.message,
    warning: packed?.warning ?? null,
    status: moved.status,
    version: moved.version,
    item:
      packed === null || entry.packedTo === null
        ? null
        : {
            id: packed.item.id,
            productCode: packed.item.productCode,
            quantity: packed.item.quantity,
            packedQuantity: entry.packedTo,
          },
  };
}

const packingItem = (i: ShipmentItem): PackingItem => ({
  id: i.id,
  productId: i.productId,
  productCode: i.productCode,
  gtin: i.gtin,
  lot: i.lot,
  quantity: i.quantity,
  packed: i.packedQuantity,
});
