import { describe, expect, it } from 'vitest';
import { borderPoint, bowOffsets, edgeGeometry } from './edge-geometry';

const box = (x: number, y: number) => ({ x, y, width: 100, height: 40 });

describe('borderPoint', () => {
  it('leaves a box through the side facing the other point', () => {
    expect(borderPoint(box(0, 0), { x: 50, y: 200 })).toEqual({ x: 50, y: 40 });
    expect(borderPoint(box(0, 0), { x: 500, y: 20 })).toEqual({ x: 100, y: 20 });
    expect(borderPoint(box(0, 0), { x: 50, y: 20 })).toEqual({ x: 50, y: 20 });
  });
});

describe('edgeGeometry', () => {
  it('draws a straight arrow between the facing borders of two boxes', () => {
    const g = edgeGeometry(box(0, 0), box(0, 200), 0, false);
    expect(g.path).toBe('M 50 40 L 50 200');
    expect([g.labelX, g.labelY]).toEqual([50, 120]);
  });

  it('bows transitions between the same boxes to either side', () => {
    const left = edgeGeometry(box(0, 0), box(0, 200), -0.5, false);
    const right = edgeGeometry(box(0, 0), box(0, 200), 0.5, false);
    expect(left.path).toContain(' Q ');
    expect(left.labelX).toBeGreaterThan(50);
    expect(right.labelX).toBeLessThan(50);
    expect(left.labelY).toBeCloseTo(right.labelY, 5);
  });

  it('draws a loop on the right of a box for a transition to itself', () => {
    const g = edgeGeometry(box(0, 0), box(0, 0), 0, true);
    expect(g.path.startsWith('M 100 12 C')).toBe(true);
    expect(g.labelX).toBeGreaterThan(100);
    expect(g.labelY).toBe(20);
    expect(edgeGeometry(box(0, 0), box(0, 0), 1, true).labelX).toBeGreaterThan(g.labelX);
  });
});

describe('bowOffsets', () => {
  it('keeps a lone transition straight', () => {
    expect(bowOffsets([{ key: 'a', from: 'x', to: 'y' }]).get('a')).toBe(0);
  });

  it('spreads transitions between the same states, either way, to separate sides', () => {
    const offsets = bowOffsets([
      { key: 'approve', from: 'review', to: 'closed' },
      { key: 'reopen', from: 'closed', to: 'review' },
      { key: 'submit', from: 'draft', to: 'review' },
    ]);
    expect(offsets.get('submit')).toBe(0);
    // Against the pair's fixed direction (closed → review) approve sits at −½ and reopen at +½; each
    // is stated against its own direction, so both read +½ and bow to opposite sides.
    expect(offsets.get('approve')).toBe(0.5);
    expect(offsets.get('reopen')).toBe(0.5);
  });

  it('numbers loops outwards', () => {
    const offsets = bowOffsets([
      { key: 'a', from: 'x', to: 'x' },
      { key: 'b', from: 'x', to: 'x' },
    ]);
    expect([offsets.get('a'), offsets.get('b')]).toEqual([0, 1]);
  });
});
