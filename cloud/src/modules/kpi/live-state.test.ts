import { describe, expect, it } from 'vitest';
import {
  commit,
  countEvent,
  LINE,
  loadedPlant,
  M1,
  M2,
  MIN,
  PLANT,
  SHIFT_END,
  SHIFT_START,
  stateEvent,
} from './live-fixtures.js';
import { LIVE_MIN_INTERVAL_MS, LivePlantState, REVALIDATE_MS } from './live-state.js';
import type { LiveKpiUpdate } from './live-types.js';

/*
 * The live state on plain instants (no database, no timers): what a load plus applied events
 * computes, which fields an update carries, and when the hub is told to wake.
 */

const LOADED_AT = SHIFT_START + 60 * MIN;

function loaded(options: { inShift?: boolean; at?: number } = {}) {
  const at = options.at ?? LOADED_AT;
  const state = new LivePlantState(PLANT);
  state.install(loadedPlant(at, options));
  state.recomputeAll(at);
  return state;
}

const machineIn = (update: LiveKpiUpdate | null, id: string) =>
  update?.machines.find((m) => m.machineId === id);

describe('LivePlantState', () => {
  it('gives a snapshot of the loaded shift: figures, states since they began, a trend per line', () => {
    const snapshot = loaded().snapshot(LOADED_AT);
    expect(snapshot.shift).toEqual({
      id: 'shift-1',
      name: 'Early',
      businessDate: '2026-01-05',
      start: SHIFT_START,
      end: SHIFT_END,
    });
    expect(snapshot.machines.map((m) => [m.code, m.state?.code, m.state?.since, m.pbtMs])).toEqual([
      ['M1', 'RUNNING', SHIFT_START - 60 * MIN, 60 * MIN],
      ['M2', 'RUNNING', SHIFT_START - 60 * MIN, 60 * MIN],
    ]);
    expect(snapshot.lines).toEqual([expect.objectContaining({ lineId: LINE, code: 'L1', machineCount: 2 })]);
    expect(snapshot.plant.availability).toEqual({ value: 1, reason: null });
    // Closed points at 15, 30 and 45 minutes, then the one at now.
    expect(snapshot.trends[0]?.points.map((p) => p.t)).toEqual([
      SHIFT_START + 15 * MIN,
      SHIFT_START + 30 * MIN,
      SHIFT_START + 45 * MIN,
      LOADED_AT,
    ]);
  });

  it('sends an applied count a second after the last send, with only the fields that changed', () => {
    const state = loaded();
    const applied = state.apply(commit(11, countEvent(M1, SHIFT_START + 30 * MIN, 120)), LOADED_AT + 100);
    expect(applied).toEqual({ reload: null, wakeAt: LOADED_AT + LIVE_MIN_INTERVAL_MS });
    expect(state.flush(LOADED_AT + 500)).toBeNull();
    const update = state.flush(LOADED_AT + 1000);
    const m1 = machineIn(update, M1);
    expect(m1).toMatchObject({ machineId: M1, goodQuantity: 120, producedQuantity: 120 });
    // 120 pieces at 30 s in a little over an hour of running.
    expect(m1?.performance?.value).toBeCloseTo((120 * 30_000) / (60 * MIN + 1000), 9);
    expect(m1).not.toHaveProperty('state');
    expect(m1).not.toHaveProperty('code');
    // M2 only moved with time.
    expect(machineIn(update, M2)).not.toHaveProperty('goodQuantity');
    expect(update?.plant).toMatchObject({ goodQuantity: 120 });
    expect(update?.lines).toEqual([expect.objectContaining({ lineId: LINE, goodQuantity: 120 })]);
  });

  it('folds the events of one second into one update', () => {
    const state = loaded();
    state.apply(commit(11, countEvent(M1, LOADED_AT + 100, 3)), LOADED_AT + 100);
    state.apply(commit(12, countEvent(M1, LOADED_AT + 200, 4, 1)), LOADED_AT + 200);
    const update = state.flush(LOADED_AT + 1000);
    expect(machineIn(update, M1)).toMatchObject({ goodQuantity: 7, scrapQuantity: 1 });
    expect(state.flush(LOADED_AT + 1500)).toBeNull();
  });

  it('skips a commit the load saw, and events of other plants or machines it does not know', () => {
    const state = loaded();
    expect(state.apply(commit(10, countEvent(M1, LOADED_AT, 5)), LOADED_AT + 100).wakeAt).toBe(
      Number.POSITIVE_INFINITY,
    );
    const elsewhere = { ...countEvent(M1, LOADED_AT, 5), plantId: 'plant-q' };
    const unknown = countEvent('machine-new', LOADED_AT, 5);
    expect(state.apply(commit(11, elsewhere, unknown), LOADED_AT + 100).wakeAt).toBe(
      Number.POSITIVE_INFINITY,
    );
    expect(machineIn(state.flush(LOADED_AT + 1000), M1)).not.toHaveProperty('goodQuantity');
  });

  it('asks for a reload when a late state lands before a dropped repeat, and applies one after it', () => {
    const state = loaded();
    const at = (minutes: number) => LOADED_AT - minutes * MIN;
    const first = state.apply(
      commit(
        11,
        stateEvent(M1, at(10), 'DOWN'),
        stateEvent(M1, at(4), 'RUNNING'),
        stateEvent(M1, at(2), 'RUNNING'),
      ),
      LOADED_AT,
    );
    expect(first.reload).toBeNull();
    expect(state.apply(commit(12, stateEvent(M1, at(5), 'DOWN')), LOADED_AT).reload).toBe('late state event');
    expect(state.apply(commit(13, stateEvent(M1, at(1), 'DOWN')), LOADED_AT).reload).toBeNull();
  });

  it('between shifts sends states only, and wakes for the next shift or the re-read', () => {
    const now = SHIFT_START - 2 * MIN;
    const state = loaded({ inShift: false, at: now });
    const snapshot = state.snapshot(now);
    expect(snapshot.shift).toBeNull();
    expect(snapshot.plant.oee.value).toBeNull();
    expect(snapshot.trends[0]?.points).toEqual([]);
    // Time alone moves nothing: the next wake-up is the next shift's start.
    expect(state.nextWakeAt(now)).toBe(SHIFT_START);
    state.apply(commit(11, stateEvent(M1, now + 100, 'DOWN', 'jam')), now + 100);
    const update = state.flush(now + 1000);
    expect(update?.machines).toEqual([
      {
        machineId: M1,
        state: {
          code: 'DOWN',
          name: 'Down',
          colour: '#c62828',
          bucket: 'availability_loss',
          mapped: true,
          reason: 'jam',
          since: now + 100,
        },
        lastEventAt: now + 100,
      },
    ]);
    expect(update?.plant).toBeNull();
    expect(state.takeReloadDue(SHIFT_START - 1)).toBe(false);
    expect(state.takeReloadDue(SHIFT_START)).toBe(true);
    expect(state.takeReloadDue(SHIFT_START + 1)).toBe(false);
  });

  it('re-reads every few minutes within a shift, and sends every second while it runs', () => {
    const state = loaded();
    expect(state.nextWakeAt(LOADED_AT)).toBe(LOADED_AT + LIVE_MIN_INTERVAL_MS);
    expect(state.takeReloadDue(LOADED_AT + REVALIDATE_MS - 1)).toBe(false);
    expect(state.takeReloadDue(LOADED_AT + REVALIDATE_MS)).toBe(true);
  });

  it('keeps flushes a quarter second apart when machines fall due at different times', () => {
    const now = SHIFT_START - 10 * MIN;
    const state = loaded({ inShift: false, at: now });
    state.apply(commit(11, stateEvent(M1, now + 100, 'DOWN')), now + 100);
    expect(state.flush(now + 1000)?.machines).toHaveLength(1);
    // M2 was last sent at the load, so it is due already; the last flush was just now.
    expect(state.apply(commit(12, stateEvent(M2, now + 1050, 'DOWN')), now + 1050).wakeAt).toBe(now + 1250);
    expect(state.nextWakeAt(now + 1050)).toBe(now + 1250);
  });

  it('sends the trend point at now each second, and the closed points again when a late count lands in one', () => {
    const state = loaded();
    // The load's point at now (one hour in) is now the closed point there, unchanged: only now is new.
    const first = state.flush(LOADED_AT + 1000);
    expect(first?.trends).toEqual([
      { lineId: LINE, from: 4, points: [expect.objectContaining({ t: LOADED_AT + 1000 })] },
    ]);
    state.apply(commit(11, countEvent(M2, SHIFT_START + 20 * MIN, 50)), LOADED_AT + 1100);
    const second = state.flush(LOADED_AT + 2000);
    const patch = second?.trends[0];
    expect(patch?.from).toBe(1);
    expect(patch?.points.map((p) => [p.t, p.throughput])).toEqual([
      [SHIFT_START + 30 * MIN, 50],
      [SHIFT_START + 45 * MIN, 0],
      [SHIFT_START + 60 * MIN, 0],
      [LOADED_AT + 2000, 0],
    ]);
  });
});
