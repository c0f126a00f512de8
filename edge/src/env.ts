import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { z } from 'zod';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

// Compose files and shells often export `VAR=` to mean "not set"; treating '' as a value would turn
// `EDGE_STATUS_PORT=` into port 0 and `EDGE_API_KEY=` into a malformed key.
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

const httpUrl = z.string().refine(
  (value) => {
    try {
      const { protocol } = new URL(value);
      return protocol === 'http:' || protocol === 'https:';
    } catch {
      return false;
    }
  },
  { error: (issue) => `must be an http(s) URL such as http://127.0.0.1:3000 (got "${String(issue.input)}")` },
);

const port = z
  .string()
  .regex(/^\d+$/, { error: (issue) => `must be an integer from 0 to 65535 (got "${String(issue.input)}")` })
  .transform(Number)
  .refine((value) => value <= 65535, {
    error: (issue) => `must be at most 65535 (got ${String(issue.input)})`,
  });

// The key value is deliberately kept out of the message: env errors end up in logs and terminals.
const apiKey = z.string().regex(/^plk_\S+$/, {
  error: 'must look like plk_… (the key shown once when it was created in the cloud)',
});

const edgeEnvSchema = z.object({
  EDGE_CLOUD_URL: optional(httpUrl),
  EDGE_API_KEY: optional(apiKey),
  EDGE_NAME: optional(z.string().trim().min(1).max(100)),
  EDGE_STATUS_HOST: optional(z.string().trim().min(1)),
  EDGE_STATUS_PORT: optional(port),
  EDGE_DATA_DIR: optional(z.string()),
  LOG_LEVEL: optional(z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` })),
});

/** Every variable the edge reads (the compose file is checked against this list). */
export const edgeEnvKeys = Object.keys(edgeEnvSchema.shape);

export interface EdgeEnv {
  /** Without a trailing slash, so endpoint paths can be appended to it (a path prefix is kept). */
  cloudUrl: string;
  apiKey: string | undefined;
  name: string;
  statusHost: string;
  statusPort: number;
  /** Absolute; resolved against the working directory the edge was started in. */
  dataDir: string;
  logLevel: (typeof LOG_LEVELS)[number];
}

export class EdgeEnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid edge configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'EdgeEnvError';
  }
}

export interface EdgeEnvContext {
  cwd?: string;
  hostname?: string;
}

export function loadEdgeEnv(
  source: Record<string, string | undefined> = process.env,
  context: EdgeEnvContext = {},
): EdgeEnv {
  const parsed = edgeEnvSchema.safeParse(source);
  if (!parsed.success) {
    throw new EdgeEnvError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const env = parsed.data;
  return {
    cloudUrl: (env.EDGE_CLOUD_URL ?? 'http://127.0.0.1:3000').replace(/\/+$/, ''),
    apiKey: env.EDGE_API_KEY,
    name: env.EDGE_NAME ?? context.hostname ?? hostname(),
    statusHost: env.EDGE_STATUS_HOST ?? '127.0.0.1',
    statusPort: env.EDGE_STATUS_PORT ?? 8090,
    dataDir: resolve(context.cwd ?? process.cwd(), env.EDGE_DATA_DIR ?? '.plantline/edge'),
    logLevel: env.LOG_LEVEL ?? 'info',
  };
}
