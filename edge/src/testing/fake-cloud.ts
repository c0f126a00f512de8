import type { IncomingMessage, ServerResponse } from 'node:http';
import { gunzipSync } from 'node:zlib';
import type {
  DeviceCredentialSet,
  EventEnvelope,
  IngestResult,
  StationAnswer,
  TelemetryDeadbandSet,
} from '@plantline/schema';
import { serveOnLoopback } from './local-http-server';

export const FAKE_CLOUD_KEY = 'plk_test_edge';

export interface FakeCloudState {
  /** 'down': 503 for everything; 'hang': never answers ingest.push. */
  mode: 'up' | 'down' | 'hang';
  /** Stored events by id: the idempotent insert the real cloud does. */
  stored: Map<string, EventEnvelope>;
  /** Every event received, duplicates included, in arrival order. */
  received: string[];
  pushes: number;
  /** Pushes answered 413 for too many events. */
  tooLarge: number;
  /** Events the cloud answers "rejected" for. */
  reject: (event: EventEnvelope) => string | undefined;
  /** Refuses a whole batch with 400 BAD_REQUEST when it returns a reason (a cloud without per-event checks). */
  refuseBatch: (events: EventEnvelope[]) => string | undefined;
  /** Largest batch taken; larger gets 413 PAYLOAD_TOO_LARGE. */
  maxEvents: number;
  /** What edge.deviceCredentials answers; undefined: 404, as from a cloud without it. */
  deviceCredentials: DeviceCredentialSet | undefined;
  /** What edge.telemetryDeadbands answers; undefined: 404, as from a cloud without it. */
  telemetryDeadbands: TelemetryDeadbandSet | undefined;
  /** A station's answer to a scan event, sent beside its result (stored and duplicate alike). */
  answer: (event: EventEnvelope) => StationAnswer | undefined;
  /** How long the push numbered `push` (from 1) takes before it is stored: batches then overlap. */
  delayMs: (push: number) => number;
  /**
   * Stores the push numbered `push` and then answers 503 when true: a batch that failed after the
   * cloud committed it (the answer lost on the way), so the edge sends it again.
   */
  failAfterStore: (push: number) => boolean;
  /** Pushes being handled at once, now and at most. */
  inFlight: number;
  maxInFlight: number;
}

/**
 * A small stand-in for the cloud's side of the contract (cloud/src/modules/ingest/ingest.ts): POST
 * /trpc/ingest.push with a Bearer key and an optionally gzipped `{"events":[…]}`, answered with one
 * result per event in input order; /healthz and edge.whoami so the edge's cloud link is content.
 * The real cloud replaces it in the end-to-end run.
 */
export async function startFakeCloud() {
  const state: FakeCloudState = {
    mode: 'up',
    stored: new Map(),
    received: [],
    pushes: 0,
    tooLarge: 0,
    reject: () => undefined,
    refuseBatch: () => undefined,
    maxEvents: 5000,
    deviceCredentials: undefined,
    telemetryDeadbands: undefined,
    answer: () => undefined,
    delayMs: () => 0,
    failAfterStore: () => false,
    inFlight: 0,
    maxInFlight: 0,
  };
  const { url, close } = await serveOnLoopback((req, res) => void handle(state, req, res));
  return { url, state, close };
}

async function handle(state: FakeCloudState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const reply = (status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const trpcError = (httpStatus: number, code: string, message: string) =>
    reply(httpStatus, { error: { message, code: -32000, data: { code, httpStatus } } });
  if (state.mode === 'down') return trpcError(503, 'SERVICE_UNAVAILABLE', 'cloud down for the test');
  if (req.url === '/healthz') return reply(200, { status: 'ok', version: '0.1.0' });
  if (req.headers.authorization !== `Bearer ${FAKE_CLOUD_KEY}`)
    return trpcError(401, 'UNAUTHORIZED', 'unknown key');
  if (req.url === '/trpc/edge.whoami') {
    return reply(200, {
      result: {
        data: {
          keyId: 'k1',
          keyName: 'test edge',
          tenantId: 't1',
          tenantName: 'Test',
          plants: [],
          permissions: [],
        },
      },
    });
  }
  if (req.url === '/trpc/edge.deviceCredentials' && state.deviceCredentials !== undefined) {
    return reply(200, { result: { data: state.deviceCredentials } });
  }
  if (req.url === '/trpc/edge.telemetryDeadbands' && state.telemetryDeadbands !== undefined) {
    return reply(200, { result: { data: state.telemetryDeadbands } });
  }
  if (req.url !== '/trpc/ingest.push' || req.method !== 'POST')
    return trpcError(404, 'NOT_FOUND', 'no such procedure');
  if (state.mode === 'hang') return;
  const push = ++state.pushes;
  const delay = state.delayMs(push);
  state.inFlight++;
  state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
  if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
  state.inFlight--;
  const raw = Buffer.concat(chunks);
  const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
  if (body.length > 1024 * 1024) return trpcError(413, 'PAYLOAD_TOO_LARGE', 'body over 1 MiB');
  const { events } = JSON.parse(body.toString('utf8')) as { events: EventEnvelope[] };
  if (events.length > state.maxEvents) {
    state.tooLarge++;
    return trpcError(413, 'PAYLOAD_TOO_LARGE', `more than ${state.maxEvents} events`);
  }
  const refusal = state.refuseBatch(events);
  if (refusal !== undefined) {
    state.received.push(...events.map((event) => event.id));
    return trpcError(400, 'BAD_REQUEST', refusal);
  }
  const results: IngestResult[] = events.map((event) => {
    state.received.push(event.id);
    const reason = state.reject(event);
    if (reason) return { id: event.id, status: 'rejected', reason };
    const answer = state.answer(event);
    const answered = answer === undefined ? {} : { answer };
    if (state.stored.has(event.id)) return { id: event.id, status: 'duplicate', ...answered };
    state.stored.set(event.id, event);
    return { id: event.id, status: 'accepted', ...answered };
  });
  if (state.failAfterStore(push)) return trpcError(503, 'SERVICE_UNAVAILABLE', 'answer lost for the test');
  reply(200, { result: { data: { results } } });
}
