import { describe, expect, it } from 'vitest';
import { eventEnvelope } from './envelope.js';
import { payloadSchemas } from './payloads.js';
import { quickEnvelope, quickPayload } from './quick-envelope.js';
import type { EventKind } from './topics.js';

/*
 * The quick check may only say "valid" where zod's eventEnvelope says so, with the same output
 * (quick-envelope.ts); it may say "not sure" anywhere. It must say "valid" for what an edge sends,
 * or it saves nothing.
 */

const base = {
  id: '019a0b6c-1d2e-7f00-8a00-000000000001',
  plant: 'P1',
  line: 'L-1',
  machine: 'M_001',
  ts: '2026-12-05T10:00:00.123Z',
  receivedAt: '2026-12-05T10:00:00.125Z',
};

const valid: Record<string, unknown>[] = [
  { ...base, kind: 'state', payload: { state: 'RUNNING' } },
  { ...base, kind: 'state', payload: { state: ' DOWN ', reason: 'JAM', ts: 1_796_000_000_000 } },
  { ...base, kind: 'state', payload: { state: 'Störung ✓', ts: '2026-12-05T09:59:59.000Z' } },
  { ...base, kind: 'state', deviceTs: '1970-01-01T00:00:00.000Z', payload: { state: 'IDLE' } },
  { ...base, ts: '2024-02-29T23:59:59.999Z', kind: 'state', payload: { state: 'R' } },
  { ...base, ts: '2000-02-29T00:00:00.000Z', kind: 'state', payload: { state: 'R' } },
  { ...base, ts: '0001-01-01T00:00:00.000Z', kind: 'state', payload: { state: 'R' } },
  { ...base, ts: '9999-12-31T23:59:59.999Z', kind: 'state', payload: { state: 'R' } },
  { ...base, kind: 'count', payload: { good: 5 } },
  { ...base, kind: 'count', payload: { scrap: 1, product: 'BRK-100', order: 'PO-7' } },
  { ...base, kind: 'count', payload: { good: 0, scrap: 1_000_000 } },
  { ...base, kind: 'scan', payload: { code: '0109521234543213\u001d10LOT7' } },
  {
    ...base,
    kind: 'scan',
    payload: { code: 'x', symbology: 'datamatrix', station: 'PACK-1', action: 'pack', ts: 0 },
  },
  { ...base, kind: 'telemetry', payload: { values: { spindle_temp_c: 61.2, 'a.b-c': -1 } } },
  {
    ...base,
    kind: 'telemetry',
    payload: { values: Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`v${i}`, i])) },
  },
];

const invalid: Record<string, unknown>[] = [
  { ...base, kind: 'state', payload: { state: '' } },
  { ...base, kind: 'state', payload: { state: '   ' } },
  { ...base, kind: 'state', payload: { state: 'a'.repeat(65) } },
  { ...base, kind: 'state', payload: { state: 'tab\there' } },
  { ...base, kind: 'state', payload: { state: 'RUN', extra: 1 } },
  { ...base, kind: 'state', extra: 1, payload: { state: 'RUN' } },
  { ...base, kind: 'count', payload: {} },
  { ...base, kind: 'count', payload: { good: 0, scrap: 0 } },
  { ...base, kind: 'count', payload: { good: 1.5 } },
  { ...base, kind: 'count', payload: { good: -1 } },
  { ...base, kind: 'count', payload: { good: 1_000_001 } },
  { ...base, kind: 'count', payload: { good: '5' } },
  { ...base, kind: 'scan', payload: { code: '' } },
  { ...base, kind: 'scan', payload: { code: 'a\u0000b' } },
  { ...base, kind: 'scan', payload: { code: 'lone \ud800 surrogate' } },
  { ...base, kind: 'scan', payload: { code: 'x', symbology: 'morse' } },
  { ...base, kind: 'telemetry', payload: { values: {} } },
  { ...base, kind: 'telemetry', payload: { values: { t: Number.NaN } } },
  { ...base, kind: 'telemetry', payload: { values: { 'bad name': 1 } } },
  { ...base, kind: 'other', payload: {} },
  { ...base, id: '019a0b6c-1d2e-4f00-8a00-000000000001', kind: 'state', payload: { state: 'R' } },
  { ...base, plant: 'P 1', kind: 'state', payload: { state: 'R' } },
  { ...base, ts: '2026-02-30T10:00:00.000Z', kind: 'state', payload: { state: 'R' } },
  { ...base, ts: '0000-01-01T00:00:00.000Z', kind: 'state', payload: { state: 'R' } },
  { ...base, ts: '2100-02-29T00:00:00.000Z', kind: 'state', payload: { state: 'R' } },
  { ...base, ts: '2026-04-31T00:00:00.000Z', kind: 'state', payload: { state: 'R' } },
  { ...base, ts: '2026-12-05T24:00:00.000Z', kind: 'state', payload: { state: 'R' } },
  { ...base, ts: '2026-12-05T10:60:00.000Z', kind: 'state', payload: { state: 'R' } },
  { ...base, ts: '2026-12-05T10:00:60.000Z', kind: 'state', payload: { state: 'R' } },
  { ...base, receivedAt: '2026-00-05T10:00:00.000Z', kind: 'state', payload: { state: 'R' } },
  { ...base, kind: 'state', deviceTs: '2026-12-00T10:00:00.000Z', payload: { state: 'R' } },
  { ...base, kind: 'state', payload: { state: 'R', ts: -1 } },
  { ...base, kind: 'state', payload: ['R'] },
];

/** What zod makes of an event, or null when it refuses it. */
function zodOutput(raw: unknown) {
  const parsed = eventEnvelope.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

/** A deterministic generator of variants: keys dropped, replaced by odd values, or added. */
function variants(count: number): unknown[] {
  let seed = 7;
  const next = (n: number) => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed % n;
  };
  const odd: unknown[] = [
    null,
    undefined,
    0,
    -1,
    1.5,
    1e7,
    Number.NaN,
    true,
    '',
    ' ',
    'RUN',
    'a'.repeat(70),
    'x\u0000',
    '\ud800',
    '2026-12-05T10:00:00Z',
    '2026-12-05T10:00:00.000+01:00',
    '2026-12-05T10:00:00.000Z',
    '2026-13-05T10:00:00.000Z',
    '019a0b6c-1d2e-7f00-8a00-00000000000A',
    '019a0b6c-1d2e-7f00-8a00-000000000002',
    'qr',
    [],
    {},
    { a: 1 },
    Object.create(null),
  ];
  const out: unknown[] = [];
  for (let i = 0; i < count; i++) {
    const event = structuredClone(valid[next(valid.length)]!) as Record<string, unknown>;
    const payload = event.payload as Record<string, unknown>;
    for (let m = 1 + next(3); m > 0; m--) {
      const target = next(2) === 0 ? event : payload;
      const keys = Object.keys(target);
      const action = next(3);
      if (action === 0 && keys.length > 0) delete target[keys[next(keys.length)]!];
      else if (action === 1 && keys.length > 0) target[keys[next(keys.length)]!] = odd[next(odd.length)];
      else
        target[['extra', 'ts', 'reason', 'good', 'deviceTs', 'symbology'][next(6)]!] = odd[next(odd.length)];
    }
    out.push(event);
  }
  return out;
}

describe('the quick envelope check', () => {
  it('accepts what an edge sends, as zod parses it', () => {
    for (const event of valid) {
      const quick = quickEnvelope(event);
      expect(quick, JSON.stringify(event)).toBeDefined();
      expect(quick).toEqual(zodOutput(event));
    }
  });

  it('accepts nothing zod refuses', () => {
    for (const event of invalid) {
      expect(zodOutput(event), JSON.stringify(event)).toBeNull();
      expect(quickEnvelope(event), JSON.stringify(event)).toBeUndefined();
    }
    for (const odd of [null, 1, 'event', [], new Date()]) expect(quickEnvelope(odd)).toBeUndefined();
  });

  it('accepts only what zod accepts, with the same output, on generated variants', () => {
    let accepted = 0;
    for (const event of variants(20_000)) {
      const quick = quickEnvelope(event);
      if (quick === undefined) continue;
      accepted++;
      expect(zodOutput(event), JSON.stringify(event)).toEqual(quick);
    }
    // The variants include valid ones (a dropped optional key, a valid replacement).
    expect(accepted).toBeGreaterThan(100);
  });
});

/** zod's output for a payload as JSON (key order included, as the edge stores it), or null. */
function zodPayload(kind: unknown, payload: unknown): string | null {
  if (typeof kind !== 'string' || !(kind in payloadSchemas)) return null;
  const parsed = payloadSchemas[kind as EventKind].safeParse(payload);
  return parsed.success ? JSON.stringify(parsed.data) : null;
}

function quickPayloadJson(kind: unknown, payload: unknown): string | undefined {
  if (typeof kind !== 'string' || !(kind in payloadSchemas)) return undefined;
  const quick = quickPayload(kind as EventKind, payload);
  return quick === undefined ? undefined : JSON.stringify(quick);
}

describe('the quick payload check', () => {
  it('accepts what devices send, with zod’s output to the byte', () => {
    for (const { kind, payload } of valid) {
      expect(quickPayloadJson(kind, payload), JSON.stringify(payload)).toBe(zodPayload(kind, payload));
    }
  });

  it('accepts no payload zod refuses', () => {
    for (const { kind, payload } of invalid) {
      if (zodPayload(kind, payload) === null) expect(quickPayloadJson(kind, payload)).toBeUndefined();
    }
    const proto = JSON.parse('{"values":{"__proto__":1}}');
    expect(quickPayload('telemetry', proto)).toBeUndefined();
  });

  it('accepts only what zod accepts, with the same output, on generated variants', () => {
    let accepted = 0;
    for (const event of variants(20_000) as Record<string, unknown>[]) {
      const quick = quickPayloadJson(event.kind, event.payload);
      if (quick === undefined) continue;
      accepted++;
      expect(zodPayload(event.kind, event.payload), JSON.stringify(event.payload)).toBe(quick);
    }
    expect(accepted).toBeGreaterThan(1000);
  });
});
