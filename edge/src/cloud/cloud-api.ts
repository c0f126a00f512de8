import {
  type DeviceCredentialSet,
  deviceCredentialSetSchema,
  type PrintJob,
  type PrintResultReport,
  printJobsSchema,
  printResultAnswerSchema,
  type SparkplugMapping,
  sparkplugMappingSchema,
  type TelemetryDeadbandSet,
  telemetryDeadbandSetSchema,
} from '@plantline/schema';
import type { z } from 'zod';
import {
  cloudHealthSchema,
  type EdgeIdentity,
  edgeIdentitySchema,
  trpcResponseSchema,
} from './cloud-contract';

export interface RequestOptions {
  /** Aborted when the caller stops; the timeout is added on top. */
  signal: AbortSignal;
  timeoutMs: number;
}

export type HealthResult = { ok: true; version: string } | { ok: false; error: string };
export type WhoamiResult =
  | { ok: true; identity: EdgeIdentity }
  /** `rejected`: the cloud answered and refused the key, as opposed to not answering at all. */
  | { ok: false; rejected: boolean; error: string };

/** GET {cloud}/healthz. Never throws: every failure becomes a message for the status page. */
export async function fetchCloudHealth(cloudUrl: string, options: RequestOptions): Promise<HealthResult> {
  const answer = await getJson(`${cloudUrl}/healthz`, {}, options);
  if (!answer.ok) return answer;
  const health = cloudHealthSchema.safeParse(answer.body);
  // A degraded cloud may answer 503; its own reason says more than the status code.
  if (health.success && health.data.status !== 'ok') {
    const reason =
      health.data.database?.reachable === false ? 'its database is unreachable' : 'no reason given';
    return { ok: false, error: `cloud degraded: ${reason}` };
  }
  if (answer.httpStatus !== 200) return { ok: false, error: `cloud unhealthy: HTTP ${answer.httpStatus}` };
  if (!health.success) {
    return { ok: false, error: 'unexpected /healthz answer; is EDGE_CLOUD_URL a Plantline cloud?' };
  }
  return { ok: true, version: health.data.version };
}

/**
 * The cloud's tRPC query `edge.whoami`, called as a plain non-batched GET. Plain fetch rather than
 * @trpc/client: the edge then needs neither the cloud's source (AppRouter type) nor a workspace
 * dependency on it, and the answer is parsed at this boundary anyway.
 */
export async function fetchWhoami(
  cloudUrl: string,
  apiKey: string,
  options: RequestOptions,
): Promise<WhoamiResult> {
  const answer = await getJson(
    `${cloudUrl}/trpc/edge.whoami`,
    { authorization: `Bearer ${apiKey}` },
    options,
  );
  if (!answer.ok) return { ok: false, rejected: false, error: answer.error };
  const envelope = trpcResponseSchema.safeParse(answer.body);
  if (!envelope.success) {
    return { ok: false, rejected: false, error: `unexpected edge.whoami answer (HTTP ${answer.httpStatus})` };
  }
  if ('error' in envelope.data) {
    const { message, data } = envelope.data.error;
    return describeTrpcError(data?.code ?? `HTTP ${answer.httpStatus}`, message);
  }
  const identity = edgeIdentitySchema.safeParse(envelope.data.result.data);
  if (!identity.success)
    return { ok: false, rejected: false, error: 'unexpected edge.whoami identity shape' };
  return { ok: true, identity: identity.data };
}

export type DeviceCredentialsResult = EdgeQueryResult<DeviceCredentialSet>;

/** The cloud's `edge.deviceCredentials`: the device logins of this key's plants, hashed. */
export function fetchDeviceCredentials(
  cloudUrl: string,
  apiKey: string,
  options: RequestOptions,
): Promise<DeviceCredentialsResult> {
  return fetchEdgeQuery(cloudUrl, apiKey, 'edge.deviceCredentials', deviceCredentialSetSchema, options);
}

/** The cloud's `edge.telemetryDeadbands`: the deadband rules of this key's plants. */
export function fetchTelemetryDeadbands(
  cloudUrl: string,
  apiKey: string,
  options: RequestOptions,
): Promise<EdgeQueryResult<TelemetryDeadbandSet>> {
  return fetchEdgeQuery(cloudUrl, apiKey, 'edge.telemetryDeadbands', telemetryDeadbandSetSchema, options);
}

/** The cloud's `edge.sparkplugRules`: the Sparkplug B mapping of this key's plants. */
export function fetchSparkplugMapping(
  cloudUrl: string,
  apiKey: string,
  options: RequestOptions,
): Promise<EdgeQueryResult<SparkplugMapping>> {
  return fetchEdgeQuery(cloudUrl, apiKey, 'edge.sparkplugRules', sparkplugMappingSchema, options);
}

export type EdgeQueryResult<T> = { ok: true; value: T } | { ok: false; rejected: boolean; error: string };

/**
 * A query of the cloud's `edge` router that hands an edge its configuration, as a plain GET with the
 * key, parsed with the shared contract at this boundary.
 */
export async function fetchEdgeQuery<T>(
  cloudUrl: string,
  apiKey: string,
  procedure: string,
  schema: z.ZodType<T>,
  options: RequestOptions,
): Promise<EdgeQueryResult<T>> {
  const answer = await getJson(
    `${cloudUrl}/trpc/${procedure}`,
    { authorization: `Bearer ${apiKey}` },
    options,
  );
  if (!answer.ok) return { ok: false, rejected: false, error: answer.error };
  const envelope = trpcResponseSchema.safeParse(answer.body);
  if (!envelope.success) {
    return { ok: false, rejected: false, error: `unexpected answer (HTTP ${answer.httpStatus})` };
  }
  if ('error' in envelope.data) {
    const { message, data } = envelope.data.error;
    return describeTrpcError(data?.code ?? `HTTP ${answer.httpStatus}`, message, procedure);
  }
  const value = schema.safeParse(envelope.data.result.data);
  if (!value.success) return { ok: false, rejected: false, error: `unexpected ${procedure} shape` };
  return { ok: true, value: value.data };
}

export type PrintJobsResult =
  | { ok: true; jobs: PrintJob[] }
  | { ok: false; rejected: boolean; error: string };

/**
 * The cloud's `logistics.printing.jobs`: the print jobs of this key's plants, claimed for this edge, or
 * none once `waitMs` passed without one (a long poll). The request may take the wait and then some.
 */
export async function fetchPrintJobs(
  cloudUrl: string,
  apiKey: string,
  waitMs: number,
  options: RequestOptions,
): Promise<PrintJobsResult> {
  const answer = await postJson(
    `${cloudUrl}/trpc/logistics.printing.jobs`,
    { authorization: `Bearer ${apiKey}` },
    { waitMs },
    options,
  );
  if (!answer.ok) return { ok: false, rejected: false, error: answer.error };
  const envelope = trpcResponseSchema.safeParse(answer.body);
  if (!envelope.success) {
    return { ok: false, rejected: false, error: `unexpected answer (HTTP ${answer.httpStatus})` };
  }
  if ('error' in envelope.data) {
    const { message, data } = envelope.data.error;
    return describeTrpcError(data?.code ?? `HTTP ${answer.httpStatus}`, message, 'logistics.printing.jobs');
  }
  const jobs = printJobsSchema.safeParse(envelope.data.result.data);
  if (!jobs.success) return { ok: false, rejected: false, error: 'unexpected print jobs shape' };
  return { ok: true, jobs: jobs.data.jobs };
}

export type PrintResultAnswer =
  | { ok: true; status: 'printed' | 'failed' }
  /** `rejected`: the cloud answered and will not take this result (sending it again will not help). */
  | { ok: false; rejected: boolean; error: string };

/** The cloud's `logistics.printing.result`: what became of a job this edge took. */
export async function postPrintResult(
  cloudUrl: string,
  apiKey: string,
  report: PrintResultReport,
  options: RequestOptions,
): Promise<PrintResultAnswer> {
  const answer = await postJson(
    `${cloudUrl}/trpc/logistics.printing.result`,
    { authorization: `Bearer ${apiKey}` },
    report,
    options,
  );
  if (!answer.ok) return { ok: false, rejected: false, error: answer.error };
  const envelope = trpcResponseSchema.safeParse(answer.body);
  if (!envelope.success) {
    return { ok: false, rejected: false, error: `unexpected answer (HTTP ${answer.httpStatus})` };
  }
  if ('error' in envelope.data) {
    const { message, data } = envelope.data.error;
    const code = data?.code ?? `HTTP ${answer.httpStatus}`;
    // The print is gone or already completed (the cloud failed it after five minutes): final.
    if (code === 'CONFLICT' || code === 'NOT_FOUND' || code === 'BAD_REQUEST')
      return { ok: false, rejected: true, error: `logistics.printing.result refused: ${message}` };
    return describeTrpcError(code, message, 'logistics.printing.result');
  }
  const result = printResultAnswerSchema.safeParse(envelope.data.result.data);
  if (!result.success) return { ok: false, rejected: false, error: 'unexpected print result answer' };
  return { ok: true, status: result.data.status };
}

function describeTrpcError(
  code: string,
  message: string,
  procedure = 'edge.whoami',
): { ok: false; rejected: boolean; error: string } {
  switch (code) {
    case 'UNAUTHORIZED':
      // The cloud says which: unknown, revoked or expired.
      return {
        ok: false,
        rejected: true,
        error: message ? `API key rejected: ${message}` : 'API key revoked or unknown',
      };
    case 'FORBIDDEN':
      return { ok: false, rejected: true, error: `API key not allowed to call ${procedure}: ${message}` };
    case 'NOT_FOUND':
      return {
        ok: false,
        rejected: false,
        error: `the cloud has no ${procedure} procedure (older cloud version?)`,
      };
    default:
      return { ok: false, rejected: false, error: `${procedure} failed with ${code}: ${message}` };
  }
}

type JsonAnswer = { ok: true; httpStatus: number; body: unknown } | { ok: false; error: string };

async function getJson(
  url: string,
  headers: Record<string, string>,
  { signal, timeoutMs }: RequestOptions,
): Promise<JsonAnswer> {
  try {
    const response = await fetch(url, {
      headers: { accept: 'application/json', ...headers },
      signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
    });
    const text = await response.text();
    try {
      return { ok: true, httpStatus: response.status, body: JSON.parse(text) };
    } catch {
      return { ok: false, error: `HTTP ${response.status} from ${new URL(url).pathname}, not JSON` };
    }
  } catch (err) {
    return { ok: false, error: describeFetchError(err, timeoutMs) };
  }
}

/** A tRPC mutation as a plain non-batched POST with a JSON body. */
async function postJson(
  url: string,
  headers: Record<string, string>,
  body: unknown,
  { signal, timeoutMs }: RequestOptions,
): Promise<JsonAnswer> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
    });
    const text = await response.text();
    try {
      return { ok: true, httpStatus: response.status, body: JSON.parse(text) };
    } catch {
      return { ok: false, error: `HTTP ${response.status} from ${new URL(url).pathname}, not JSON` };
    }
  } catch (err) {
    return { ok: false, error: describeFetchError(err, timeoutMs) };
  }
}

/** undici hides the useful part ("connect ECONNREFUSED 127.0.0.1:3000") in `cause`. */
function describeFetchError(err: unknown, timeoutMs: number): string {
  if (!(err instanceof Error)) return String(err);
  if (err.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
  if (err.name === 'AbortError') return 'cancelled';
  const cause = err.cause;
  // fetch refuses a fixed list of ports (WHATWG "bad ports", e.g. 6000) and says only "bad port".
  if (cause instanceof Error && cause.message === 'bad port')
    return 'fetch refuses this port; use another one';
  if (cause instanceof Error && cause.message) return cause.message;
  return err.message;
}
