import type { Logger } from 'pino';
import type { AppDeps } from './app-deps.js';
import type { Database } from './db/index.js';
import { type AuditSigningKey, ephemeralSigningKey } from './modules/audit/index.js';
import { LoginLimiter, type LoginLimiterOptions, type SessionPolicy } from './modules/identity/index.js';
import { createCodeCache } from './modules/ingest/index.js';
import { LiveKpiHubs } from './modules/kpi/index.js';
import { EventBus } from './platform/index.js';

/** What differs between the app (env.ts) and a test: everything else AppDeps holds is built here. */
export interface AppDepsOptions {
  readonly db: Database;
  readonly log: Logger;
  readonly version: string;
  readonly sessionPolicy: SessionPolicy;
  readonly loginLimits: LoginLimiterOptions;
  readonly cookieSecure: boolean | undefined;
  readonly trustProxy: boolean;
  /** The demo's history progress file (docs/demo.md), when this cloud runs the demo. */
  readonly demoHistoryFile?: string;
  /**
   * The audit checkpoints' signing key. The app always loads one (cloud-app.ts, AUDIT_SIGNING_KEY);
   * without it a key is generated in memory, which is what tests want.
   */
  readonly auditSigningKey?: AuditSigningKey;
}

/**
 * The one way AppDeps are built, by the app (cloud-app.ts) and the tests alike, so a test server
 * runs with what the app runs. What it starts (the live KPI hubs) stops with stopAppDeps.
 */
export function buildAppDeps(options: AppDepsOptions): AppDeps {
  const { db, log } = options;
  const bus = new EventBus((error, name) => log.error({ err: error, event: name }, 'bus listener failed'));
  return {
    db,
    log,
    version: options.version,
    sessionPolicy: options.sessionPolicy,
    loginLimiter: new LoginLimiter(options.loginLimits),
    cookieSecure: options.cookieSecure,
    trustProxy: options.trustProxy,
    bus,
    codeCache: createCodeCache(bus),
    liveKpi: LiveKpiHubs.of({ db, bus, log }),
    auditSigningKey: options.auditSigningKey ?? ephemeralSigningKey(),
    ...(options.demoHistoryFile === undefined ? {} : { demoHistoryFile: options.demoHistoryFile }),
  };
}

/** Stops what the deps run; call it once the server is closed and before the database is. */
export async function stopAppDeps(deps: AppDeps): Promise<void> {
  await deps.liveKpi.stop();
}
