import { type FileHandle, mkdir, open, readFile, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../logger';
import type { Unit } from '../unit';

export interface DeadLetter {
  at: string;
  /** 'device': refused at ingress; 'cloud': the cloud answered "rejected" for an uplinked event. */
  source: 'device' | 'cloud';
  topic: string;
  reason: string;
  /** The payload as received (UTF-8), cut at PAYLOAD_KEEP_BYTES. */
  payload: string;
  payloadBytes: number;
}

export interface DeadLetterStats {
  /** Dead letters in the store (both files). */
  count: number;
  sinceStart: number;
  lastReason: string | null;
  lastAt: string | null;
  file: string;
}

/** Enough to see what a device sent; a device flooding megabyte payloads must not fill the disk. */
export const PAYLOAD_KEEP_BYTES = 4096;

/** The newest dead letters kept in memory for the edge's page, from disk at start and as they come. */
export const RECENT_DEAD_LETTERS = 20;

export interface DeadLetterStoreOptions {
  dir: string;
  /** The current file is rotated to dead-letters.1.jsonl (replacing the older one) beyond this size. */
  maxFileBytes?: number;
  log: Logger;
}

/**
 * Malformed input is kept for inspection, never silently dropped (docs/device-integration.md, "Dead
 * letters"): one JSON object per line in dead-letters.jsonl, synced to disk before the device is
 * acknowledged, like the outbox. Bounded to two files; the oldest dead letters go first, which is
 * the one place the edge forgets data, and only data that could never be stored anyway.
 */
export class DeadLetterStore implements Unit {
  readonly name = 'dead-letters';
  #fd: FileHandle | undefined;
  #bytes = 0;
  #count = 0;
  #sinceStart = 0;
  #last: DeadLetter | undefined;
  /** Oldest first, at most RECENT_DEAD_LETTERS. */
  #recent: DeadLetter[] = [];
  #pending: { line: string; resolve: () => void; reject: (err: Error) => void }[] = [];
  #flushing: Promise<void> | undefined;

  constructor(private readonly options: DeadLetterStoreOptions) {}

  get path(): string {
    return join(this.options.dir, 'dead-letters.jsonl');
  }

  async start(): Promise<void> {
    await mkdir(this.options.dir, { recursive: true });
    for (const file of [`${this.path}.1`, this.path]) {
      const text = await readFile(file, 'utf8').catch(() => '');
      this.#count += countLines(text);
      for (const letter of lastLetters(text, RECENT_DEAD_LETTERS)) this.#remember(letter);
    }
    this.#bytes = await stat(this.path).then(
      (s) => s.size,
      () => 0,
    );
    this.#fd = await open(this.path, 'a');
  }

  async stop(): Promise<void> {
    while (this.#flushing) await this.#flushing;
    await this.#fd?.close();
    this.#fd = undefined;
  }

  add(letter: Omit<DeadLetter, 'at' | 'payload' | 'payloadBytes'> & { payload: Buffer | string; at?: Date }) {
    const raw = typeof letter.payload === 'string' ? Buffer.from(letter.payload) : letter.payload;
    const entry: DeadLetter = {
      at: (letter.at ?? new Date()).toISOString(),
      source: letter.source,
      topic: letter.topic,
      reason: letter.reason,
      payload: raw.subarray(0, PAYLOAD_KEEP_BYTES).toString('utf8'),
      payloadBytes: raw.length,
    };
    this.#count++;
    this.#sinceStart++;
    this.#last = entry;
    this.#remember(entry);
    this.options.log.warn({ topic: entry.topic, reason: entry.reason, source: entry.source }, 'dead letter');
    return new Promise<void>((resolve, reject) => {
      this.#pending.push({ line: `${JSON.stringify(entry)}\n`, resolve, reject });
      this.#flushing ??= this.#flush().finally(() => {
        this.#flushing = undefined;
      });
    });
  }

  stats(): DeadLetterStats {
    return {
      count: this.#count,
      sinceStart: this.#sinceStart,
      lastReason: this.#last?.reason ?? null,
      lastAt: this.#last?.at ?? null,
      file: this.path,
    };
  }

  /** The newest dead letters, newest first (RECENT_DEAD_LETTERS at most), for the edge's page. */
  recent(): DeadLetter[] {
    return this.#recent.toReversed();
  }

  #remember(letter: DeadLetter): void {
    this.#recent.push(letter);
    if (this.#recent.length > RECENT_DEAD_LETTERS) this.#recent.shift();
  }

  async #flush(): Promise<void> {
    while (this.#pending.length > 0) {
      const batch = this.#pending;
      this.#pending = [];
      try {
        const fd = this.#fd;
        if (!fd) throw new Error('dead-letter store is not open');
        const data = Buffer.from(batch.map((item) => item.line).join(''));
        await fd.write(data);
        await fd.datasync();
        this.#bytes += data.length;
        if (this.#bytes >= (this.options.maxFileBytes ?? 16 * 1024 * 1024)) await this.#rotate();
        for (const item of batch) item.resolve();
      } catch (err) {
        for (const item of batch) item.reject(err instanceof Error ? err : new Error(String(err)));
      }
    }
  }

  async #rotate(): Promise<void> {
    await this.#fd?.close();
    const dropped = countLines(await readFile(`${this.path}.1`, 'utf8').catch(() => ''));
    await rename(this.path, `${this.path}.1`);
    this.#count -= dropped;
    this.#fd = await open(this.path, 'a');
    this.#bytes = 0;
  }
}

/** The last `limit` whole lines of a dead-letter file that parse; a line cut by a crash is skipped. */
function lastLetters(text: string, limit: number): DeadLetter[] {
  const letters: DeadLetter[] = [];
  const lines = text.split('\n');
  for (let i = lines.length - 1; i >= 0 && letters.length < limit; i--) {
    const line = lines[i]!;
    if (line === '') continue;
    try {
      letters.push(JSON.parse(line) as DeadLetter);
    } catch {
      // Half a line: the edge stopped while writing it, and the letter was never acknowledged.
    }
  }
  return letters.reverse();
}

function countLines(text: string): number {
  let lines = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
  return lines;
}
