import { DEMO_PLANTS, eventEnvelope } from '@plantline/schema';
import { describe, expect, it } from 'vitest';
import { chunkEvents, deterministicUuidV7, historyChunks, historyEnvelope } from './history';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('the demo history', () => {
  it("covers [from, to) with each plant's shifts, newest first, without gaps or overlaps", () => {
    const to = Date.parse('2026-12-04T15:27:56.936Z');
    const from = to - 7 * DAY;
    const chunks = historyChunks(DEMO_PLANTS, from, to);
    expect(chunks[0]!.end).toBe(to);
    expect(chunks.map((c) => c.end)).toEqual([...chunks.map((c) => c.end)].sort((a, b) => b - a));
    for (const plant of DEMO_PLANTS) {
      const own = chunks.filter((c) => c.plant === plant).sort((a, b) => a.start - b.start);
      expect(own[0]!.start).toBe(from);
      expect(own.at(-1)!.end).toBe(to);
      for (let i = 1; i < own.length; i++) expect(own[i]!.start).toBe(own[i - 1]!.end);
      // Inner chunks are whole shifts: they start at 06:00, 14:00 or 22:00 local time.
      const starts = own.slice(1).map((c) =>
        new Intl.DateTimeFormat('en-GB', {
          timeZone: plant.timezone,
          hour: '2-digit',
          minute: '2-digit',
        }).format(c.start),
      );
      expect(new Set(starts)).toEqual(new Set(['06:00', '14:00', '22:00']));
    }
    expect(chunks.at(-1)!.day).toBe(7);
    expect(chunks[0]!.day).toBe(1);
  });

  it('leaves no gap on a DST night', () => {
    // Berlin fell back on 25 October 2026 at 03:00: the night shift from 22:00 ran 9 hours.
    const to = Date.parse('2026-10-25T12:00:00Z');
    const riv = DEMO_PLANTS.filter((p) => p.code === 'RIV');
    const chunks = historyChunks(riv, to - 2 * DAY, to).sort((a, b) => a.start - b.start);
    for (let i = 1; i < chunks.length; i++) expect(chunks[i]!.start).toBe(chunks[i - 1]!.end);
    expect(chunks.reduce((sum, c) => sum + c.end - c.start, 0)).toBe(2 * DAY);
    expect(chunks.every((c) => c.end - c.start <= 8 * HOUR)).toBe(true);
  });

  it('makes the same envelopes on every run, valid by the edge contract, with ids of their own time', () => {
    const to = Date.parse('2026-12-04T14:00:00Z');
    const [chunk] = historyChunks(DEMO_PLANTS, to - 2 * HOUR, to);
    const envelopes = () =>
      [...chunkEvents(chunk!)].map(({ ts, event }, i) => historyEnvelope(chunk!, i, ts, event));
    const first = envelopes();
    expect(first.length).toBeGreaterThan(500);
    expect(envelopes()).toEqual(first);
    expect(new Set(first.map((e) => e.id)).size).toBe(first.length);
    for (const envelope of first) {
      expect(eventEnvelope.safeParse(envelope).success).toBe(true);
      expect(Date.parse(envelope.ts)).toBeGreaterThanOrEqual(chunk!.start);
      expect(Date.parse(envelope.ts)).toBeLessThan(chunk!.end);
      expect(Number.parseInt(envelope.id.replaceAll('-', '').slice(0, 12), 16)).toBe(Date.parse(envelope.ts));
    }
  });

  it('derives UUIDv7 ids from a key', () => {
    const id = deterministicUuidV7(Date.parse('2026-12-04T14:00:00Z'), 'RIV/1/2');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(deterministicUuidV7(Date.parse('2026-12-04T14:00:00Z'), 'RIV/1/2')).toBe(id);
    expect(deterministicUuidV7(Date.parse('2026-12-04T14:00:00Z'), 'RIV/1/3')).not.toBe(id);
  });
});
