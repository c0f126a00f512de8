#!/usr/bin/env -S npx tsx
import { parseArgs } from 'node:util';
import { type EdgeEnv, EdgeEnvError, loadEdgeEnv } from './env';
import { edgeStatusSchema } from './status/edge-status';
import { formatStatus } from './status/format-status';
import { localUrl } from './status/listen';
import { statusAuthorization, statusCredentials } from './status/status-auth';
import { readStatusUrl } from './status/status-url-file';

const USAGE = `Usage: plantline-edge status [--url http://127.0.0.1:8090] [--json]

  --url   the edge's status endpoint; default: the URL the running edge wrote to its data dir,
          else EDGE_STATUS_HOST:EDGE_STATUS_PORT (127.0.0.1:8090)
  --json  print the raw status document

When the edge has an API key or a local login (EDGE_API_KEY, EDGE_MQTT_USERNAME/EDGE_MQTT_PASSWORD), its
status port asks for them; this command sends those of its own environment.

Exit code 0 when the edge answered, 1 when it did not (or the environment is invalid), 2 on wrong usage.
`;

async function main(argv: string[]): Promise<number> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse(argv);
  } catch (err) {
    return fail(`${(err as Error).message}\n\n${USAGE}`, 2);
  }
  if (args.values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (args.positionals.length !== 1 || args.positionals[0] !== 'status') return fail(USAGE, 2);

  // With --url the environment may belong to another edge, or be incomplete: then no credentials.
  let env: EdgeEnv | undefined;
  try {
    env = loadEdgeEnv();
  } catch (err) {
    if (!(err instanceof EdgeEnvError) || args.values.url === undefined) {
      return fail(err instanceof Error ? err.message : String(err), 1);
    }
  }
  let url: string;
  try {
    url = toStatusUrl(args.values.url ?? (await defaultStatusUrl(env!)));
  } catch (err) {
    return fail(`--url: ${err instanceof Error ? err.message : String(err)}`, 2);
  }

  let body: string;
  try {
    const authorization = env && statusAuthorization(statusCredentials(env));
    const response = await fetch(url, {
      signal: AbortSignal.timeout(3000),
      ...(authorization ? { headers: { authorization } } : {}),
    });
    body = await response.text();
    if (response.status === 401) {
      return fail(
        `the edge at ${url} asks for its credentials: run this with its EDGE_API_KEY, or EDGE_MQTT_USERNAME and EDGE_MQTT_PASSWORD, set`,
        1,
      );
    }
    if (!response.ok) return fail(`the edge at ${url} answered HTTP ${response.status}`, 1);
  } catch (err) {
    const reason = err instanceof Error && err.cause instanceof Error ? err.cause.message : String(err);
    return fail(`no edge answering at ${url} (${reason}). Is it running? Start it with: pnpm start`, 1);
  }

  if (args.values.json) {
    process.stdout.write(body.endsWith('\n') ? body : `${body}\n`);
    return 0;
  }
  let parsed: ReturnType<typeof edgeStatusSchema.safeParse>;
  try {
    parsed = edgeStatusSchema.safeParse(JSON.parse(body));
  } catch {
    return fail(`${url} did not answer JSON; is that a Plantline edge?`, 1);
  }
  if (!parsed.success) return fail(`${url} answered something that is not an edge status (try --json)`, 1);
  process.stdout.write(formatStatus(parsed.data, url, new Date()));
  return 0;
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    options: { url: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
  });
}

async function defaultStatusUrl(env: EdgeEnv): Promise<string> {
  return (await readStatusUrl(env.dataDir)) ?? localUrl(env.statusHost, env.statusPort);
}

/** Accepts the base URL as well as the full /status URL the edge logs and announces. */
function toStatusUrl(raw: string): string {
  const url = new URL(raw);
  if (!url.pathname.endsWith('/status')) url.pathname = `${url.pathname.replace(/\/+$/, '')}/status`;
  return url.toString();
}

function fail(message: string, code: number): number {
  process.stderr.write(`plantline-edge: ${message.trimEnd()}\n`);
  return code;
}

process.exitCode = await main(process.argv.slice(2));
