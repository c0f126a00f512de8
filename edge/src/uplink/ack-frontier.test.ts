import { describe, expect, it } from 'vitest';
import { AckFrontier } from './ack-frontier';

describe('AckFrontier', () => {
  it('moves only over records that are all done, whatever order they finish in', () => {
    const frontier = new AckFrontier();
    const tickets = [10, 11, 12, 13, 14].map((seq) => frontier.add(seq));
    expect(frontier.done([tickets[1]!, tickets[3]!])).toBeUndefined();
    expect(frontier.outstanding).toBe(5);
    expect(frontier.done([tickets[0]!])).toBe(12);
    expect(frontier.done([tickets[4]!])).toBeUndefined();
    expect(frontier.done([tickets[2]!])).toBe(15);
    expect(frontier.outstanding).toBe(0);
  });

  it('acknowledges past gaps in the seqs (records the outbox skipped)', () => {
    const frontier = new AckFrontier();
    const a = frontier.add(3);
    const b = frontier.add(9);
    expect(frontier.done([b])).toBeUndefined();
    expect(frontier.done([a])).toBe(10);
  });

  it('keeps its tickets valid while it drops what it passed', () => {
    const frontier = new AckFrontier();
    let seq = 0;
    const open: number[] = [];
    for (let round = 0; round < 20; round++) {
      const tickets = Array.from({ length: 1000 }, () => frontier.add(seq++));
      // The first of each round stays open a round longer than the rest.
      const [first, ...rest] = tickets;
      frontier.done(rest);
      if (open.length > 0) expect(frontier.done(open.splice(0))).toBe(round * 1000);
      open.push(first!);
    }
    expect(frontier.done(open)).toBe(20_000);
    expect(frontier.outstanding).toBe(0);
  });

  it('refuses a ticket it never gave or already passed', () => {
    const frontier = new AckFrontier();
    const ticket = frontier.add(0);
    expect(frontier.done([ticket])).toBe(1);
    expect(() => frontier.done([ticket])).toThrow(/unknown ticket/);
    expect(() => frontier.done([5])).toThrow(/unknown ticket/);
  });
});
