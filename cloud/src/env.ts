import { createPrivateKey } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';

/*
 * The cloud's configuration: the one place that reads process.env, so every setting is validated
 * once. Every variable is listed in the README's configuration table.
 */
const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'])
  .transform((v) => ['true', '1', 'yes', 'on'].includes(v));

/**
 * The key that signs audit checkpoints (docs/audit.md, "The signing key"): an Ed25519 private key in
 * PEM, given inline (newlines may be written as \n, as env files often need) or as the path of a PEM
 * file. A named file must exist: creating a fresh key where an operator pointed at theirs would hide a
 * missing mount. Unset, the cloud keeps its own key in the data folder.
 */
const signingKeySetting = z.string().transform((value, ctx) => {
  if (!value.includes('-----BEGIN')) {
    const path = resolve(value);
    if (!existsSync(path)) {
      ctx.addIssue({ code: 'custom', message: `no file at ${path} (give a PEM private key or its path)` });
      return z.NEVER;
    }
    return { path };
  }
  const pem = value.replaceAll('\\n', '\n');
  try {
    const key = createPrivateKey(pem);
    if (key.asymmetricKeyType === 'ed25519') return { pem };
    ctx.addIssue({ code: 'custom', message: `not an Ed25519 key (it is ${key.asymmetricKeyType})` });
  } catch {
    ctx.addIssue({ code: 'custom', message: 'not a PEM private key' });
  }
  return z.NEVER;
});

const cloudEnvSchema = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: z.url().optional(),
  DATABASE_APP_URL: z.url().optional(),
  DATABASE_APP_PASSWORD: z.string().min(1).optional(),
  /** A replica of DATABASE_URL for reads that may lag: report runs (docs/architecture.md, "The database"). */
  DATABASE_READ_URL: z.url().optional(),
  PLANTLINE_DATA_DIR: z.string().min(1).default('.plantline'),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).default(720),
  SESSION_MAX_HOURS: z.coerce.number().int().min(1).default(168),
  SESSION_ROTATE_MINUTES: z.coerce.number().int().min(1).default(15),
  COOKIE_SECURE: flag.optional(),
  TRUST_PROXY: flag.default(false),
  MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    // An ingest batch of MAX_BATCH_EVENTS events with telemetry runs to a few MiB.
    .default(8 * 1024 * 1024),
  LOGIN_WINDOW_MINUTES: z.coerce.number().int().min(1).default(15),
  LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS: z.coerce.number().int().min(1).default(5),
  // Larger than the per-address limit, so failures elsewhere do not lock the real user out
  // (docs/security.md, "Sign-in").
  LOGIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).default(30),
  LOGIN_MAX_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).default(20),
  /** Browser origins besides the cloud's own that may call the API, comma-separated. */
  ALLOWED_ORIGINS: z
    .string()
    .transform((list) =>
      list
        .split(',')
        .map((origin) => origin.trim())
        .filter((origin) => origin !== ''),
    )
    .pipe(
      z.array(z.url().refine((url) => new URL(url).origin === url, 'Use an origin: scheme://host[:port]')),
    )
    .default([]),
  // The web client batches at most 20 calls (web/src/lib/trpc.ts).
  MAX_BATCH_CALLS: z.coerce.number().int().min(1).default(50),
  WS_MAX_CALLS_PER_CONNECTION: z.coerce.number().int().min(1).default(16),
  WS_MAX_CALLS_PER_USER: z.coerce.number().int().min(1).default(64),
  WS_MAX_SUBSCRIPTIONS_PER_CONNECTION: z.coerce.number().int().min(1).default(100),
  MAX_SUBSCRIPTIONS_PER_USER: z.coerce.number().int().min(1).default(300),
  DEMO_SEED: flag.default(true),
  DEMO_SIMULATOR: flag.default(true),
  DEMO_ADMIN_EMAIL: z.email().default('admin@demo.plantline.local'),
  DEMO_ADMIN_PASSWORD: z.string().min(12).optional(),
  /** Days of simulated history `pnpm start` backfills on the demo's first start; 0 turns it off (docs/demo.md). */
  DEMO_HISTORY_DAYS: z.coerce.number().int().min(0).max(30).default(7),
  WEB_BUILD_DIR: z.string().min(1).optional(),
  /** How often the KPI rollups are refreshed; between refreshes the KPI queries read newer rows raw. */
  ROLLUP_REFRESH_SECONDS: z.coerce.number().int().min(1).default(60),
  /** The SMTP server notifications are emailed through; unset, no email is sent (docs/notifications.md). */
  SMTP_URL: z
    .url()
    .refine((url) => ['smtp:', 'smtps:'].includes(new URL(url).protocol), 'Use smtp://… or smtps://…')
    .optional(),
  /** The sender of notification emails: an address, or `Name <address>`. */
  SMTP_FROM: z.string().trim().min(3).max(320).default('Plantline <plantline@localhost>'),
  /** The web app's address as users reach it, for links in emails; unset, the address the cloud prints. */
  PUBLIC_URL: z
    .url()
    .refine((url) => ['http:', 'https:'].includes(new URL(url).protocol), 'Use http://… or https://…')
    .transform((url) => url.replace(/\/+$/, ''))
    .optional(),
  AUDIT_SIGNING_KEY: signingKeySetting.optional(),
  /** Debian's Chromium, which draws dashboard PDFs (docs/dashboards.md, "Snapshot PDF"); never downloaded. */
  CHROMIUM_PATH: z.string().min(1).default('/usr/bin/chromium'),
  /** Where report outputs are kept (docs/reports.md); unset, `reports` in the data folder. */
  REPORTS_DIR: z.string().min(1).optional(),
  /** Days a report's output is kept before it is deleted (the run stays, marked expired). */
  REPORT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
});

/** Settings that only make sense together. */
const checkedEnvSchema = cloudEnvSchema.superRefine((env, ctx) => {
  if (env.DATABASE_READ_URL !== undefined && env.DATABASE_URL === undefined)
    ctx.addIssue({
      code: 'custom',
      path: ['DATABASE_READ_URL'],
      message:
        'needs DATABASE_URL: a read server is a replica of a PostgreSQL server; the embedded engine has none',
    });
});

/** Every variable the cloud reads (the compose file is checked against this list). */
export const cloudEnvKeys = Object.keys(cloudEnvSchema.shape);

export type CloudEnv = z.infer<typeof cloudEnvSchema> & { dataDir: string };

export function loadCloudEnv(source: Record<string, string | undefined> = process.env): CloudEnv {
  // Empty strings mean "unset" so that `FOO= pnpm start` behaves like leaving FOO out.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = checkedEnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid Plantline cloud configuration:\n${problems}`);
  }
  return { ...parsed.data, dataDir: resolve(parsed.data.PLANTLINE_DATA_DIR) };
}
