import { describe, expect, it } from 'vitest';
import { toEnvelope } from '../ingress/ingress';
import { laneOf, laneOfParsed } from './lanes';

/** A record as the ingress writes it into the outbox. */
function record(plant: string, line: string, machine: string, kind = 'count', payload = '{"good":1}') {
  const event = toEnvelope(
    `plantline/v1/${plant}/${line}/${machine}/${kind}`,
    Buffer.from(payload),
    new Date(),
  );
  if ('reason' in event) throw new Error(event.reason);
  return Buffer.from(JSON.stringify(event));
}

const machines = Array.from({ length: 200 }, (_, n) => ({
  plant: `P${n % 3}`,
  line: `L-${n % 7}`,
  machine: `M_${n}`,
}));

describe('laneOf', () => {
  it('puts every event of a machine in the same lane, whatever its kind or payload', () => {
    for (const { plant, line, machine } of machines.slice(0, 20)) {
      const lanes = new Set([
        laneOf(record(plant, line, machine), 4),
        laneOf(record(plant, line, machine, 'count', '{"good":7,"product":"\\"plant\\":\\"X"}'), 4),
        laneOf(record(plant, line, machine, 'state', '{"state":"RUNNING"}'), 4),
        laneOf(record(plant, line, machine, 'scan', '{"code":"\\u001d01"}'), 4),
      ]);
      expect(lanes.size).toBe(1);
    }
  });

  it('reads the same lane from the bytes as from the parsed record', () => {
    for (const lanes of [2, 3, 4, 8]) {
      for (const { plant, line, machine } of machines) {
        const body = record(plant, line, machine);
        expect(laneOf(body, lanes)).toBe(laneOfParsed(body, lanes));
      }
    }
  });

  it('gives a record in another key order the lane of the same machine', () => {
    const body = record('RIV', 'L1', 'M7');
    const { machine, line, plant, ...rest } = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    const reordered = Buffer.from(JSON.stringify({ ...rest, machine, line, plant }));
    expect(laneOf(reordered, 5)).toBe(laneOf(body, 5));
  });

  it('spreads machines over all lanes', () => {
    const counts = [0, 0, 0, 0];
    for (const { plant, line, machine } of machines) counts[laneOf(record(plant, line, machine), 4)]!++;
    for (const count of counts) expect(count).toBeGreaterThan(machines.length / 8);
  });

  it('sends what is not an event envelope to lane 0, and everything to lane 0 with one lane', () => {
    expect(laneOf(Buffer.from('not json'), 4)).toBe(0);
    expect(laneOf(Buffer.from('[1,2]'), 4)).toBe(0);
    expect(laneOf(Buffer.from('{"id":"x","plant":1}'), 4)).toBe(0);
    expect(laneOf(record('RIV', 'L1', 'M1'), 1)).toBe(0);
  });
});
