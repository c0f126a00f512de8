import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { SPARKPLUG_ID_PATTERN } from '@plantline/schema';
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

const brokerUrl = z.string().refine(
  (value) => {
    try {
      return ['mqtt:', 'mqtts:', 'ws:', 'wss:', 'tcp:', 'tls:'].includes(new URL(value).protocol);
    } catch {
      return false;
    }
  },
  { error: (issue) => `must be an MQTT URL such as mqtt://broker:1883 (got "${String(issue.input)}")` },
);

const byteSize = z
  .string()
  .regex(/^\d+$/, { error: (issue) => `must be a number of bytes (got "${String(issue.input)}")` })
  .transform(Number)
  .refine((value) => value >= 1024 * 1024, { error: 'must be at least 1048576 (1 MiB)' });

const flag = z.enum(['true', 'false'], { error: 'must be true or false' }).transform((v) => v === 'true');

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
  EDGE_MQTT_HOST: optional(z.string().trim().min(1)),
  EDGE_MQTT_PORT: optional(port),
  EDGE_MQTT_USERNAME: optional(z.string()),
  EDGE_MQTT_PASSWORD: optional(z.string()),
  EDGE_MQTT_ALLOW_ANONYMOUS: optional(flag),
  EDGE_BROKER_URL: optional(brokerUrl),
  EDGE_BROKER_CLIENT_ID: optional(z.string().trim().min(1).max(64)),
  EDGE_OUTBOX_MAX_BYTES: optional(byteSize),
  EDGE_SPARKPLUG_MAPPING: optional(z.string()),
  EDGE_SPARKPLUG_HOST_ID: optional(
    z.string().trim().regex(SPARKPLUG_ID_PATTERN, 'must be 1–255 characters without /, + or #'),
  ),
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
  /** Embedded broker address; 127.0.0.1 so a fresh install is not open to the plant network. */
  mqttHost: string;
  mqttPort: number;
  /** Embedded: what devices must present (both set, or no auth). Client mode: the edge's own login. */
  mqttUsername: string | undefined;
  mqttPassword: string | undefined;
  /** Embedded: let devices without a username in. Off unless explicitly set (docs/device-integration.md). */
  mqttAllowAnonymous: boolean;
  /** Set: client of this plant broker instead of the embedded one. */
  brokerUrl: string | undefined;
  brokerClientId: string;
  outboxMaxBytes: number;
  /** Set: Sparkplug B is mapped by this JSON file instead of the cloud's rules; absolute like dataDir. */
  sparkplugMapping: string | undefined;
  /** Set: publish the edge's Sparkplug STATE as this primary host id. */
  sparkplugHostId: string | undefined;
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
  if ((env.EDGE_MQTT_USERNAME === undefined) !== (env.EDGE_MQTT_PASSWORD === undefined)) {
    throw new EdgeEnvError(['EDGE_MQTT_USERNAME and EDGE_MQTT_PASSWORD: set both or neither']);
  }
  const name = env.EDGE_NAME ?? context.hostname ?? hostname();
  return {
    cloudUrl: (env.EDGE_CLOUD_URL ?? 'http://127.0.0.1:3000').replace(/\/+$/, ''),
    apiKey: env.EDGE_API_KEY,
    name,
    statusHost: env.EDGE_STATUS_HOST ?? '127.0.0.1',
    statusPort: env.EDGE_STATUS_PORT ?? 8090,
    dataDir: resolve(context.cwd ?? process.cwd(), env.EDGE_DATA_DIR ?? '.plantline/edge'),
    logLevel: env.LOG_LEVEL ?? 'info',
    mqttHost: env.EDGE_MQTT_HOST ?? '127.0.0.1',
    mqttPort: env.EDGE_MQTT_PORT ?? 1883,
    mqttUsername: env.EDGE_MQTT_USERNAME,
    mqttPassword: env.EDGE_MQTT_PASSWORD,
    mqttAllowAnonymous: env.EDGE_MQTT_ALLOW_ANONYMOUS ?? false,
    brokerUrl: env.EDGE_BROKER_URL,
    // MQTT client ids allow a small alphabet on some brokers; the edge name may hold anything.
    brokerClientId:
      env.EDGE_BROKER_CLIENT_ID ?? `plantline-edge-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`.slice(0, 64),
    outboxMaxBytes: env.EDGE_OUTBOX_MAX_BYTES ?? 2 * 1024 ** 3,
    sparkplugMapping:
      env.EDGE_SPARKPLUG_MAPPING === undefined
        ? undefined
        : resolve(context.cwd ?? process.cwd(), env.EDGE_SPARKPLUG_MAPPING),
    sparkplugHostId: env.EDGE_SPARKPLUG_HOST_ID,
  };
}
