import type { EventEnvelope } from './envelope.js';
import { type PayloadByKind, symbologies } from './payloads.js';
import { LATEST_INSTANT_MS } from './timestamps.js';
import { CODE_PATTERN, type EventKind } from './topics.js';

/*
 * A fast check of the event envelope for the ingest hot path (docs/device-integration.md,
 * "Validation"). `eventEnvelope` (zod) stays the definition: this check answers "valid" only for
 * events it can prove valid under it, in the form an edge sends them (canonical UTC instants, lowercase
 * ids, plain JSON objects), and "not sure" (undefined) for anything else, which then goes through zod
 * — so a bad event still gets zod's verdict and message. It never answers "invalid".
 * quick-envelope.test.ts holds it to that: every event it accepts, zod accepts with the same output,
 * on every fixture and on thousands of generated variants. It costs a fraction of zod's parse, which
 * was about 2–3 µs of CPU per event.
 */

const ENVELOPE_KEYS = new Set([
  'id',
  'plant',
  'line',
  'machine',
  'kind',
  'ts',
  'receivedAt',
  'deviceTs',
  'payload',
]);
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const CANONICAL_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
/** The label rule of payloads.ts: printable text, no control characters or lone surrogates. */
const PRINTABLE = /^[^\p{Cc}\p{Cs}]*$/u;
const LONE_SURROGATE = /\p{Cs}/u;
const VALUE_NAME = /^[A-Za-z0-9_.-]{1,64}$/;
const SYMBOLOGIES = new Set<string>(symbologies);
const COUNT_MAX = 1_000_000;

type Json = Record<string, unknown>;

function isPlainObject(value: unknown): value is Json {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function onlyKeys(value: Json, allowed: ReadonlySet<string>): boolean {
  for (const key in value) if (!allowed.has(key)) return false;
  return true;
}

/** The number written by `length` ASCII digits of `text` from `at` (the pattern checked they are digits). */
function digitsAt(text: string, at: number, length: number): number {
  let n = 0;
  for (let i = at; i < at + length; i++) n = n * 10 + text.charCodeAt(i) - 48;
  return n;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * An instant as `Date.prototype.toISOString` writes it, on a day that exists, within the storable
 * years (0001–9999: four digits and not 0000). Read digit by digit: parsing it as a Date and writing
 * it back cost more than the rest of the check.
 */
function isCanonicalInstant(value: unknown): boolean {
  if (typeof value !== 'string' || !CANONICAL_INSTANT.test(value)) return false;
  const year = digitsAt(value, 0, 4);
  const month = digitsAt(value, 5, 2);
  const day = digitsAt(value, 8, 2);
  return (
    year >= 1 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month) &&
    digitsAt(value, 11, 2) <= 23 &&
    digitsAt(value, 14, 2) <= 59 &&
    digitsAt(value, 17, 2) <= 59
  );
}

const isCode = (value: unknown) => typeof value === 'string' && CODE_PATTERN.test(value);

function isLabel(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const trimmed = value.trim();
  return trimmed.length >= 1 && trimmed.length <= 64 && PRINTABLE.test(trimmed);
}

const optional = (value: Json, key: string, check: (v: unknown) => boolean) =>
  !(key in value) || check(value[key]);

/** A payload's `ts`: epoch milliseconds, or a canonical instant (other ISO forms are left to zod). */
const isDeviceTime = (value: unknown) =>
  typeof value === 'number'
    ? Number.isInteger(value) && value >= 0 && value <= LATEST_INSTANT_MS
    : isCanonicalInstant(value);

const isCount = (value: unknown) =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= COUNT_MAX;

const STATE_KEYS = new Set(['state', 'reason', 'ts']);
const COUNT_KEYS = new Set(['good', 'scrap', 'product', 'order', 'ts']);
const SCAN_KEYS = new Set(['code', 'symbology', 'station', 'action', 'ts']);
const TELEMETRY_KEYS = new Set(['values', 'ts']);

function isReadings(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  let count = 0;
  for (const name in value) {
    const reading = value[name];
    if (!VALUE_NAME.test(name) || typeof reading !== 'number' || !Number.isFinite(reading)) return false;
    count++;
  }
  return count >= 1 && count <= 100;
}

const payloadChecks: Record<EventKind, (p: Json) => boolean> = {
  state: (p) =>
    onlyKeys(p, STATE_KEYS) &&
    isLabel(p.state) &&
    optional(p, 'reason', isLabel) &&
    optional(p, 'ts', isDeviceTime),
  count: (p) =>
    onlyKeys(p, COUNT_KEYS) &&
    optional(p, 'good', isCount) &&
    optional(p, 'scrap', isCount) &&
    ((p.good as number | undefined) ?? 0) + ((p.scrap as number | undefined) ?? 0) > 0 &&
    optional(p, 'product', isLabel) &&
    optional(p, 'order', isLabel) &&
    optional(p, 'ts', isDeviceTime),
  scan: (p) =>
    onlyKeys(p, SCAN_KEYS) &&
    typeof p.code === 'string' &&
    p.code.length >= 1 &&
    p.code.length <= 4096 &&
    !p.code.includes('\u0000') &&
    !LONE_SURROGATE.test(p.code) &&
    optional(p, 'symbology', (s) => typeof s === 'string' && SYMBOLOGIES.has(s)) &&
    optional(p, 'station', isLabel) &&
    optional(p, 'action', isLabel) &&
    optional(p, 'ts', isDeviceTime),
  telemetry: (p) => onlyKeys(p, TELEMETRY_KEYS) && isReadings(p.values) && optional(p, 'ts', isDeviceTime),
};

/** The event as `eventEnvelope` would parse it, when it is surely valid; undefined: ask zod. */
export function quickEnvelope(raw: unknown): EventEnvelope | undefined {
  if (!isPlainObject(raw) || !onlyKeys(raw, ENVELOPE_KEYS)) return undefined;
  const kind = raw.kind;
  if (kind !== 'state' && kind !== 'count' && kind !== 'scan' && kind !== 'telemetry') return undefined;
  const payload = raw.payload;
  const valid =
    typeof raw.id === 'string' &&
    UUID_V7.test(raw.id) &&
    isCode(raw.plant) &&
    isCode(raw.line) &&
    isCode(raw.machine) &&
    isCanonicalInstant(raw.ts) &&
    isCanonicalInstant(raw.receivedAt) &&
    optional(raw, 'deviceTs', isCanonicalInstant) &&
    isPlainObject(payload) &&
    payloadChecks[kind](payload);
  return valid ? (raw as unknown as EventEnvelope) : undefined;
}

const trimmedIfSet = (value: unknown) => (value === undefined ? undefined : (value as string).trim());

/** Sets `key` only when `value` is defined, as zod's output leaves absent optional keys out. */
function put(out: Json, key: string, value: unknown): void {
  if (value !== undefined) out[key] = value;
}

/** What zod's parse makes of a payload that passed its quick check: labels trimmed, defaults filled. */
const payloadOutputs: { [K in EventKind]: (p: Json) => PayloadByKind[K] } = {
  state: (p) => {
    const out: Json = { state: (p.state as string).trim() };
    put(out, 'reason', trimmedIfSet(p.reason));
    put(out, 'ts', p.ts);
    return out as PayloadByKind['state'];
  },
  count: (p) => {
    const out: Json = { good: p.good ?? 0, scrap: p.scrap ?? 0 };
    put(out, 'product', trimmedIfSet(p.product));
    put(out, 'order', trimmedIfSet(p.order));
    put(out, 'ts', p.ts);
    return out as PayloadByKind['count'];
  },
  scan: (p) => {
    const out: Json = { code: p.code, symbology: p.symbology ?? 'qr' };
    put(out, 'station', trimmedIfSet(p.station));
    out.action = trimmedIfSet(p.action) ?? 'scan';
    put(out, 'ts', p.ts);
    return out as PayloadByKind['scan'];
  },
  telemetry: (p) => {
    // zod's record output is a copy with the same keys in the same order.
    const out: Json = { values: { ...(p.values as Json) } };
    put(out, 'ts', p.ts);
    return out as PayloadByKind['telemetry'];
  },
};

/**
 * A device payload as `payloadSchemas[kind]` would parse it (same values, same key order), when it
 * is surely valid; undefined: ask zod. For the edge's ingress, under the same rule as quickEnvelope.
 */
export function quickPayload<K extends EventKind>(kind: K, raw: unknown): PayloadByKind[K] | undefined {
  if (!isPlainObject(raw) || !payloadChecks[kind](raw)) return undefined;
  // A reading named __proto__ is an own key of the parsed JSON but not of zod's output: zod decides.
  if (kind === 'telemetry' && Object.hasOwn(raw.values as Json, '__proto__')) return undefined;
  return payloadOutputs[kind](raw);
}
