import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { AppDeps } from './app-deps.js';
import type { Database } from './db/index.js';
import { type AuditSigningKey, ephemeralSigningKey } from './modules/audit/index.js';
import { changeOrderWorkflowEntity } from './modules/change-orders/index.js';
import { startBusRelay } from './modules/events/index.js';
import {
  InMemoryLoginLimiter,
  type LoginLimiterOptions,
  PasswordConfirmations,
  type SessionPolicy,
  SharedLoginLimiter,
} from './modules/identity/index.js';
import { createCodeCache } from './modules/ingest/index.js';
import { LiveKpiHubs } from './modules/kpi/index.js';
import { BarcodePool } from './modules/labels/index.js';
import { ncrWorkflowEntity } from './modules/ncrs/index.js';
import { EmailOutbox, notifyOnAuditFailure, smtpTransport } from './modules/notifications/index.js';
import { ReportRunner } from './modules/reports/index.js';
import { stationScanHandlers } from './modules/shipments/index.js';
import { transferStationHandler } from './modules/transfers/index.js';
import { recordEditGuard, withConfigEntities, workflowEntityMap } from './modules/workflow/index.js';
import { EventBus, InProcessJobQueue, type JobQueue } from './platform/index.js';

/** What differs between the app (env.ts) and a test: everything else AppDeps holds is built here. */
export interface AppDepsOptions {
  readonly db: Database;
  readonly log: Logger;
  readonly version: string;
  readonly sessionPolicy: SessionPolicy;
  readonly loginLimits: LoginLimiterOptions;
  /**
   * true for a serving instance: relay bus effects to and from the other instances on the same
   * PostgreSQL server (events/bus-relay.ts). Contexts built for a single call leave it off.
   */
  readonly relay?: boolean;
  readonly cookieSecure: boolean | undefined;
  readonly trustProxy: boolean;
  /** The demo's history progress file (docs/demo.md), when this cloud runs the demo. */
  readonly demoHistoryFile?: string;
  /** Notification email through this SMTP server (docs/notifications.md); none without it. */
  readonly email?: EmailOptions | undefined;
  /**
   * The audit checkpoints' signing key. The app always loads one (cloud-app.ts, AUDIT_SIGNING_KEY);
   * without it a key is generated in memory, which is what tests want.
   */
  readonly auditSigningKey?: AuditSigningKey;
  /** Report runs: the store, retention and queue (cloud-app.ts); tests get a temporary store and an in-process queue. */
  readonly reports?: ReportOptions;
}

export interface ReportOptions {
  readonly dir?: string;
  readonly retentionDays?: number;
  readonly queue?: JobQueue;
  readonly batchRows?: number;
  readonly beforeBatch?: (executionId: string) => Promise<void>;
  readonly recheckMs?: number;
}

export interface EmailOptions {
  /** `smtp://user:pass@host:587` or `smtps://…`. */
  readonly smtpUrl: string;
  readonly from: string;
  /** The web app's address for links in emails, asked when one is sent. */
  readonly publicUrl: () => string;
  /** Tests move the outbox's clock instead of waiting for retries. */
  readonly clock?: () => Date;
}

/** The app's record types that run workflows: NCRs, change orders and the configured entities. */
export function appWorkflowEntities(): AppDeps['workflowEntities'] {
  return workflowEntityMap(withConfigEntities([ncrWorkflowEntity, changeOrderWorkflowEntity]));
}

/**
 * The one way AppDeps are built, by the app (cloud-app.ts) and the tests alike, so a test server
 * runs with what the app runs. What it starts (the live KPI hubs, the label renderer's threads once
 * used) stops with stopAppDeps.
 */
export function buildAppDeps(options: AppDepsOptions): AppDeps {
  const { db, log } = options;
  const bus = new EventBus((error, name) => log.error({ err: error, event: name }, 'bus listener failed'));
  const deps: AppDeps = {
    db,
    log,
    version: options.version,
    sessionPolicy: options.sessionPolicy,
    // On a server every instance counts sign-in attempts in the database (login-limiter-shared.ts).
    loginLimiter:
      db.mode === 'server'
        ? new SharedLoginLimiter(db, options.loginLimits)
        : new InMemoryLoginLimiter(options.loginLimits),
    passwordConfirmations: new PasswordConfirmations(),
    cookieSecure: options.cookieSecure,
    trustProxy: options.trustProxy,
    bus,
    codeCache: createCodeCache(bus),
    relay: options.relay === true ? startBusRelay({ db, bus, log }) : null,
    liveKpi: LiveKpiHubs.of({ db, bus, log }),
    email:
      options.email === undefined
        ? null
        : new EmailOutbox({
            db,
            bus,
            log: log.child({ module: 'email' }),
            transport: smtpTransport(options.email.smtpUrl, options.email.from),
            publicUrl: options.email.publicUrl,
            ...(options.email.clock === undefined ? {} : { clock: options.email.clock }),
          }),
    auditSigningKey: options.auditSigningKey ?? ephemeralSigningKey(),
    workflowEntities: appWorkflowEntities(),
    recordEdits: recordEditGuard(),
    barcodes: new BarcodePool(),
    reports: new ReportRunner({
      db,
      log: log.child({ module: 'reports' }),
      dir: options.reports?.dir ?? join(tmpdir(), `plantline-reports-${randomUUID()}`),
      retentionDays: options.reports?.retentionDays ?? 30,
      queue: options.reports?.queue ?? new InProcessJobQueue(log.child({ module: 'jobs' })),
      ...(options.reports?.batchRows === undefined ? {} : { batchRows: options.reports.batchRows }),
      ...(options.reports?.beforeBatch === undefined ? {} : { beforeBatch: options.reports.beforeBatch }),
      ...(options.reports?.recheckMs === undefined ? {} : { recheckMs: options.reports.recheckMs }),
    }),
    stationScans: stationScanHandlers().register('transfer', transferStationHandler),
    ...(options.demoHistoryFile === undefined ? {} : { demoHistoryFile: options.demoHistoryFile }),
  };
  notifyOnAuditFailure(deps);
  return deps;
}

/** Stops what the deps run; call it once the server is closed and before the database is. */
export async function stopAppDeps(deps: AppDeps): Promise<void> {
  await deps.relay?.stop();
  await deps.reports.stop();
  await deps.liveKpi.stop();
  await deps.email?.stop();
  await deps.barcodes.stop();
}
