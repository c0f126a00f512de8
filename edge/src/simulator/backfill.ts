import { readFile, rename, writeFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import {
  DEMO_PLANTS,
  type DemoHistoryProgress,
  type DemoPlant,
  demoHistoryProgress,
} from '@plantline/schema';
import type { Logger } from '../logger';
import { pushEvents } from '../uplink/ingest-api';
import { chunkEvents, type HistoryChunk, historyChunks, historyEnvelope } from './history';

export interface BackfillOptions {
  cloudUrl: string;
  /** An API key with ingest.write for the plants (the demo edge's). */
  apiKey: string;
  /** The progress file the demo seed planned (schema's DEMO_HISTORY_FILE); updated as batches land. */
  progressFile: string;
  /** Where the history ends, if the plan does not say yet: when the live simulator starts. */
  to: Date;
  /** Events per ingest.push call. */
  batchSize: number;
  /** Pause after each batch, so other callers of a single-connection database get their turn. */
  pauseMs: number;
  plants?: readonly DemoPlant[];
  /** How often progress goes to the log. */
  reportEveryMs?: number;
  /** Called after each acknowledged batch with the progress as saved. */
  onBatch?: (progress: DemoHistoryProgress) => void;
  log: Logger;
  signal: AbortSignal;
}

const DAY_MS = 24 * 3_600_000;
const PUSH_TIMEOUT_MS = 60_000;

/**
 * Sends the demo plants' past through the cloud's ingest, as the edge would have sent it
 * (docs/demo.md). Resumable: progress is written after every batch, whole chunks are skipped on a
 * restart, and the chunk under way is sent again — its events keep their ids, so the cloud answers
 * `duplicate` for those it has. Returns the final progress; a stopped run leaves it `running`.
 */
export async function runBackfill(options: BackfillOptions): Promise<DemoHistoryProgress> {
  const { log, signal } = options;
  const plants = options.plants ?? DEMO_PLANTS;
  let progress = demoHistoryProgress.parse(JSON.parse(await readFile(options.progressFile, 'utf8')));
  if (progress.state === 'done') return progress;
  const save = async () => {
    const tmp = `${options.progressFile}.tmp`;
    await writeFile(tmp, JSON.stringify(progress));
    await rename(tmp, options.progressFile);
  };
  if (progress.from === null || progress.to === null) {
    const to = options.to.getTime();
    const from = to - progress.days * DAY_MS;
    const total = historyChunks(plants, from, to).reduce((sum, chunk) => sum + countEvents(chunk), 0);
    progress = {
      ...progress,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      eventsTotal: total,
    };
  }
  progress = { ...progress, state: 'running', eventsDone: progress.eventsInDoneChunks, error: undefined };
  await save();
  const chunks = historyChunks(plants, Date.parse(progress.from!), Date.parse(progress.to!));
  const startedAt = Date.now();
  const sentAtStart = progress.eventsDone;
  const report = { at: startedAt, done: progress.eventsDone };
  const reportEveryMs = options.reportEveryMs ?? 5000;
  let rejected = 0;
  let duplicates = 0;
  log.info(
    {
      from: progress.from,
      to: progress.to,
      events: progress.eventsTotal,
      resumeAtChunk: progress.chunksDone,
    },
    `history: backfilling ${progress.days} days of ${plants.map((p) => p.code).join(' and ')}`,
  );

  const send = async (batch: Buffer[], chunk: HistoryChunk) => {
    for (let attempt = 0; ; attempt++) {
      if (signal.aborted) throw signal.reason;
      const result = await pushEvents(options.cloudUrl, options.apiKey, batch, {
        signal,
        timeoutMs: PUSH_TIMEOUT_MS,
      });
      if (result.kind === 'ok') {
        const refused = result.results.filter((r) => r.status === 'rejected');
        if (refused.length > 0 && rejected === 0)
          log.warn({ reason: refused[0]!.reason }, 'history: events rejected');
        rejected += refused.length;
        duplicates += result.results.filter((r) => r.status === 'duplicate').length;
        break;
      }
      if (result.kind === 'split') throw new Error(result.error);
      log.warn({ err: result.error, attempt }, 'history: ingest.push failed, retrying');
      await delay(Math.min(10_000, 1000 * 2 ** attempt), undefined, { signal }).catch(() => {});
    }
    progress.eventsDone += batch.length;
    await save();
    options.onBatch?.(progress);
    const now = Date.now();
    if (now - report.at >= reportEveryMs) {
      const rate = Math.round(((progress.eventsDone - report.done) * 1000) / (now - report.at));
      const percent = Math.floor((100 * progress.eventsDone) / Math.max(1, progress.eventsTotal));
      log.info(`history: day ${chunk.day}/${progress.days}, ${percent} %, ${rate} events/s`);
      report.at = now;
      report.done = progress.eventsDone;
    }
    if (options.pauseMs > 0) await delay(options.pauseMs, undefined, { signal }).catch(() => {});
  };

  try {
    for (const chunk of chunks.slice(progress.chunksDone)) {
      let batch: Buffer[] = [];
      let index = 0;
      for (const { ts, event } of chunkEvents(chunk)) {
        batch.push(Buffer.from(JSON.stringify(historyEnvelope(chunk, index++, ts, event))));
        if (batch.length >= options.batchSize) {
          await send(batch, chunk);
          batch = [];
        }
      }
      if (batch.length > 0) await send(batch, chunk);
      progress.chunksDone++;
      progress.eventsInDoneChunks = progress.eventsDone;
      await save();
    }
  } catch (error) {
    if (signal.aborted) return progress;
    progress = {
      ...progress,
      state: 'failed',
      error: error instanceof Error ? error.message : String(error),
    };
    await save();
    throw error;
  }
  progress = { ...progress, state: 'done' };
  await save();
  const seconds = (Date.now() - startedAt) / 1000;
  const sent = progress.eventsDone - sentAtStart;
  log.info(
    {
      events: sent,
      duplicates,
      rejected,
      seconds: Math.round(seconds),
      eventsPerSecond: Math.round(sent / seconds),
    },
    `history: done, ${sent} events in ${Math.round(seconds)} s`,
  );
  return progress;
}

function countEvents(chunk: HistoryChunk): number {
  let count = 0;
  for (const _ of chunkEvents(chunk)) count++;
  return count;
}
