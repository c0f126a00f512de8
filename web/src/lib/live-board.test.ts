import { describe, expect, it } from 'vitest';
import {
  applyLiveMessage,
  type BoardState,
  boardHref,
  boardRows,
  chosenPlant,
  formatDuration,
  formatKpi,
  formatShiftRange,
  type LiveFigures,
  type LiveKpiSnapshot,
  type LiveLine,
  type LiveMachine,
  textOn,
} from './live-board';

const PLANT = '11111111-1111-4111-8111-111111111111';
const L1 = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const L2 = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';

const figures: LiveFigures = {
  oee: { value: 0.5, reason: null },
  availability: { value: 0.8, reason: null },
  performance: { value: 0.75, reason: null },
  quality: { value: 5 / 6, reason: null },
  pbtMs: 3_600_000,
  aptMs: 2_880_000,
  idealTimeMs: 2_160_000,
  producedQuantity: 120,
  goodQuantity: 100,
  scrapQuantity: 20,
  performanceAboveIdeal: false,
  hasGaps: false,
  missingIdealCycleTime: false,
};

const line = (lineId: string, code: string): LiveLine => ({
  ...figures,
  lineId,
  code,
  name: `Line ${code}`,
  machineCount: 1,
});
const machine = (machineId: string, lineId: string, code: string): LiveMachine => ({
  ...figures,
  machineId,
  lineId,
  code,
  name: `machine ${code}`,
  state: null,
  lastEventAt: null,
});

const snapshot = (over: Partial<LiveKpiSnapshot> = {}): LiveKpiSnapshot => ({
  type: 'snapshot',
  plantId: PLANT,
  asOf: 1_000,
  shift: { id: 's1', name: 'Early', businessDate: '2026-11-25', start: 0, end: 8 * 3_600_000 },
  plant: figures,
  lines: [line(L1, 'L1'), line(L2, 'L2')],
  machines: [machine('m1', L1, 'M1'), machine('m2', L1, 'M2'), machine('m3', L2, 'M3')],
  trends: [
    { lineId: L1, bucketMs: 900_000, points: [{ t: 900_000, oee: 0.5, throughput: 10 }] },
    { lineId: L2, bucketMs: 900_000, points: [] },
  ],
  ...over,
});

function boardOf(s = snapshot()): BoardState {
  const board = applyLiveMessage(null, s);
  if (board === null) throw new Error('no board');
  return board;
}

describe('applyLiveMessage', () => {
  it('takes a snapshot as the whole board', () => {
    const board = boardOf();
    expect(board.plantId).toBe(PLANT);
    expect(board.shift?.name).toBe('Early');
    expect(board.machines.map((m) => m.code)).toEqual(['M1', 'M2', 'M3']);
  });

  it('merges an update field by field, leaving unchanged entities as they were', () => {
    const before = boardOf();
    const after = applyLiveMessage(before, {
      type: 'update',
      plantId: PLANT,
      asOf: 2_000,
      plant: { goodQuantity: 101 },
      lines: [{ lineId: L1, goodQuantity: 51 }],
      machines: [{ machineId: 'm1', goodQuantity: 13, oee: { value: null, reason: 'no_produced_quantity' } }],
      trends: [{ lineId: L1, from: 1, points: [{ t: 1_000_000, oee: 0.52, throughput: 2 }] }],
    });
    expect(after?.asOf).toBe(2_000);
    expect(after?.plant.goodQuantity).toBe(101);
    expect(after?.plant.scrapQuantity).toBe(20);
    expect(after?.lines[0]?.goodQuantity).toBe(51);
    expect(after?.lines[0]?.name).toBe('Line L1');
    expect(after?.machines[0]).toMatchObject({ goodQuantity: 13, code: 'M1', scrapQuantity: 20 });
    expect(after?.machines[0]?.oee).toEqual({ value: null, reason: 'no_produced_quantity' });
    // Untouched entities keep their identity, so their tiles do not render again.
    expect(after?.machines[1]).toBe(before.machines[1]);
    expect(after?.lines[1]).toBe(before.lines[1]);
    expect(after?.trends[L1]).toEqual([
      { t: 900_000, oee: 0.5, throughput: 10 },
      { t: 1_000_000, oee: 0.52, throughput: 2 },
    ]);
    expect(after?.trends[L2]).toBe(before.trends[L2]);
  });

  it('keeps the plant total when the update says it did not change', () => {
    const before = boardOf();
    const after = applyLiveMessage(before, {
      type: 'update',
      plantId: PLANT,
      asOf: 3,
      plant: null,
      lines: [],
      machines: [],
      trends: [],
    });
    expect(after?.plant).toBe(before.plant);
    expect(after?.trends).toBe(before.trends);
    expect(after?.machines).toBe(before.machines);
  });

  it('replaces everything with a new snapshot (next shift)', () => {
    const board = boardOf();
    const next = applyLiveMessage(board, snapshot({ shift: null, lines: [], machines: [] }));
    expect(next?.shift).toBeNull();
    expect(next?.machines).toEqual([]);
  });

  it('ignores updates before a snapshot, for another plant, and for unknown machines', () => {
    const update = {
      type: 'update' as const,
      plantId: PLANT,
      asOf: 1,
      plant: null,
      lines: [],
      machines: [{ machineId: 'unknown', goodQuantity: 1 }],
      trends: [{ lineId: 'unknown', from: 0, points: [] }],
    };
    expect(applyLiveMessage(null, update)).toBeNull();
    const board = boardOf();
    expect(applyLiveMessage(board, { ...update, plantId: 'other' })).toBe(board);
    expect(applyLiveMessage(board, update)?.machines).toEqual(board.machines);
    expect(applyLiveMessage(board, update)?.trends).toEqual(board.trends);
  });
});

describe('boardRows', () => {
  it('groups machines under their lines in the snapshot order', () => {
    const rows = boardRows(boardOf());
    expect(rows.map((r) => [r.line.code, r.machines.map((m) => m.code)])).toEqual([
      ['L1', ['M1', 'M2']],
      ['L2', ['M3']],
    ]);
    expect(rows.map((r) => r.trend.length)).toEqual([1, 0]);
  });
});

describe('formatKpi', () => {
  it('shows a percentage with one decimal', () => {
    expect(formatKpi({ value: 0.8567, reason: null })).toEqual({
      text: '85.7 %',
      label: '85.7 %',
      noData: false,
    });
  });

  it('shows P above 100 % as measured', () => {
    expect(formatKpi({ value: 1.12, reason: null }).text).toBe('112.0 %');
  });

  it('shows "no data" as a dash with the reason', () => {
    const shown = formatKpi({ value: null, reason: 'no_planned_busy_time' });
    expect(shown.text).toBe('—');
    expect(shown.noData).toBe(true);
    expect(shown.label).toMatch(/nothing was planned/);
  });
});

describe('formatDuration', () => {
  it.each([
    [-5, '0:00'],
    [999, '0:00'],
    [42_000, '0:42'],
    [12 * 60_000 + 5_000, '12:05'],
    [3 * 3_600_000 + 7 * 60_000 + 9_000, '3:07:09'],
    [2 * 86_400_000 + 4 * 3_600_000, '2 d 04:00'],
  ])('%d ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('formatShiftRange', () => {
  it('shows the shift in the plant time zone', () => {
    const start = Date.UTC(2026, 10, 25, 5, 0);
    const end = Date.UTC(2026, 10, 25, 13, 0);
    expect(formatShiftRange({ start, end }, 'Europe/Berlin')).toBe('06:00–14:00');
  });
});

describe('chosenPlant', () => {
  const plants = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];
  it('takes the wanted plant when the user may see it, without waiting for which plants have lines', () => {
    expect(chosenPlant(plants, 'b', undefined)).toBe('b');
    expect(chosenPlant(plants, 'b', ['c'])).toBe('b');
  });

  it('else the first plant the cloud prefers, once known; the first plant when none fits or it is unknown', () => {
    expect(chosenPlant(plants, null, undefined)).toBeUndefined();
    expect(chosenPlant(plants, 'x', ['c', 'b'])).toBe('c');
    expect(chosenPlant(plants, 'x', ['z', 'b'])).toBe('b');
    expect(chosenPlant(plants, null, ['z'])).toBe('a');
    expect(chosenPlant(plants, null, [])).toBe('a');
    expect(chosenPlant(plants, null, null)).toBe('a');
    expect(chosenPlant([], 'a', undefined)).toBeNull();
  });
});

describe('boardHref', () => {
  it('sets the plant and enters or leaves kiosk mode, keeping the rest', () => {
    const params = new URLSearchParams({ plant: 'a', kiosk: '1' });
    expect(boardHref(params, { kiosk: false })).toBe('/board?plant=a');
    expect(boardHref(new URLSearchParams(), { kiosk: false })).toBe('/board');
    expect(boardHref(new URLSearchParams({ plant: 'a' }), { plant: 'b', kiosk: true })).toBe(
      '/board?plant=b&kiosk=1',
    );
    expect(boardHref(params, { plant: 'b' })).toBe('/board?plant=b&kiosk=1');
  });
});

describe('textOn', () => {
  it('picks dark text on light colours and white on dark ones', () => {
    expect(textOn('#ffff00')).toBe('#1b2733');
    expect(textOn('#1d5fa8')).toBe('#ffffff');
    expect(textOn(null)).toBe('#1b2733');
  });
});
