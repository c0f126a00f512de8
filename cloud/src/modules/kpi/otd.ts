import { type OtdPolicy, otdOverrideSchema, type otdUnits } from '@plantline/schema';
import { type TimeZone, timeZone } from './zone.js';

/*
 * On-time delivery and on time in full (docs/kpis.md, "OTD and OTIF"), without I/O. A delivery
 * request (a line) is judged against a reference date and a window around it, by the calendar date
 * its shipments left (or arrived) in the shipping plant's time zone. Each line is judged twice: "to
 * request" against the date the customer asked for, "to promise" against the promised date the
 * policy names (the first promise when the policy's reference is the requested date). otd-report.ts
 * counts the judged lines per unit, bucket and customer.
 */

export type OtdUnit = (typeof otdUnits)[number];
export type OtdMeasure = 'toRequest' | 'toPromise';
export const OTD_MEASURES: readonly OtdMeasure[] = ['toRequest', 'toPromise'];

export interface OtdShipment {
  readonly shipmentId: string;
  readonly number: string;
  /** Epoch ms; null until it happened. */
  readonly shippedAt: number | null;
  readonly deliveredAt: number | null;
  /** What of the line left with this shipment: its items' packed quantity. */
  readonly quantity: number;
  readonly lateReason: string;
}

export interface OtdPromise {
  /** 'YYYY-MM-DD' in the shipping plant's calendar. */
  readonly date: string;
  readonly reason: string;
}

export interface OtdParty {
  readonly id: string;
  readonly code: string;
  readonly name: string;
}

/** One delivery request with its promises and the shipments carrying it. */
export interface OtdLine {
  readonly requestId: string;
  readonly number: string;
  /** A cancelled request is owed nothing and counts nowhere. */
  readonly cancelled: boolean;
  readonly plantId: string;
  /** The shipping plant's IANA zone: an actual date is the plant's calendar date. */
  readonly timeZone: string;
  readonly customer: OtdParty;
  readonly product: OtdParty;
  readonly quantity: number;
  /** 'YYYY-MM-DD'. */
  readonly requestedDate: string;
  /** First to newest. */
  readonly promises: readonly OtdPromise[];
  readonly shipments: readonly OtdShipment[];
  /** The tenant's policy with the customer's exceptions (effectivePolicy). */
  readonly policy: OtdPolicy;
}

/**
 * on_time: on time and in full; short: on time, not in full; late / early: the first delivery
 * outside the window; not_shipped: nothing arrived and the window has passed; pending: not decided yet.
 */
export type OtdLineStatus = 'on_time' | 'short' | 'late' | 'early' | 'not_shipped' | 'pending';

export interface OtdDelivery {
  readonly shipment: OtdShipment;
  /** Day number (days since 1970-01-01) of the actual date. */
  readonly day: number;
  /** Inside the window, or early while early counts as on time. */
  readonly acceptable: boolean;
}

export interface OtdOutcome {
  readonly line: OtdLine;
  readonly measure: OtdMeasure;
  /** Day numbers. */
  readonly reference: number;
  readonly windowStart: number;
  readonly windowEnd: number;
  /** Decided: the window has passed, or everything asked for has arrived. Pending lines count nowhere. */
  readonly settled: boolean;
  readonly status: OtdLineStatus;
  readonly onTime: boolean;
  readonly inFull: boolean;
  /** The first delivery's day; null when nothing has arrived. */
  readonly actual: number | null;
  /** Actual (or, with nothing arrived, today) minus the reference, in days; negative is early. */
  readonly daysLate: number;
  /** Quantity delivered in the window, at most what was asked for. */
  readonly onTimeQuantity: number;
  /** Everything delivered so far. */
  readonly deliveredQuantity: number;
  /** Shipments with an actual date, earliest first. */
  readonly deliveries: readonly OtdDelivery[];
  /** The newest late reason of its shipments, else the newest promise's reason. */
  readonly reason: string;
}

const DAY_MS = 86_400_000;

/** The tenant's policy with a customer's stored exceptions; an unreadable exception changes nothing. */
export function effectivePolicy(tenant: OtdPolicy, stored: unknown): OtdPolicy {
  if (stored === null || stored === undefined) return tenant;
  const parsed = otdOverrideSchema.safeParse(stored);
  if (!parsed.success) return tenant;
  const given = Object.entries(parsed.data).filter(([, value]) => value !== undefined);
  return { ...tenant, ...Object.fromEntries(given) };
}

/** 'YYYY-MM-DD' → days since 1970-01-01. */
export function dayNumber(date: string): number {
  const [year, month, day] = date.split('-').map(Number);
  return Date.UTC(year ?? 1970, (month ?? 1) - 1, day ?? 1) / DAY_MS;
}

export function dateOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The calendar day of an instant in a zone, as a day number. */
export function localDay(zone: TimeZone, ms: number): number {
  const local = zone.localAt(ms);
  return Date.UTC(local.year, local.month - 1, local.day) / DAY_MS;
}

/** The date a line is judged against for a measure (docs/kpis.md, "OTD and OTIF"). */
export function referenceDate(line: OtdLine, measure: OtdMeasure): string {
  if (measure === 'toRequest') return line.requestedDate;
  const promise = line.policy.reference === 'latest_promised' ? line.promises.at(-1) : line.promises[0];
  return promise?.date ?? line.requestedDate;
}

/** Zones by name, built once per computation: Intl formatters are costly to create. */
export function zoneCache(): (name: string) => TimeZone {
  const zones = new Map<string, TimeZone>();
  return (name) => {
    let zone = zones.get(name);
    if (zone === undefined) {
      zone = timeZone(name);
      zones.set(name, zone);
    }
    return zone;
  };
}

/**
 * One line judged for one measure. `today` is the plant's calendar day now (a day number): a line
 * with something still to come is decided only once its window has passed.
 */
export function judgeLine(line: OtdLine, measure: OtdMeasure, zone: TimeZone, today: number): OtdOutcome {
  const { policy } = line;
  const reference = dayNumber(referenceDate(line, measure));
  const windowStart = reference - policy.earlyDays;
  const windowEnd = reference + policy.lateDays;
  const acceptable = (day: number) => day <= windowEnd && (!policy.earlyIsLate || day >= windowStart);
  const deliveries = line.shipments
    .map((shipment) => ({
      shipment,
      at: policy.actual === 'shipped' ? shipment.shippedAt : shipment.deliveredAt,
    }))
    .filter((d): d is { shipment: OtdShipment; at: number } => d.at !== null)
    .sort((a, b) => a.at - b.at)
    .map(({ shipment, at }) => {
      const day = localDay(zone, at);
      return { shipment, day, acceptable: acceptable(day) };
    });
  const deliveredQuantity = sum(deliveries.map((d) => d.shipment.quantity));
  const inWindow = sum(deliveries.filter((d) => d.acceptable).map((d) => d.shipment.quantity));
  const first = deliveries[0];
  const onTime = first?.acceptable ?? false;
  const inFull = inWindow >= line.quantity;
  const settled = today > windowEnd || deliveredQuantity >= line.quantity;
  return {
    line,
    measure,
    reference,
    windowStart,
    windowEnd,
    settled,
    status: statusOf(settled, first, onTime, inFull, windowStart),
    onTime,
    inFull,
    actual: first?.day ?? null,
    daysLate: (first?.day ?? today) - reference,
    onTimeQuantity: Math.min(inWindow, line.quantity),
    deliveredQuantity,
    deliveries,
    reason: reasonOf(line),
  };
}

function statusOf(
  settled: boolean,
  first: OtdDelivery | undefined,
  onTime: boolean,
  inFull: boolean,
  windowStart: number,
): OtdLineStatus {
  if (!settled) return 'pending';
  if (first === undefined) return 'not_shipped';
  if (!onTime) return first.day < windowStart ? 'early' : 'late';
  return inFull ? 'on_time' : 'short';
}

/** Why it missed, as recorded: the shipping late reason first, else why the date was last promised. */
function reasonOf(line: OtdLine): string {
  const late = line.shipments
    .filter((s) => s.shippedAt !== null && s.lateReason.trim() !== '')
    .sort((a, b) => (a.shippedAt ?? 0) - (b.shippedAt ?? 0))
    .at(-1);
  return late?.lateReason.trim() ?? line.promises.at(-1)?.reason.trim() ?? '';
}

function sum(values: readonly number[]): number {
  return values.reduce((total, v) => total + v, 0);
}
