import {
  dateOfDay,
  dayNumber,
  judgeLine,
  localDay,
  OTD_MEASURES,
  type OtdLine,
  type OtdLineStatus,
  type OtdMeasure,
  type OtdOutcome,
  type OtdParty,
  type OtdUnit,
  zoneCache,
} from './otd.js';

/*
 * OTD and OTIF over a period (docs/kpis.md, "OTD and OTIF"): the lines due in it — reference date
 * within the period, per measure — judged by otd.ts and counted per unit: lines, shipments or
 * quantity. Totals, a series per day, ISO week or month of the reference date, a figure per customer
 * in that customer's unit, and the lines that missed. Pure: the loader (otd-query.ts) fills the input.
 */

export type OtdBucket = 'day' | 'week' | 'month';

const DAY_MS = 86_400_000;

export interface OtdFigures {
  /** Decided lines, shipments or quantity due. */
  readonly due: number;
  readonly onTime: number;
  /** In full within the window, on time or not. */
  readonly inFull: number;
  readonly onTimeInFull: number;
  /** onTime / due; null when nothing is due ("no data", never 0). */
  readonly otd: number | null;
  /** onTimeInFull / due; null when nothing is due. */
  readonly otif: number | null;
  /** Lines due whose outcome is not decided yet: counted nowhere else. */
  readonly pendingLines: number;
}

export type OtdMissStatus = Exclude<OtdLineStatus, 'on_time' | 'pending'>;

/** A line that missed OTIF: late, early while early counts as late, not shipped, or short. */
export interface OtdLateLine {
  readonly requestId: string;
  readonly number: string;
  readonly plantId: string;
  readonly customer: OtdParty;
  readonly product: OtdParty;
  readonly quantity: number;
  readonly deliveredQuantity: number;
  readonly onTimeQuantity: number;
  readonly referenceDate: string;
  readonly actualDate: string | null;
  readonly daysLate: number;
  readonly status: OtdMissStatus;
  readonly reason: string;
}

export interface OtdSeriesPoint {
  /** The bucket's first day: the day, the ISO week's Monday, the month's first. */
  readonly start: string;
  readonly toRequest: OtdFigures;
  readonly toPromise: OtdFigures;
}

export interface OtdCustomerFigures {
  readonly customer: OtdParty;
  /** This customer's unit, which may differ from the report's. */
  readonly unit: OtdUnit;
  readonly toRequest: OtdFigures;
  readonly toPromise: OtdFigures;
}

export interface OtdReportInput {
  readonly lines: readonly OtdLine[];
  /** 'YYYY-MM-DD', both included. */
  readonly from: string;
  readonly to: string;
  readonly bucket: OtdBucket;
  readonly now: number;
  /** The unit of the totals and the series (the tenant's, or the one customer's the report is about). */
  readonly unit: OtdUnit;
  /** At most this many late lines per measure; lateLineCount says how many there were. */
  readonly lateLimit: number;
}

export interface OtdReport {
  readonly unit: OtdUnit;
  readonly totals: Record<OtdMeasure, OtdFigures>;
  readonly series: readonly OtdSeriesPoint[];
  readonly customers: readonly OtdCustomerFigures[];
  readonly lateLines: Record<OtdMeasure, readonly OtdLateLine[]>;
  readonly lateLineCount: Record<OtdMeasure, number>;
}

export function otdReport(input: OtdReportInput): OtdReport {
  const from = dayNumber(input.from);
  const to = dayNumber(input.to);
  const zoneOf = zoneCache();
  const judged = (measure: OtdMeasure) =>
    input.lines
      .filter((line) => !line.cancelled)
      .map((line) => {
        const zone = zoneOf(line.timeZone);
        return judgeLine(line, measure, zone, localDay(zone, input.now));
      })
      .filter((o) => o.reference >= from && o.reference <= to);
  const outcomes = { toRequest: judged('toRequest'), toPromise: judged('toPromise') };
  const byMeasure = <T>(f: (measure: OtdMeasure) => T) =>
    ({ toRequest: f('toRequest'), toPromise: f('toPromise') }) as Record<OtdMeasure, T>;
  const late = byMeasure((m) => lateLines(outcomes[m]));
  return {
    unit: input.unit,
    totals: byMeasure((m) => otdFigures(outcomes[m], input.unit)),
    series: bucketStarts(from, to, input.bucket).map(({ start, end }) => ({
      start: dateOfDay(start),
      ...byMeasure((m) =>
        otdFigures(
          outcomes[m].filter((o) => o.reference >= start && o.reference < end),
          input.unit,
        ),
      ),
    })),
    customers: customerFigures(outcomes),
    lateLines: byMeasure((m) => late[m].slice(0, input.lateLimit)),
    lateLineCount: byMeasure((m) => late[m].length),
  };
}

/** The judged lines counted in a unit (docs/kpis.md, "OTD and OTIF", "Units"). */
export function otdFigures(outcomes: readonly OtdOutcome[], unit: OtdUnit): OtdFigures {
  const settled = outcomes.filter((o) => o.settled);
  const counts = unit === 'shipment' ? shipmentCounts(settled) : lineCounts(settled, unit);
  return {
    ...counts,
    otd: counts.due > 0 ? counts.onTime / counts.due : null,
    otif: counts.due > 0 ? counts.onTimeInFull / counts.due : null,
    pendingLines: outcomes.length - settled.length,
  };
}

type Counts = Pick<OtdFigures, 'due' | 'onTime' | 'inFull' | 'onTimeInFull'>;

/** A line counts 1 (unit line) or the quantity asked for, on time as far as it arrived in the window. */
function lineCounts(settled: readonly OtdOutcome[], unit: 'line' | 'quantity'): Counts {
  const weight = (o: OtdOutcome) => (unit === 'line' ? 1 : o.line.quantity);
  const total = (pick: (o: OtdOutcome) => number) => settled.reduce((sum, o) => sum + pick(o), 0);
  return {
    due: total(weight),
    onTime: total((o) => (unit === 'line' ? (o.onTime ? 1 : 0) : o.onTimeQuantity)),
    inFull: total((o) => (o.inFull ? weight(o) : 0)),
    onTimeInFull: total((o) => (o.onTime && o.inFull ? weight(o) : 0)),
  };
}

/**
 * Each shipment carrying a decided line counts once: on time when it arrived in the window of every
 * due line it carries, in full when each of those lines is. A decided line that nothing carried is
 * one missed shipment.
 */
function shipmentCounts(settled: readonly OtdOutcome[]): Counts {
  const shipments = new Map<string, { onTime: boolean; inFull: boolean }>();
  let missed = 0;
  for (const o of settled) {
    if (o.deliveries.length === 0) missed += 1;
    for (const d of o.deliveries) {
      const s = shipments.get(d.shipment.shipmentId) ?? { onTime: true, inFull: true };
      shipments.set(d.shipment.shipmentId, {
        onTime: s.onTime && d.acceptable,
        inFull: s.inFull && o.inFull,
      });
    }
  }
  const all = [...shipments.values()];
  return {
    due: all.length + missed,
    onTime: all.filter((s) => s.onTime).length,
    inFull: all.filter((s) => s.inFull).length,
    onTimeInFull: all.filter((s) => s.onTime && s.inFull).length,
  };
}

/** Per customer, in the customer's own unit; by customer name. */
function customerFigures(outcomes: Record<OtdMeasure, readonly OtdOutcome[]>): OtdCustomerFigures[] {
  const customers = new Map<string, OtdLine>();
  for (const measure of OTD_MEASURES)
    for (const o of outcomes[measure]) customers.set(o.line.customer.id, o.line);
  return [...customers.values()]
    .sort(
      (a, b) => a.customer.name.localeCompare(b.customer.name) || a.customer.id.localeCompare(b.customer.id),
    )
    .map((line) => {
      const of = (measure: OtdMeasure) =>
        otdFigures(
          outcomes[measure].filter((o) => o.line.customer.id === line.customer.id),
          line.policy.unit,
        );
      return {
        customer: line.customer,
        unit: line.policy.unit,
        toRequest: of('toRequest'),
        toPromise: of('toPromise'),
      };
    });
}

/** The decided lines that missed OTIF, oldest reference date first. */
function lateLines(outcomes: readonly OtdOutcome[]): OtdLateLine[] {
  return outcomes
    .filter(
      (o): o is OtdOutcome & { status: OtdMissStatus } => o.status !== 'on_time' && o.status !== 'pending',
    )
    .sort((a, b) => a.reference - b.reference || a.line.number.localeCompare(b.line.number))
    .map((o) => ({
      requestId: o.line.requestId,
      number: o.line.number,
      plantId: o.line.plantId,
      customer: o.line.customer,
      product: o.line.product,
      quantity: o.line.quantity,
      deliveredQuantity: o.deliveredQuantity,
      onTimeQuantity: o.onTimeQuantity,
      referenceDate: dateOfDay(o.reference),
      actualDate: o.actual === null ? null : dateOfDay(o.actual),
      daysLate: o.daysLate,
      status: o.status,
      reason: o.reason,
    }));
}

/** The buckets covering [from, to] (day numbers), each [start, end); the first may start before from. */
export function bucketStarts(from: number, to: number, bucket: OtdBucket): { start: number; end: number }[] {
  const buckets: { start: number; end: number }[] = [];
  for (let start = bucketOf(from, bucket); start <= to; ) {
    const end = nextBucket(start, bucket);
    buckets.push({ start, end });
    start = end;
  }
  return buckets;
}

function bucketOf(day: number, bucket: OtdBucket): number {
  if (bucket === 'day') return day;
  const date = new Date(day * DAY_MS);
  // ISO weeks start on Monday: getUTCDay() is 0 for Sunday.
  if (bucket === 'week') return day - ((date.getUTCDay() + 6) % 7);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1) / DAY_MS;
}

function nextBucket(start: number, bucket: OtdBucket): number {
  if (bucket === 'day') return start + 1;
  if (bucket === 'week') return start + 7;
  const date = new Date(start * DAY_MS);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1) / DAY_MS;
}
