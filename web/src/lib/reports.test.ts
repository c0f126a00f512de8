import { describe, expect, it } from 'vitest';
import { cellText, moveColumn, periodOf, progressOf } from './reports';

describe('report pages', () => {
  it('turns the form into a period: a preset as is, a range only when whole and ordered', () => {
    expect(periodOf('lastIsoWeek', '', '')).toEqual({ period: { preset: 'lastIsoWeek' } });
    expect(periodOf('range', '2026-03-01T00:00', '')).toEqual({ problem: 'Enter both ends of the period' });
    expect(periodOf('range', '2026-03-02T00:00', '2026-03-01T00:00')).toEqual({
      problem: 'The period ends before it starts',
    });
    const ok = periodOf('range', '2026-03-01T00:00', '2026-03-02T00:00');
    expect('period' in ok && ok.period.preset).toBe('range');
  });

  it('shows cells by column type, with a dash for no data', () => {
    expect(cellText({ type: 'percent', decimals: 1 }, 0.4796)).toBe('48.0 %');
    expect(cellText({ type: 'percent', decimals: 1 }, null)).toBe('–');
    expect(cellText({ type: 'duration', decimals: 1 }, 60)).toBe('60.0');
    expect(cellText({ type: 'integer' }, 365)).toBe('365');
    expect(cellText({ type: 'datetime' }, '2026-03-29T06:00:00.000Z')).toBe('2026-03-29 06:00');
    expect(cellText({ type: 'text' }, null)).toBe('');
  });

  it('gives progress when the expected rows are known', () => {
    expect(progressOf({ status: 'running', progressRows: 50, expectedRows: 200 })).toBe(0.25);
    expect(progressOf({ status: 'running', progressRows: 50, expectedRows: null })).toBeNull();
    expect(progressOf({ status: 'succeeded', progressRows: 0, expectedRows: 0 })).toBe(1);
  });

  it('moves a column up or down, not past the ends', () => {
    expect(moveColumn(['a', 'b', 'c'], 1, -1)).toEqual(['b', 'a', 'c']);
    expect(moveColumn(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'b', 'c']);
  });
});
