import type { BusEvents, LiveEvent } from '../../platform/index.js';
import type { LoadedPlant } from './live-state.js';
import type { StateBucket } from './timeline.js';

/*
 * A plant as the live loader would read it, built in memory, for the tests of the live state and hub
 * (live-state.test.ts, live-hub.test.ts): plant P, line L1 with machines M1 and M2, an 8-hour shift
 * from SHIFT_START, RUNNING and DOWN mapped, a machine cycle time of 30 s.
 */

export const MIN = 60_000;
export const SHIFT_START = Date.UTC(2026, 0, 5, 6);
export const SHIFT_END = SHIFT_START + 8 * 60 * MIN;
export const TENANT = 'tenant-a';
export const PLANT = 'plant-p';
export const LINE = 'line-1';
export const M1 = 'machine-1';
export const M2 = 'machine-2';

const mapping = new Map<string, StateBucket>([
  ['RUNNING', 'running'],
  ['DOWN', 'availability_loss'],
]);

/** The plant loaded at `now` as of commit `seq`; `inShift: false` is a load between shifts. */
export function loadedPlant(now: number, options: { seq?: number; inShift?: boolean } = {}): LoadedPlant {
  const inShift = options.inShift ?? true;
  const shift = {
    id: 'shift-1',
    name: 'Early',
    businessDate: '2026-01-05',
    start: SHIFT_START,
    end: SHIFT_END,
  };
  const window = inShift
    ? { start: SHIFT_START, end: SHIFT_END, kind: 'shift' as const, label: 'Early', live: true, shift }
    : null;
  const machine = (machineId: string) => ({
    machineId,
    inherited: { time: SHIFT_START - 60 * MIN, state: 'RUNNING', reason: null },
    events: [],
    counts: [],
    plannedDowntimes: [],
    idealCycleTimes: { machineDefaultSeconds: 30 },
  });
  return {
    seq: options.seq ?? 10,
    now,
    window,
    nextShiftAt: inShift || now >= SHIFT_START ? SHIFT_START + 24 * 60 * MIN : SHIFT_START,
    sources: {
      range: window ?? { start: now, end: now },
      now,
      stateCodes: new Map([
        ['RUNNING', { name: 'Running', colour: '#2e7d32', bucket: 'running' as const }],
        ['DOWN', { name: 'Down', colour: '#c62828', bucket: 'availability_loss' as const }],
      ]),
      mapping,
      shifts: inShift ? [shift] : [],
      machines: new Map([M1, M2].map((id) => [id, machine(id)])),
    },
    lines: [{ id: LINE, code: 'L1', name: 'Line 1' }],
    machines: [
      { id: M1, code: 'M1', name: 'Machine 1', lineId: LINE },
      { id: M2, code: 'M2', name: 'Machine 2', lineId: LINE },
    ],
    lateStates: [],
    lateCounts: [],
  };
}

let eventNumber = 0;

function event(machineId: string, time: number, rest: Pick<LiveEvent, 'kind' | 'data'>): LiveEvent {
  eventNumber += 1;
  const iso = new Date(time).toISOString();
  return {
    id: `event-${eventNumber}`,
    plantId: PLANT,
    lineId: LINE,
    machineId,
    time: iso,
    receivedAt: iso,
    ...rest,
  } as LiveEvent;
}

export const countEvent = (machineId: string, time: number, good: number, scrap = 0) =>
  event(machineId, time, { kind: 'count', data: { good, scrap, product: null, order: null } });

export const stateEvent = (machineId: string, time: number, state: string, reason: string | null = null) =>
  event(machineId, time, { kind: 'state', data: { state, reason } });

export const commit = (seq: number, ...events: LiveEvent[]): BusEvents['events.ingested'] => ({
  tenantId: TENANT,
  seq,
  events,
});
