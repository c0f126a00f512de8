import type { StationAnswer } from '@plantline/schema';
import { sql } from 'drizzle-orm';
import { rows, type Sql } from '../../db/index.js';
import { canSeePlant, DomainError } from '../../platform/index.js';
import { recordPackingRuns } from './packing.js';
import type { ShipmentCall } from './shipments.js';

/*
 * Plant scanners drive the work at their station (docs/logistics.md, "Scanning at a station"). The
 * ingest call hands over the scan events it stored; each whose station has a task is checked against
 * it, in the ingest's transaction, and answered: the edge publishes the answer to the scanner once
 * the reply — and so the commit — is back. The task's target decides who answers: shipments here,
 * transfers through the handler their module registers (StationScanHandlers.register). An event sent
 * again is answered with what was recorded the first time, never packed twice.
 */

/** A scan event as ingest stored it, at the station that scanned. */
export interface StationScan {
  /** The event id the edge gave the scan. */
  eventId: string;
  plantId: string;
  /** The station's code: the payload's `station`, else the topic's machine. */
  station: string;
  /** What the scanner read. */
  data: string;
  /** False for an event stored before (a resend): answered from its record. */
  fresh: boolean;
}

/** The task of the station that scanned, as the handler gets it. */
export interface StationTaskAtScan {
  taskId: string;
  stationId: string;
  stationCode: string;
  plantId: string;
  mode: 'pack' | 'receive';
  shipmentId: string | null;
  transferOrderId: string | null;
  packageId: string | null;
  /** The shipment's or transfer's number. */
  number: string;
}

export type StationTargetKind = 'shipment' | 'transfer';

/** A station's scans of one ingest call, in the order scanned, with the station's task. */
export interface StationRun {
  task: StationTaskAtScan;
  scans: readonly StationScan[];
}

/**
 * Answers the runs of every station whose task targets the handler's kind, one answer per scan in
 * the order scanned, recording what it does in the call's transaction; all in one call, so a handler
 * can read and write for all the stations at once. A run refused as a whole (a closed package) is
 * answered `refusedRun`. A DomainError it throws before writing anything answers every scan of every
 * run; any other error fails the whole ingest call, which the edge retries.
 */
export type StationScanHandler = (
  call: ShipmentCall,
  runs: readonly StationRun[],
) => Promise<StationAnswer[][]>;

/** A handler for one scan at a time: each scan alone, a refusal its own answer. */
export type OneScanHandler = (
  call: ShipmentCall,
  task: StationTaskAtScan,
  scan: StationScan,
) => Promise<StationAnswer>;

export const oneScanAtATime =
  (handler: OneScanHandler): StationScanHandler =>
  async (call, runs) => {
    const answers: StationAnswer[][] = [];
    for (const { task, scans } of runs) {
      const run: StationAnswer[] = [];
      for (const scan of scans)
        run.push(
          await handler(call, task, scan).catch((error: unknown) => {
            if (!(error instanceof DomainError)) throw error;
            return refusedAnswer(task, error);
          }),
        );
      answers.push(run);
    }
    return answers;
  };

/** The answer to each scan of a run its task refused as a whole: the refusal's sentence. */
export const refusedRun = (run: StationRun, error: DomainError): StationAnswer[] =>
  run.scans.map(() => refusedAnswer(run.task, error));

const refusedAnswer = (task: StationTaskAtScan, error: DomainError): StationAnswer => ({
  ...noTaskAnswer(task.stationCode, error.message),
  shipment: task.number,
});

/**
 * Who answers scans at stations, by what their task targets. Built once per app (build-app-deps.ts)
 * with the shipments' handler; another module adds its own kind with `register`.
 */
export class StationScanHandlers {
  readonly #byKind = new Map<StationTargetKind, StationScanHandler>();

  register(kind: StationTargetKind, handler: StationScanHandler): this {
    if (this.#byKind.has(kind)) throw new Error(`station scans of ${kind} tasks already have a handler`);
    this.#byKind.set(kind, handler);
    return this;
  }

  handlerFor(kind: StationTargetKind): StationScanHandler | undefined {
    return this.#byKind.get(kind);
  }
}

/** The shipments' handler: every station's run goes through the same packing as the station page's. */
const packAtStations: StationScanHandler = async (call, runs) => {
  const packed = await recordPackingRuns(
    call,
    runs.map(({ task, scans }) => ({
      station: {
        shipmentId: task.shipmentId!,
        packageId: task.packageId!,
        stationId: task.stationId,
        source: 'edge',
      },
      scans: scans.map((scan) => ({ data: scan.data, scanEventId: scan.eventId })),
    })),
  );
  return packed.map((run, n) => {
    const { task } = runs[n]!;
    if ('refused' in run) return refusedRun(runs[n]!, run.refused);
    return run.outcomes.map((outcome) => ({
      result: outcome.result,
      message: outcome.message,
      station: task.stationCode,
      shipment: task.number,
      item:
        outcome.item === null
          ? null
          : {
              productCode: outcome.item.productCode,
              packed: outcome.item.packedQuantity,
              quantity: outcome.item.quantity,
            },
    }));
  });
};

/** The registry every app starts with: shipments answer their own stations' scans. */
export const stationScanHandlers = () => new StationScanHandlers().register('shipment', packAtStations);

export const TRANSFERS_NOT_AVAILABLE = 'Transfer scanning at stations is not available on this server yet';

export const noTaskAnswer = (
  station: string,
  message = `Station ${station} has no open task`,
): StationAnswer => ({
  result: 'no_task',
  message,
  station,
  shipment: null,
  item: null,
});

/**
 * The answer to each scan at a known station, by the scan's position in `scans`. Scans at a code that
 * is no station of their plant get none (they are machine scans, stored only); a station without a
 * task answers `no_task`. In input order, so one station's scans are packed in the order scanned.
 */
export async function answerStationScans(
  call: ShipmentCall,
  handlers: StationScanHandlers,
  scans: readonly StationScan[],
): Promise<Map<number, StationAnswer>> {
  const answers = new Map<number, StationAnswer>();
  if (scans.length === 0) return answers;
  const stations = await stationsOf(call.tx, scans);
  const resent: { index: number; eventId: string; stationId: string }[] = [];
  // Each station's fresh scans form one run, in the order scanned (a Map keeps first-seen order).
  const runs = new Map<string, { station: StationAtScan; positions: number[]; scans: StationScan[] }>();
  for (const [index, scan] of scans.entries()) {
    const station = stations.get(stationKey(scan.plantId, scan.station));
    // Row-level security already hides other plants' stations; the caller's plants are checked too.
    if (station === undefined || !canSeePlant(call.principal, station.plantId)) continue;
    if (!scan.fresh) {
      resent.push({ index, eventId: scan.eventId, stationId: station.id });
      continue;
    }
    const run = runs.get(station.id) ?? { station, positions: [], scans: [] };
    run.positions.push(index);
    run.scans.push(scan);
    runs.set(station.id, run);
  }
  const answered = await dispatchStationScans(call, handlers, [...runs.values()]);
  for (const [n, { positions }] of [...runs.values()].entries())
    for (const [k, position] of positions.entries()) answers.set(position, answered[n]![k]!);
  if (resent.length > 0) {
    const recorded = await recordedAnswers(call.tx, resent);
    for (const { index, eventId } of resent) {
      const answer = recorded.get(eventId);
      if (answer !== undefined) answers.set(index, answer);
    }
  }
  return answers;
}

/** The one place stations' scans are routed by their task's target: each kind's runs in one call. */
export async function dispatchStationScans(
  call: ShipmentCall,
  handlers: StationScanHandlers,
  runs: readonly { station: StationAtScan; scans: readonly StationScan[] }[],
): Promise<StationAnswer[][]> {
  const answers: StationAnswer[][] = runs.map(({ station, scans }) =>
    scans.map(() => noTaskAnswer(station.code)),
  );
  const byKind = new Map<StationTargetKind, { at: number; run: StationRun }[]>();
  for (const [at, { station, scans }] of runs.entries()) {
    if (station.task === null) continue;
    const kind: StationTargetKind = station.task.shipmentId !== null ? 'shipment' : 'transfer';
    byKind.set(kind, [...(byKind.get(kind) ?? []), { at, run: { task: station.task, scans } }]);
  }
  for (const [kind, ofKind] of byKind) {
    const handler = handlers.handlerFor(kind);
    const given = ofKind.map(({ run }) => run);
    let answered: StationAnswer[][];
    // Only shipments answer out of the box; transfers once their module registers (build-app-deps.ts).
    if (handler === undefined)
      answered = given.map((run) =>
        refusedRun(run, new DomainError('invalid', TRANSFERS_NOT_AVAILABLE)).map((answer) => ({
          ...answer,
          result: 'not_in_shipment' as const,
        })),
      );
    else
      try {
        answered = await handler(call, given);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        answered = given.map((run) => refusedRun(run, error));
      }
    for (const [n, { at }] of ofKind.entries()) answers[at] = answered[n]!;
  }
  return answers;
}

export interface StationAtScan {
  id: string;
  plantId: string;
  code: string;
  task: StationTaskAtScan | null;
}

const stationKey = (plantId: string, code: string) => `${plantId}/${code}`;

/** The stations the scans name, with their tasks, in one statement. */
async function stationsOf(tx: Sql, scans: readonly StationScan[]): Promise<Map<string, StationAtScan>> {
  const wanted = [...new Map(scans.map((s) => [stationKey(s.plantId, s.station), s])).values()];
  const found = await rows<{
    id: string;
    plant_id: string;
    code: string;
    task_id: string | null;
    mode: 'pack' | 'receive' | null;
    shipment_id: string | null;
    transfer_order_id: string | null;
    package_id: string | null;
    number: string | null;
  }>(
    tx,
    sql`select s.id, s.plant_id, s.code, t.id as task_id, t.mode, t.shipment_id, t.transfer_order_id,
               t.package_id, coalesce(sh.number, tr.number) as number
        from unnest(${sql.param(wanted.map((s) => s.plantId))}::uuid[], ${sql.param(wanted.map((s) => s.station))}::text[])
          as k(plant_id, code)
        join stations s on s.plant_id = k.plant_id and s.code = k.code
        left join station_tasks t on t.tenant_id = s.tenant_id and t.station_id = s.id
        left join shipments sh on sh.tenant_id = t.tenant_id and sh.id = t.shipment_id
        left join transfer_orders tr on tr.tenant_id = t.tenant_id and tr.id = t.transfer_order_id`,
  );
  return new Map(
    found.map((row) => [
      stationKey(row.plant_id, row.code),
      {
        id: row.id,
        plantId: row.plant_id,
        code: row.code,
        task:
          row.task_id === null || row.mode === null
            ? null
            : {
                taskId: row.task_id,
                stationId: row.id,
                stationCode: row.code,
                plantId: row.plant_id,
                mode: row.mode,
                shipmentId: row.shipment_id,
                transferOrderId: row.transfer_order_id,
                packageId: row.package_id,
                number: row.number ?? '',
              },
      },
    ]),
  );
}

/** What the stations answered to these scan events when they first arrived, with the item's progress now. */
async function recordedAnswers(
  tx: Sql,
  resent: readonly { eventId: string; stationId: string }[],
): Promise<Map<string, StationAnswer>> {
  const found = await rows<{
    scan_event_id: string;
    result: StationAnswer['result'];
    message: string;
    station: string | null;
    number: string | null;
    product_code: string | null;
    packed: string | null;
    quantity: string | null;
  }>(
    tx,
    sql`select distinct on (ps.scan_event_id) ps.scan_event_id, ps.result, ps.message, s.code as station,
               coalesce(sh.number, tr.number) as number, p.code as product_code,
               i.packed_quantity as packed, i.quantity
        from packing_scans ps
        left join stations s on s.tenant_id = ps.tenant_id and s.id = ps.station_id
        left join shipments sh on sh.tenant_id = ps.tenant_id and sh.id = ps.shipment_id
        left join transfer_orders tr on tr.tenant_id = ps.tenant_id and tr.id = ps.transfer_order_id
        left join shipment_items i on i.tenant_id = ps.tenant_id and ps.result = 'ok'
          and i.id::text = ps.detail->>'itemId'
        left join products p on p.tenant_id = i.tenant_id and p.id = i.product_id
        -- By station first: packing_scans has an index on the station, none on the event id.
        where ps.station_id = any(${sql.param([...new Set(resent.map((r) => r.stationId))])}::uuid[])
          and ps.scan_event_id = any(${sql.param(resent.map((r) => r.eventId))}::uuid[])
        order by ps.scan_event_id, ps.at, ps.id`,
  );
  return new Map(
    found.map((row) => [
      row.scan_event_id,
      {
        result: row.result,
        message: row.message,
        station: row.station ?? '',
        shipment: row.number,
        item:
          row.product_code === null
            ? null
            : { productCode: row.product_code, packed: Number(row.packed), quantity: Number(row.quantity) },
      },
    ]),
  );
}
