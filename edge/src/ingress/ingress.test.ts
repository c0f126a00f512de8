import { describe, expect, it } from 'vitest';
import { MAX_PAYLOAD_BYTES, toEnvelope } from './ingress';

const receivedAt = new Date('2026-11-24T12:00:00.000Z');
const envelope = (topic: string, payload: unknown) =>
  toEnvelope(topic, Buffer.from(JSON.stringify(payload)), receivedAt);

describe('toEnvelope', () => {
  it('wraps a valid message with an id, the address and the resolved time', () => {
    expect(
      envelope('plantline/v1/RIV/L1/M1/state', { state: 'DOWN', reason: 'JAM', ts: '2026-11-24T11:59:00Z' }),
    ).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{14}7/),
      plant: 'RIV',
      line: 'L1',
      machine: 'M1',
      kind: 'state',
      ts: '2026-11-24T11:59:00.000Z',
      receivedAt: '2026-11-24T12:00:00.000Z',
      payload: { state: 'DOWN', reason: 'JAM', ts: '2026-11-24T11:59:00Z' },
    });
  });

  it('uses the receive time for a device clock outside the skew bound, keeping the device value', () => {
    expect(envelope('plantline/v1/RIV/L1/M1/count', { good: 1, ts: '2027-01-01T00:00:00Z' })).toMatchObject({
      ts: '2026-11-24T12:00:00.000Z',
      deviceTs: '2027-01-01T00:00:00.000Z',
    });
  });

  it('says why a message is refused', () => {
    const big = Buffer.alloc(MAX_PAYLOAD_BYTES + 1, 32);
    expect(toEnvelope('plantline/v1/RIV/L1/M1/scan', big, receivedAt)).toEqual({
      reason: `payload of ${MAX_PAYLOAD_BYTES + 1} bytes exceeds ${MAX_PAYLOAD_BYTES}`,
    });
    expect(envelope('plantline/v1/RIV/L1/M1/count', { good: 0 })).toEqual({
      reason: 'invalid count payload: a count needs good or scrap above zero',
    });
    expect(envelope('plantline/v1/RIV/L1/M1/telemetry', { values: { 'bad name': 1 } })).toMatchObject({
      reason: expect.stringMatching(/^invalid telemetry payload: values/),
    });
  });
});
