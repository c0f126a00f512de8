import { open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';

/*
 * The last value of each Sparkplug counter metric, on disk, so that a restarted edge counts what a
 * counter grew by while the edge was down instead of taking its first value as a new baseline
 * (docs/device-integration.md, "Counters across restarts").
 *
 * A count is stored in two places — the counter's new value here, the count event in the outbox — and
 * a crash may come between the two writes. So the new value is written here first, together with the
 * count event it makes (`pending`, under the event's id), and only then is the event handed to the
 * ingress. A restart finds the event still pending and hands it over again under the same id: if the
 * outbox already had it, the cloud, which keeps an event once per id (docs/device-integration.md,
 * "Idempotent by event id"), keeps one. Nothing is counted twice or lost. A pending event is dropped
 * from the file at the next write after the outbox has it.
 *
 * Writes are whole-file replacements (write, fsync, rename, fsync of the folder); changes that arrive
 * while one is under way go together in the next.
 */

export const SPARKPLUG_COUNTERS_FILE = 'sparkplug-counters.json';

export interface PendingCount {
  id: string;
  topic: string;
  /** The count payload, as JSON text. */
  payload: string;
  receivedAt: string;
}

const fileSchema = z.object({
  counters: z.record(z.string(), z.number()),
  pending: z.array(
    z.object({ id: z.string(), topic: z.string(), payload: z.string(), receivedAt: z.string() }),
  ),
});

export class CounterBaselines {
  #values = new Map<string, number>();
  #pending = new Map<string, PendingCount>();
  /** Bumped by every change; a write covers the changes up to the version it started at. */
  #version = 0;
  #written = 0;
  #inFlight: Promise<void> | undefined;

  /** Without a file the baselines live in memory only (tests, and an edge without a data folder). */
  constructor(private readonly file: string | undefined) {}

  /** Reads the file, if any; returns the counts that were pending when the edge stopped. */
  async load(): Promise<PendingCount[]> {
    if (this.file === undefined) return [];
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const parsed = fileSchema.safeParse(JSON.parse(text));
    if (!parsed.success) throw new Error(`Sparkplug counters ${this.file}: not a file this edge wrote`);
    this.#values = new Map(Object.entries(parsed.data.counters));
    for (const pending of parsed.data.pending) this.#pending.set(pending.id, pending);
    return parsed.data.pending;
  }

  get(key: string): number | undefined {
    return this.#values.get(key);
  }

  /**
   * Sets counters' new values and the counts they made, and resolves once both are on disk. On a
   * failed write the values are set back (unless changed since), so the message is counted again when
   * it is sent again.
   */
  async record(values: { key: string; value: number }[], counts: PendingCount[]): Promise<void> {
    const before = values.map(({ key }) => this.#values.get(key));
    for (const { key, value } of values) this.#values.set(key, value);
    for (const count of counts) this.#pending.set(count.id, count);
    try {
      await this.#flush(++this.#version);
    } catch (err) {
      values.forEach(({ key, value }, i) => {
        if (this.#values.get(key) !== value) return;
        const old = before[i];
        if (old === undefined) this.#values.delete(key);
        else this.#values.set(key, old);
      });
      for (const count of counts) this.#pending.delete(count.id);
      throw err;
    }
  }

  /** The outbox has these counts: the next write leaves them out. */
  settled(ids: string[]): void {
    for (const id of ids) this.#pending.delete(id);
    this.#version++;
  }

  /** Writes what changed since the last write (at stop). */
  async flush(): Promise<void> {
    await this.#flush(this.#version);
  }

  async #flush(wanted: number): Promise<void> {
    if (this.file === undefined) return;
    while (this.#written < wanted) {
      if (this.#inFlight !== undefined) {
        await this.#inFlight;
        continue;
      }
      const version = this.#version;
      const text = JSON.stringify({
        counters: Object.fromEntries(this.#values),
        pending: [...this.#pending.values()],
      });
      this.#inFlight = writeDurably(this.file, text)
        .then(() => {
          this.#written = Math.max(this.#written, version);
        })
        .finally(() => {
          this.#inFlight = undefined;
        });
      await this.#inFlight;
    }
  }
}

/** Replaces the file so that a crash leaves the old content or the new, and the new survives power loss. */
async function writeDurably(file: string, text: string): Promise<void> {
  const temporary = `${file}.tmp`;
  const handle = await open(temporary, 'w');
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, file);
  const folder = await open(dirname(file), 'r');
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}
