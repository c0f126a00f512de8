import { describe, expect, it } from 'vitest';
import type { PlantEvent } from './api-types';
import {
  buildDirectory,
  consistentFilter,
  EMPTY_FILTER,
  eventSummary,
  filterOptions,
  filterSearch,
  formatEventTime,
  liveInput,
  matchesFilter,
  mergeEvents,
  nameOf,
  parseEventFilter,
  recentInput,
} from './events';

const P1 = '11111111-1111-4111-8111-111111111111';
const P2 = '22222222-2222-4222-8222-222222222222';
const L1 = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaa1';
const L2 = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaa2';
const M1 = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbb1';
const M2 = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbb2';

function stateEvent(id: string, time: string, extra: Partial<PlantEvent> = {}): PlantEvent {
  return {
    id,
    kind: 'state',
    plantId: P1,
    lineId: L1,
    machineId: M1,
    time,
    receivedAt: time,
    data: { state: 'RUNNING', reason: null },
    ...extra,
  } as PlantEvent;
}

const directory = buildDirectory(
  [
    { id: P1, code: 'RIV', name: 'Riverside' },
    { id: P2, code: 'LAK', name: 'Lakeside' },
  ],
  [
    { id: L1, plantId: P1, areaId: null, code: 'L1', name: 'Line 1' },
    { id: L2, plantId: P2, areaId: null, code: 'L1', name: 'Lake line 1' },
  ],
  [
    { id: M1, plantId: P1, lineId: L1, code: 'M1', name: 'Press' },
    { id: M2, plantId: P2, lineId: L2, code: 'M1', name: 'Lathe' },
  ],
);

describe('the filter in the URL', () => {
  it('round-trips', () => {
    const filter = { plantId: P1, lineId: L1, machineId: M1, kinds: ['state' as const, 'scan' as const] };
    const search = filterSearch(filter);
    expect(parseEventFilter(new URLSearchParams(search))).toEqual(filter);
  });

  it('ignores malformed ids and unknown kinds, and writes nothing for "everything"', () => {
    const params = new URLSearchParams('plant=x&line=1&kind=bogus&kind=count');
    expect(parseEventFilter(params)).toEqual({ ...EMPTY_FILTER, kinds: ['count'] });
    expect(filterSearch(EMPTY_FILTER)).toBe('');
    expect(filterSearch({ ...EMPTY_FILTER, kinds: ['state', 'count', 'scan', 'telemetry'] })).toBe('');
  });
});

describe('API inputs', () => {
  it('sends only what is chosen', () => {
    expect(liveInput(EMPTY_FILTER)).toEqual({});
    expect(recentInput(EMPTY_FILTER, null, 50)).toEqual({ limit: 50 });
    expect(recentInput({ plantId: P1, lineId: null, machineId: M1, kinds: ['count'] }, 'c1', 50)).toEqual({
      plantIds: [P1],
      machineIds: [M1],
      kinds: ['count'],
      before: 'c1',
      limit: 50,
    });
  });

  it('filters live events by kind and place', () => {
    const event = stateEvent('e1', '2026-01-01T00:00:00.000Z');
    expect(matchesFilter(event, EMPTY_FILTER)).toBe(true);
    expect(matchesFilter(event, { ...EMPTY_FILTER, kinds: ['count'] })).toBe(false);
    expect(matchesFilter(event, { ...EMPTY_FILTER, plantId: P2 })).toBe(false);
    expect(matchesFilter(event, { ...EMPTY_FILTER, plantId: P1, machineId: M1, kinds: ['state'] })).toBe(
      true,
    );
  });
});

describe('mergeEvents', () => {
  const a = stateEvent('0001', '2026-01-01T10:00:00.000Z');
  const b = stateEvent('0002', '2026-01-01T10:00:01.000Z');
  const c = stateEvent('0003', '2026-01-01T10:00:02.000Z');

  it('puts live events first, newest first, each once', () => {
    const { events, trimmed } = mergeEvents([b, a], [b, c], 10);
    expect(events.map((e) => e.id)).toEqual(['0003', '0002', '0001']);
    expect(trimmed).toBe(false);
  });

  it('orders events of the same instant by id', () => {
    const twin = stateEvent('0004', a.time);
    expect(mergeEvents([a], [twin], 10).events.map((e) => e.id)).toEqual(['0004', '0001']);
  });

  it('drops the oldest beyond the cap and says so', () => {
    const { events, trimmed } = mergeEvents([b, a], [c], 2);
    expect(events.map((e) => e.id)).toEqual(['0003', '0002']);
    expect(trimmed).toBe(true);
  });

  it('returns what was shown when nothing is new', () => {
    expect(mergeEvents([a], [a], 1)).toEqual({ events: [a], trimmed: false });
  });
});

describe('eventSummary', () => {
  const base = { id: 'e', plantId: P1, lineId: L1, machineId: M1, time: 't', receivedAt: 't' };
  it.each([
    [{ ...base, kind: 'state', data: { state: 'DOWN', reason: 'JAM' } }, 'DOWN · reason JAM'],
    [{ ...base, kind: 'state', data: { state: 'RUNNING', reason: null } }, 'RUNNING'],
    [
      { ...base, kind: 'count', data: { good: 12, scrap: 1, product: 'P-7', order: null } },
      '12 good · 1 scrap · product P-7',
    ],
    [
      { ...base, kind: 'scan', data: { code: 'LOT-9', symbology: 'qr', action: 'pick', station: 'S1' } },
      'pick LOT-9 (qr) at S1',
    ],
    [
      { ...base, kind: 'telemetry', data: { values: { temp: 61.2, a: 1, b: 2, c: 3, d: 4, e: 5 } } },
      'a 1, b 2, c 3, d 4 +2 more',
    ],
  ] as [PlantEvent, string][])('%#: %s', (event, expected) => {
    expect(eventSummary(event)).toBe(expected);
  });
});

describe('names and filter options', () => {
  it('resolves ids and shows unknown ones shortened', () => {
    expect(nameOf(directory.machines, M1).name).toBe('Press');
    expect(nameOf(directory.machines, 'cccccccc-0000-4000-8000-000000000000')).toEqual({
      code: 'cccccccc',
      name: 'Unknown (cccccccc)',
    });
  });

  it('offers the lines and machines of the chosen plant and line', () => {
    const all = filterOptions(directory, EMPTY_FILTER);
    expect(all.machines.map((m) => m.name)).toEqual(['Press', 'Lathe']);
    const lake = filterOptions(directory, { ...EMPTY_FILTER, plantId: P2 });
    expect(lake.lines.map((l) => l.name)).toEqual(['Lake line 1']);
    expect(lake.machines.map((m) => m.name)).toEqual(['Lathe']);
  });

  it('drops a line or machine of another plant when the plant changes', () => {
    const filter = { ...EMPTY_FILTER, plantId: P2, lineId: L1, machineId: M1 };
    expect(consistentFilter(directory, filter)).toEqual({ ...EMPTY_FILTER, plantId: P2 });
    const same = { ...EMPTY_FILTER, plantId: P1, lineId: L1, machineId: M1 };
    expect(consistentFilter(directory, same)).toEqual(same);
  });
});

describe('formatEventTime', () => {
  it('shows the time of day for today and the date for earlier days', () => {
    const now = new Date('2026-03-10T15:00:00Z');
    expect(formatEventTime('2026-03-10T14:03:09.120Z', now, 'UTC')).toBe('14:03:09');
    expect(formatEventTime('2026-03-09T23:59:59Z', now, 'UTC')).toBe('2026-03-09 23:59:59');
    expect(formatEventTime('2026-03-09T23:59:59Z', now, 'Europe/Berlin')).toBe('00:59:59');
  });
});
