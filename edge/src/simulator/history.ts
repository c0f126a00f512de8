import { createHash } from 'node:crypto';
import type { DemoPlant, EventEnvelope } from '@plantline/schema';
import { toEnvelope } from '../ingress/ingress';
import { PlantModel, plantLayout, type SimEvent } from './plant-model';
import { SHIFT_MS, shiftPhaseAt } from './shift-clock';

/*
 * The demo's past (docs/demo.md): the same plant model, run over the days before the live
 * simulator starts, in chunks of one plant's shift. Each chunk is a fresh model started at the
 * shift's beginning with a seed of its own, so a chunk can be made on its own — newest first, which
 * puts useful data on screen soonest, and again after a restart without replaying what came before.
 */

export interface HistoryChunk {
  plant: DemoPlant;
  /** Epoch ms: [start, end). */
  start: number;
  end: number;
  /** 1 for the most recent day, `days` for the oldest. */
  day: number;
}

const DAY_MS = 24 * 3_600_000;

/**
 * The chunks covering [from, to) for each plant, newest first: each plant's shifts in its own time
 * zone, cut at `from` and `to` (the 9-hour shift of a DST night comes as two chunks), never longer
 * than a shift.
 */
export function historyChunks(plants: readonly DemoPlant[], from: number, to: number): HistoryChunk[] {
  const chunks: HistoryChunk[] = [];
  for (const plant of plants) {
    let end = to;
    while (end > from) {
      const shiftStart = end - 1 - shiftPhaseAt(new Date(end - 1), plant.timezone);
      const start = Math.max(from, shiftStart);
      chunks.push({ plant, start, end, day: Math.floor((to - end) / DAY_MS) + 1 });
      end = start;
    }
  }
  // Newest first; the plants' order breaks ties, so the order never depends on the sort.
  return chunks.sort((a, b) => b.end - a.end || plants.indexOf(a.plant) - plants.indexOf(b.plant));
}

/** The chunk's model events, with their times. */
export function* chunkEvents(chunk: HistoryChunk): Generator<{ ts: number; event: SimEvent }> {
  const seed = hash32(`${chunk.plant.code}/${chunk.start}`);
  const model = new PlantModel(plantLayout(chunk.plant), seed, {
    shiftPhaseMs: shiftPhaseAt(new Date(chunk.start), chunk.plant.timezone),
    // Order numbers unique across shifts: the shift's number since 1970, then the machine's.
    firstOrder: (Math.floor(chunk.start / SHIFT_MS) % 100_000) * 1000,
  });
  const length = chunk.end - chunk.start;
  for (let event = model.next(); event.at < length; event = model.next())
    yield { ts: chunk.start + event.at, event };
}

/**
 * The envelope the edge would have made had a device sent the event at its time (toEnvelope, the
 * edge's own path), with an id derived from the chunk and the event's place in it instead of a
 * random one: the same event gets the same id on every run, so the cloud's idempotent ingest
 * stores it once however often a restarted backfill sends it (README, "Idempotent by event id").
 */
export function historyEnvelope(
  chunk: HistoryChunk,
  index: number,
  ts: number,
  event: SimEvent,
): EventEnvelope {
  const at = new Date(ts);
  const payload = Buffer.from(JSON.stringify({ ...event.payload, ts: at.toISOString() }));
  const envelope = toEnvelope(event.topic, payload, at);
  if ('reason' in envelope) throw new Error(`the plant model made an invalid event: ${envelope.reason}`);
  return { ...envelope, id: deterministicUuidV7(ts, `${chunk.plant.code}/${chunk.start}/${index}`) };
}

/** A UUIDv7 (RFC 9562 §5.7) whose time is `ms` and whose other bits come from hashing `key`. */
export function deterministicUuidV7(ms: number, key: string): string {
  const bytes = createHash('sha256').update(key).digest().subarray(0, 16);
  bytes.writeUIntBE(ms, 0, 6);
  bytes[6] = 0x70 | (bytes[6]! & 0x0f);
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function hash32(key: string): number {
  return createHash('sha256').update(key).digest().readUInt32BE(0);
}
