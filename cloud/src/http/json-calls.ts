import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import {
  type AnyProcedure,
  type AnyTRPCRouter,
  callTRPCProcedure,
  getTRPCErrorFromUnknown,
  getTRPCErrorShape,
  TRPCError,
  transformTRPCResponse,
} from '@trpc/server';
import { getHTTPStatusCode } from '@trpc/server/http';

/*
 * tRPC's JSON calls over HTTP — a query by GET, a mutation (or, with the override, a query) by POST,
 * alone or batched — answered straight from Node's request and response. tRPC's Node adapter turns
 * every request into a Fetch `Request` and every answer back from a `Response` through web streams,
 * with several abort signals on the way; on this project's machines that took as much CPU as the
 * call itself (docs/benchmarks.md, `api`). The calls themselves go through tRPC's public API
 * (`callTRPCProcedure`, `getTRPCErrorShape`, `transformTRPCResponse`, `getHTTPStatusCode`), with the
 * same inputs, errors, statuses and bodies as its `resolveResponse` gives them (json-calls.test.ts
 * sends the same requests both ways). Everything else — streamed batches, subscriptions over HTTP,
 * HEAD, paths that are not plain procedure names or name no procedure — is left to tRPC's handler.
 */

/** One call of a request, as the request's context needs to know it. */
export interface JsonCall {
  path: string;
  procedure: AnyProcedure;
}

export interface JsonCallsOptions<TContext> {
  router: AnyTRPCRouter;
  /** Where the procedure paths start in the URL, with its slashes: `/trpc/`. */
  basePath: string;
  maxBodyBytes: number;
  /** The most calls one request may carry; a larger batch is left to tRPC, which refuses it. */
  maxBatchCalls: number;
  /** Whether queries may come as POST (tRPC's `allowMethodOverride`). */
  allowMethodOverride: boolean;
  createContext(req: IncomingMessage, res: ServerResponse, calls: readonly JsonCall[]): Promise<TContext>;
  onError(failure: { error: TRPCError; path: string | undefined }): void;
}

const INTERNAL_ERROR_SHAPE = {
  code: -32603,
  message: 'Internal server error',
  data: { code: 'INTERNAL_SERVER_ERROR', httpStatus: 500 },
};

/** Procedure names, comma-separated in a batch; anything else (escapes, slashes) goes to tRPC. */
const PLAIN_PATHS = /^[\w-]+(?:\.[\w-]+)*(?:,[\w-]+(?:\.[\w-]+)*)*$/;

/**
 * A request listener for the JSON calls it can answer: it returns false, having done nothing, for a
 * request it leaves to tRPC's own handler.
 */
export function jsonCallsHandler<TContext>(
  options: JsonCallsOptions<TContext>,
): (req: IncomingMessage, res: ServerResponse) => boolean {
  const procedures = options.router._def.procedures as Record<string, AnyProcedure | undefined>;
  return (req, res) => {
    const url = req.url ?? '';
    const query = url.indexOf('?');
    const pathname = query === -1 ? url : url.slice(0, query);
    if (!pathname.startsWith(options.basePath)) return false;
    const procedurePath = pathname.slice(options.basePath.length);
    if ((req.method !== 'GET' && req.method !== 'POST') || !PLAIN_PATHS.test(procedurePath)) return false;
    if (!sendsJson(req) || acceptHeader(req.headers) === 'application/jsonl') return false;
    const params = new URLSearchParams(query === -1 ? '' : url.slice(query + 1));
    if (params.has('connectionParams')) return false;
    const batch = params.get('batch') === '1';
    const paths = batch ? procedurePath.split(',') : [procedurePath];
    if (paths.length > options.maxBatchCalls) return false;
    const calls: JsonCall[] = [];
    for (const path of paths) {
      const procedure = Object.hasOwn(procedures, path) ? procedures[path] : undefined;
      if (procedure === undefined) return false;
      calls.push({ path, procedure });
    }
    const type = calls[0]!.procedure._def.type;
    if (type === 'subscription' || calls.some((call) => call.procedure._def.type !== type)) return false;
    const allowed =
      req.method === 'GET' ? type === 'query' : type === 'mutation' || options.allowMethodOverride;
    if (!allowed) return false;
    answer(options, req, res, { calls, batch, type, params }).catch((error: unknown) => {
      options.onError({ error: getTRPCErrorFromUnknown(error), path: undefined });
      // What tRPC's adapter answers when even the error cannot be shaped.
      if (res.headersSent) res.destroy();
      else send(res, 500, JSON.stringify({ error: INTERNAL_ERROR_SHAPE }));
    });
    return true;
  };
}

interface Request {
  calls: JsonCall[];
  batch: boolean;
  type: 'query' | 'mutation';
  params: URLSearchParams;
}

async function answer<TContext>(
  options: JsonCallsOptions<TContext>,
  req: IncomingMessage,
  res: ServerResponse,
  { calls, batch, type, params }: Request,
) {
  const config = options.router._def._config;
  // Aborted when the client goes away before its answer, as tRPC's adapter does with the request's signal.
  const abort = new AbortController();
  res.once('close', () => {
    if (!res.writableEnded) abort.abort();
  });
  const inputs = memo(() => readInputs(options, req, params, batch, calls.length));
  // The body is read before any call starts: a call reads its input inside its transaction, which
  // must not wait on the network (on the embedded engine it holds the one connection). A failure to
  // read it is each call's to report, when it asks for its input (memo).
  if (req.method === 'POST') await inputs.read().catch(() => undefined);
  let ctx: TContext | undefined;
  let contextError: TRPCError | undefined;
  try {
    ctx = await options.createContext(req, res, calls);
  } catch (cause) {
    contextError = getTRPCErrorFromUnknown(cause);
  }
  const results = await Promise.all(
    calls.map(async ({ path }, index): Promise<{ data: unknown } | { error: TRPCError }> => {
      try {
        if (contextError !== undefined) throw contextError;
        const data = await callTRPCProcedure({
          router: options.router,
          path,
          getRawInput: async () => (await inputs.read())[index],
          ctx,
          type,
          signal: abort.signal,
          batchIndex: index,
        });
        return { data };
      } catch (cause) {
        const error = getTRPCErrorFromUnknown(cause);
        options.onError({ error, path });
        return { error };
      }
    }),
  );
  const shaped = results.map((result, index) => {
    const call = calls[index]!;
    const error =
      'error' in result
        ? result.error
        : isDataStream(result.data)
          ? new TRPCError({
              code: 'UNSUPPORTED_MEDIA_TYPE',
              message: 'Cannot use stream-like response in non-streaming request - use httpBatchStreamLink',
            })
          : null;
    if (error === null) return { json: { result: { data: (result as { data: unknown }).data } }, error };
    // tRPC reports a lone call's stream-like answer as a failure of the request, without its path.
    const stream = !('error' in result);
    if (stream && !batch) options.onError({ error, path: undefined });
    const path = stream && !batch ? undefined : call.path;
    const input = stream && !batch ? undefined : inputs.result()?.[index];
    return { json: { error: getTRPCErrorShape({ config, ctx, error, input, path, type }) }, error };
  });
  const json = batch ? shaped.map((s) => s.json) : shaped[0]!.json;
  const status = getHTTPStatusCode(json, shaped.map((s) => s.error ?? undefined) as TRPCError[]);
  let body: string;
  try {
    body = JSON.stringify(transformTRPCResponse(config, json as never));
  } catch (cause) {
    // An answer JSON cannot carry (a BigInt, a cycle) fails the request, as in tRPC.
    const error = getTRPCErrorFromUnknown(cause);
    options.onError({ error, path: undefined });
    const shape = getTRPCErrorShape({ config, ctx, error, input: undefined, path: undefined, type });
    return send(
      res,
      getHTTPStatusCode({ error: shape }, [error]),
      JSON.stringify(transformTRPCResponse(config, { error: shape })),
    );
  }
  send(res, status, body);
}

function send(res: ServerResponse, status: number, body: string) {
  res.statusCode = status;
  res.setHeader('vary', 'trpc-accept, accept');
  res.setHeader('content-type', 'application/json');
  res.end(body);
}

/** The calls' inputs by index, as tRPC reads them: `?input=` for GET, the JSON body for POST. */
async function readInputs<TContext>(
  options: JsonCallsOptions<TContext>,
  req: IncomingMessage,
  params: URLSearchParams,
  batch: boolean,
  count: number,
): Promise<Record<number, unknown>> {
  let inputs: unknown;
  if (req.method === 'GET') {
    const given = params.get('input');
    if (given) inputs = JSON.parse(given);
  } else {
    const body = await readBody(req, options.maxBodyBytes);
    if (body) inputs = JSON.parse(body);
  }
  const byIndex: Record<number, unknown> = Object.create(null);
  if (inputs === undefined) return byIndex;
  const { deserialize } = options.router._def._config.transformer.input;
  if (!batch) {
    byIndex[0] = deserialize(inputs);
    return byIndex;
  }
  if (!isObject(inputs)) {
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: '"input" needs to be an object when doing a batch call',
    });
  }
  for (let index = 0; index < count; index++) {
    const input = (inputs as Record<number, unknown>)[index];
    if (input !== undefined) byIndex[index] = deserialize(input);
  }
  return byIndex;
}

/**
 * The body as text; one already read by an earlier step (a decompressed one) is taken from `req.body`.
 * Past `maxBytes` it stops listening without destroying the request, so the refusal can still be sent.
 */
function readBody(req: IncomingMessage, maxBytes: number): Promise<string> {
  const earlier = (req as IncomingMessage & { body?: unknown }).body;
  if (typeof earlier === 'string') return Promise.resolve(earlier);
  if (earlier !== undefined) return Promise.resolve(JSON.stringify(earlier));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) return void chunks.push(chunk);
      stop();
      reject(new TRPCError({ code: 'PAYLOAD_TOO_LARGE' }));
    };
    const onEnd = () => {
      stop();
      const text = Buffer.concat(chunks).toString('utf8');
      // A Fetch body's text() drops a byte order mark; so does this.
      resolve(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    };
    const onError = (error: Error) => {
      stop();
      reject(error);
    };
    // A request whose client left after sending all of it closes without 'end' or 'error'.
    const onClose = () => {
      stop();
      reject(new Error('The request closed before its body was read'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

/**
 * A value read once for every call that asks; a failure is tRPC's BAD_REQUEST with the parser's
 * message (a malformed `input`), and the same for each call.
 */
function memo<T>(load: () => Promise<T>) {
  let value: { is: T } | undefined;
  let loading: Promise<T> | undefined;
  return {
    read: async (): Promise<T> => {
      if (value !== undefined) return value.is;
      loading ??= load().catch((cause: unknown) => {
        if (cause instanceof TRPCError) throw cause;
        throw new TRPCError({
          code: 'BAD_REQUEST',
          message: cause instanceof Error ? cause.message : 'Invalid input',
          cause,
        });
      });
      value = { is: await loading };
      return value.is;
    },
    result: (): T | undefined => value?.is,
  };
}

/** A GET may name no content type; anything but JSON goes to tRPC, which picks its parser or refuses. */
function sendsJson(req: IncomingMessage): boolean {
  const type = req.headers['content-type'];
  if (type === undefined) return req.method === 'GET';
  return type.toLowerCase().split(';', 1)[0]?.trim() === 'application/json';
}

/** tRPC's reading of what the client accepts (`trpc-accept` first, then `accept`). */
function acceptHeader(headers: IncomingHttpHeaders): string | null {
  const trpcAccept = headers['trpc-accept'];
  if (trpcAccept !== undefined) return Array.isArray(trpcAccept) ? trpcAccept.join(', ') : trpcAccept;
  const accept = headers.accept;
  return accept?.split(',').some((t) => t.trim() === 'application/jsonl') ? 'application/jsonl' : null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return !!value && !Array.isArray(value) && typeof value === 'object';
}

/** tRPC's test for an answer that only a streaming response can carry. */
function isDataStream(value: unknown): boolean {
  if (!isObject(value)) return false;
  const values = Object.values(value);
  return Symbol.asyncIterator in value || values.some(isPromise) || values.some(isAsyncIterable);
}

function isPromise(value: unknown): boolean {
  return (
    (isObject(value) || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function' &&
    typeof (value as { catch?: unknown }).catch === 'function'
  );
}

function isAsyncIterable(value: unknown): boolean {
  return isObject(value) && Symbol.asyncIterator in value;
}
