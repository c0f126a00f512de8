import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { type StationAnswer, stationAnswer } from '@plantline/schema';
import { z } from 'zod';
import { trpcResponseSchema } from '../cloud/cloud-contract';

const gzipAsync = promisify(gzip);
const OPEN = Buffer.from('{"events":[');
const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']}');

/** The cloud's answer to ingest.push: one result per event, in input order (ingestEvents in the cloud). */
const ingestResultsSchema = z.object({
  results: z.array(
    z.object({
      id: z.string().nullable(),
      status: z.enum(['accepted', 'duplicate', 'rejected']),
      reason: z.string().optional(),
      /**
       * A station's answer to a scan; a cloud that predates it never sends one. Read on its own
       * (readAnswer), so an answer this edge does not understand never fails the batch's results.
       */
      answer: z.unknown().optional(),
    }),
  ),
});
export type IngestResults = (Omit<z.infer<typeof ingestResultsSchema>['results'][number], 'answer'> & {
  answer?: StationAnswer;
})[];

const readAnswer = (answer: unknown): { answer?: StationAnswer } => {
  const parsed = stationAnswer.safeParse(answer);
  return parsed.success ? { answer: parsed.data } : {};
};

export type PushResult =
  | { kind: 'ok'; results: IngestResults; gzipBytes: number }
  /**
   * The whole batch was refused as too large or malformed (413, 400): send smaller to isolate the
   * culprit; refused on its own, an event is the culprit.
   */
  | { kind: 'split'; error: string }
  /** Worth retrying as is: network, timeout, 5xx, 429, or a key the cloud refuses (until an admin fixes it). */
  | { kind: 'retry'; error: string; auth: boolean };

/**
 * POST {cloud}/trpc/ingest.push with the body `{"events":[…]}`. The events are the outbox records,
 * already JSON, so they are joined rather than parsed and serialised again.
 */
export async function pushEvents(
  cloudUrl: string,
  apiKey: string,
  events: readonly Buffer[],
  options: { signal: AbortSignal; timeoutMs: number },
): Promise<PushResult> {
  const parts: Buffer[] = [OPEN];
  events.forEach((event, index) => {
    if (index > 0) parts.push(COMMA);
    parts.push(event);
  });
  parts.push(CLOSE);
  // Level 1: on a 2-core gateway the CPU is the scarcer resource; JSON events still shrink ~5–8×.
  const body = await gzipAsync(Buffer.concat(parts), { level: 1 });
  let response: Response;
  let text: string;
  try {
    response = await fetch(`${cloudUrl}/trpc/ingest.push`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${apiKey}`,
        'content-type': 'application/json',
        'content-encoding': 'gzip',
        accept: 'application/json',
      },
      body,
      signal: AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs)]),
    });
    text = await response.text();
  } catch (err) {
    return { kind: 'retry', error: describeError(err, options.timeoutMs), auth: false };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { kind: 'retry', error: `HTTP ${response.status} from ingest.push, not JSON`, auth: false };
  }
  const envelope = trpcResponseSchema.safeParse(json);
  if (!envelope.success)
    return { kind: 'retry', error: `unexpected ingest.push answer (HTTP ${response.status})`, auth: false };
  if ('error' in envelope.data) {
    const code = envelope.data.error.data?.code ?? `HTTP ${response.status}`;
    const error = `ingest.push failed with ${code}: ${envelope.data.error.message}`;
    const tooLarge = code === 'PAYLOAD_TOO_LARGE' || response.status === 413;
    if (tooLarge || code === 'BAD_REQUEST') return { kind: 'split', error };
    return { kind: 'retry', error, auth: code === 'UNAUTHORIZED' || code === 'FORBIDDEN' };
  }
  const results = ingestResultsSchema.safeParse(envelope.data.result.data);
  if (!results.success || results.data.results.length !== events.length) {
    return { kind: 'retry', error: 'ingest.push answered without one result per event', auth: false };
  }
  return {
    kind: 'ok',
    results: results.data.results.map(({ answer, ...result }) =>
      answer === undefined ? result : { ...result, ...readAnswer(answer) },
    ),
    gzipBytes: body.length,
  };
}

function describeError(err: unknown, timeoutMs: number): string {
  if (!(err instanceof Error)) return String(err);
  if (err.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
  if (err.name === 'AbortError') return 'cancelled';
  return err.cause instanceof Error && err.cause.message ? err.cause.message : err.message;
}
