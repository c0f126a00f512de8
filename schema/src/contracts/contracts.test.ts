import { describe, expect, it } from 'vitest';
import { eventEnvelope } from './envelope.js';
import { countPayload, scanPayload, statePayload, telemetryPayload } from './payloads.js';
import { answerTopicFor, isAnswerTopic, parseAnswerTopic, stationAnswerMessage } from './station-answers.js';
import { resolveEventTime } from './timestamps.js';
import { parseTopic, topicFor } from './topics.js';

describe('topics', () => {
  it('parse the plant hierarchy and round-trip', () => {
    const parsed = parseTopic('plantline/v1/RIV/L1/M-01/state');
    expect(parsed).toEqual({
      ok: true,
      address: { plant: 'RIV', line: 'L1', machine: 'M-01', kind: 'state' },
    });
    if (parsed.ok) expect(topicFor(parsed.address)).toBe('plantline/v1/RIV/L1/M-01/state');
  });

  it('say what is wrong with a bad topic', () => {
    expect(parseTopic('plantline/v1/RIV/L1/state')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('{plant}'),
    });
    expect(parseTopic('plantline/v1/RIV/L1/M1/temperature')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('kind'),
    });
    expect(parseTopic('plantline/v1/RIV/L 1/M1/count')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('line'),
    });
    expect(parseTopic('other/v1/RIV/L1/M1/count').ok).toBe(false);
  });
});

describe('payloads', () => {
  it('accept each kind with device time as ISO 8601 or epoch ms', () => {
    expect(statePayload.parse({ state: 'DOWN', reason: 'JAM', ts: '2026-11-24T10:00:00Z' }).state).toBe(
      'DOWN',
    );
    expect(countPayload.parse({ good: 5, ts: 1795560000000 })).toEqual({
      good: 5,
      scrap: 0,
      ts: 1795560000000,
    });
    expect(scanPayload.parse({ code: 'LOT-1' })).toEqual({ code: 'LOT-1', symbology: 'qr', action: 'scan' });
    expect(telemetryPayload.parse({ values: { temp_c: 61.5 } }).values.temp_c).toBe(61.5);
  });

  it('refuse what would lose or invent data', () => {
    expect(countPayload.safeParse({ good: 0, scrap: 0 }).success).toBe(false);
    expect(countPayload.safeParse({ good: -1 }).success).toBe(false);
    expect(countPayload.safeParse({ good: 1.5 }).success).toBe(false);
    expect(statePayload.safeParse({ state: 'RUNNING', sate: 'typo' }).success).toBe(false);
    expect(statePayload.safeParse({ state: 'RUNNING', ts: '24/11/2026' }).success).toBe(false);
    expect(telemetryPayload.safeParse({ values: {} }).success).toBe(false);
    expect(telemetryPayload.safeParse({ values: { t: Number.NaN } }).success).toBe(false);
  });

  it('refuse what the database cannot store: control characters in labels, NUL in a scan code', () => {
    for (const bad of ['RUN\u0000NING', 'DOWN\u0007', 'A\tB', 'A\nB', 'A\u007fB', 'A\u009bB', 'A\ud800B']) {
      expect(statePayload.safeParse({ state: bad }).success, JSON.stringify(bad)).toBe(false);
      expect(statePayload.safeParse({ state: 'DOWN', reason: bad }).success).toBe(false);
      expect(countPayload.safeParse({ good: 1, product: bad }).success).toBe(false);
      expect(countPayload.safeParse({ good: 1, order: bad }).success).toBe(false);
      expect(scanPayload.safeParse({ code: 'LOT-1', station: bad }).success).toBe(false);
      expect(scanPayload.safeParse({ code: 'LOT-1', action: bad }).success).toBe(false);
    }
    expect(statePayload.safeParse({ state: 'DOWN', reason: 'Störung – Förderband 2' }).success).toBe(true);
    expect(scanPayload.safeParse({ code: 'LOT\u00001' }).error?.issues[0]?.message).toMatch(/NUL/);
    expect(scanPayload.safeParse({ code: 'LOT\ud8001' }).success).toBe(false);
    // GS1 element strings separate fields with GS (U+001D): a scan code keeps them (GS1 General Specifications §7.8.5).
    expect(scanPayload.safeParse({ code: '\u001d0109501101020917\u001d10ABC' }).success).toBe(true);
  });

  it('refuse device times outside the years 0001–9999 or with an offset no zone uses', () => {
    const ts = (value: string | number) => statePayload.safeParse({ state: 'RUNNING', ts: value });
    for (const bad of [
      '0000-01-01T00:00:00Z',
      '0001-01-01T00:30:00+01:00',
      '9999-12-31T23:59:59-05:00',
      '2026-11-24T12:00:00+23:59',
      253_402_300_800_000,
      8_640_000_000_000_000,
    ])
      expect(ts(bad).success, String(bad)).toBe(false);
    expect(ts('0000-01-01T00:00:00Z').error?.issues[0]?.message).toMatch(/0001.9999/);
    expect(ts('yesterday').error?.issues.map((i) => i.message)).toEqual([
      'ts must be ISO 8601 with an offset (or Z), or epoch milliseconds',
    ]);
    for (const good of ['0001-01-01T00:00:00Z', '9999-12-31T23:59:59.999Z', '2026-11-24T12:00:00+14:00', 0])
      expect(ts(good).success, String(good)).toBe(true);
  });
});

describe('event time', () => {
  const received = new Date('2026-11-24T12:00:00.000Z');
  it('uses the device time within the bound', () => {
    expect(resolveEventTime('2026-11-24T11:59:58.500Z', received)).toEqual({
      ts: '2026-11-24T11:59:58.500Z',
    });
    // A device that buffered for a day while offline keeps its times.
    expect(resolveEventTime(received.getTime() - 86_400_000, received)).toEqual({
      ts: '2026-11-23T12:00:00.000Z',
    });
  });

  it('falls back to the receive time outside the bound, keeping the device time', () => {
    expect(resolveEventTime('2026-11-24T12:06:00Z', received)).toEqual({
      ts: '2026-11-24T12:00:00.000Z',
      deviceTs: '2026-11-24T12:06:00.000Z',
    });
    expect(resolveEventTime(0, received)).toEqual({
      ts: received.toISOString(),
      deviceTs: '1970-01-01T00:00:00.000Z',
    });
    expect(resolveEventTime(undefined, received)).toEqual({ ts: received.toISOString() });
  });
});

describe('event envelope', () => {
  const base = {
    id: '019ab5f0-7c00-7000-8000-000000000001',
    plant: 'RIV',
    line: 'L1',
    machine: 'M1',
    ts: '2026-11-24T12:00:00.000Z',
    receivedAt: '2026-11-24T12:00:00.010Z',
  };
  it('validates the payload for its kind', () => {
    expect(eventEnvelope.safeParse({ ...base, kind: 'count', payload: { good: 3 } }).success).toBe(true);
    const wrong = eventEnvelope.safeParse({ ...base, kind: 'count', payload: { state: 'RUNNING' } });
    expect(wrong.success).toBe(false);
  });

  it('refuses times the database cannot store, in ts, receivedAt and deviceTs', () => {
    const event = { ...base, kind: 'state', payload: { state: 'RUNNING' } };
    expect(eventEnvelope.safeParse(event).success).toBe(true);
    for (const field of ['ts', 'receivedAt', 'deviceTs'])
      for (const bad of ['0000-01-01T00:00:00Z', '9999-12-31T23:59:59-05:00', '2026-11-24T12:00:00-16:00']) {
        const parsed = eventEnvelope.safeParse({ ...event, [field]: bad });
        expect(parsed.success, `${field} ${bad}`).toBe(false);
        expect(parsed.error?.issues[0]?.path).toEqual([field]);
      }
    const nul = eventEnvelope.safeParse({ ...event, payload: { state: 'RUN\u0000' } });
    expect(nul.error?.issues[0]?.message).toMatch(/control characters/);
  });

  it('requires a UUIDv7 id', () => {
    const v4 = eventEnvelope.safeParse({
      ...base,
      id: '3b241101-e2bb-4255-8caf-4136c566a962',
      kind: 'state',
      payload: { state: 'X' },
    });
    expect(v4.success).toBe(false);
  });
});

describe('answer topics', () => {
  it('name the scanning device and are never taken for an event', () => {
    const topic = answerTopicFor({ plant: 'RIV', line: 'PACK', machine: 'PACK-1' });
    expect(topic).toBe('plantline/v1/RIV/PACK/PACK-1/answer');
    expect(parseAnswerTopic(topic)).toEqual({ plant: 'RIV', line: 'PACK', machine: 'PACK-1' });
    expect(isAnswerTopic(topic)).toBe(true);
    expect(parseTopic(topic).ok).toBe(false);
    expect(parseAnswerTopic('plantline/v1/RIV/L 1/M1/answer')).toBeNull();
    expect(isAnswerTopic('plantline/v1/RIV/L 1/M1/answer')).toBe(true);
    expect(isAnswerTopic('plantline/v1/RIV/L1/M1/scan')).toBe(false);
    expect(isAnswerTopic('plantline/v1/RIV/L1/answer')).toBe(false);
  });

  it('carry a typed result, refusing one the contract does not know', () => {
    const answer = {
      event: '0190b3a0-0000-7000-8000-000000000001',
      result: 'over_quantity',
      message: 'Only 2 more of BRK-100 wanted; the scan counts 5',
      station: 'PACK-1',
      shipment: 'SHP-RIV-2026-00001',
      item: null,
      ts: '2026-03-04T10:00:00.000Z',
    };
    expect(stationAnswerMessage.parse(answer)).toEqual(answer);
    expect(stationAnswerMessage.safeParse({ ...answer, result: 'maybe' }).success).toBe(false);
  });
});
