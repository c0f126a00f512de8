import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_HISTORY_FILE } from '@plantline/schema';
import pino, { type Logger } from 'pino';
import type { AppDeps } from './app-deps.js';
import { buildAppDeps, stopAppDeps } from './build-app-deps.js';
import { BackupSocket, backupArchive, openDatabase } from './db/index.js';
import type { CloudEnv } from './env.js';
import { type RunningServer, startHttpServer, type WebHandler } from './http/server.js';
import { defaultWebBuildDir, loadWebHandler } from './http/web-ui.js';
import { loadSigningKey, SIGNING_KEY_FILE, scheduleAuditCheck } from './modules/audit/index.js';
import { syncShippedDashboards } from './modules/dashboards/index.js';
import {
  type DemoCredentials,
  scheduleDemoReports,
  seedDemoTenant,
  writeDemoLineOrders,
} from './modules/demo/index.js';
import { scheduleRollupRefresh } from './modules/kpi/index.js';
import { scheduleSilentPrints } from './modules/labels/index.js';
import { scheduleShiftHorizon } from './modules/production/index.js';
import { scheduleReportSchedules } from './modules/reports/index.js';
import { registerSlaJob } from './modules/workflow/index.js';
import {
  InProcessJobQueue,
  IntervalScheduler,
  PgBossJobQueue,
  PgBossScheduler,
  type Scheduler,
} from './platform/index.js';
import { cloudVersion } from './version.js';

export interface RunningCloud {
  url: string;
  deps: AppDeps;
  demo: DemoCredentials | null;
  stop(): Promise<void>;
}

/**
 * Builds and starts the cloud: database (migrated), demo data on first start, HTTP + WebSocket
 * server with the web UI. main.ts runs it as a process; tests run it in-process.
 */
export async function startCloud(
  env: CloudEnv,
  options: {
    log?: Logger;
    web?: WebHandler | null;
    inMemory?: boolean;
    /** With `inMemory`: a migrated embedded engine's dump to start from (tests; docs/testing.md). */
    embeddedSnapshot?: Blob;
  } = {},
): Promise<RunningCloud> {
  const startedAt = Date.now();
  mkdirSync(env.dataDir, { recursive: true });
  const log = options.log ?? pino({ level: env.LOG_LEVEL, name: 'cloud' });
  const db = await openDatabase({
    url: env.DATABASE_URL,
    appUrl: env.DATABASE_APP_URL,
    appPassword: env.DATABASE_APP_PASSWORD,
    readUrl: env.DATABASE_READ_URL,
    dataDir: options.inMemory ? null : env.dataDir,
    embeddedSnapshot: options.inMemory ? options.embeddedSnapshot : undefined,
    log: log.child({ module: 'db' }),
  });
  let server: RunningServer | null = null;
  let scheduler: Scheduler | null = null;
  let deps: AppDeps | null = null;
  try {
    deps = buildAppDeps({
      db,
      log,
      version: cloudVersion,
      relay: true,
      sessionPolicy: {
        idleMs: env.SESSION_IDLE_MINUTES * 60_000,
        maxMs: env.SESSION_MAX_HOURS * 3_600_000,
        rotateMs: env.SESSION_ROTATE_MINUTES * 60_000,
      },
      loginLimits: {
        windowMs: env.LOGIN_WINDOW_MINUTES * 60_000,
        maxFailuresPerAccountAndAddress: env.LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS,
        maxFailuresPerAccount: env.LOGIN_MAX_FAILURES_PER_ACCOUNT,
        maxFailuresPerAddress: env.LOGIN_MAX_FAILURES_PER_ADDRESS,
      },
      cookieSecure: env.COOKIE_SECURE,
      trustProxy: env.TRUST_PROXY,
      demoHistoryFile: join(env.dataDir, DEMO_HISTORY_FILE),
      email:
        env.SMTP_URL === undefined
          ? undefined
          : {
              smtpUrl: env.SMTP_URL,
              from: env.SMTP_FROM,
              // Links in emails need the address users reach: PUBLIC_URL, else the one printed at start.
              publicUrl: () => env.PUBLIC_URL ?? server?.url ?? `http://${env.HOST}:${env.PORT}`,
            },
      reports: {
        dir: env.REPORTS_DIR ?? join(env.dataDir, 'reports'),
        retentionDays: env.REPORT_RETENTION_DAYS,
        // One-off jobs like the scheduler's periodic ones: pg-boss on a server, in-process embedded.
        queue:
          env.DATABASE_URL === undefined
            ? new InProcessJobQueue(log.child({ module: 'jobs' }))
            : new PgBossJobQueue(env.DATABASE_URL, log.child({ module: 'jobs' })),
      },
      auditSigningKey: loadSigningKey(
        env.AUDIT_SIGNING_KEY ?? { path: join(env.dataDir, SIGNING_KEY_FILE), createIfMissing: true },
      ),
    });
    await deps.relay?.ready;
    await syncShippedDashboards(db);
    const demo = env.DEMO_SEED
      ? await seedDemoTenant(db, {
          dataDir: env.dataDir,
          email: env.DEMO_ADMIN_EMAIL,
          password: env.DEMO_ADMIN_PASSWORD,
          historyDays: env.DEMO_HISTORY_DAYS,
          log,
          notifications: deps,
          workflowEntities: deps.workflowEntities,
          app: deps,
        })
      : null;
    // What each demo line is making, for `pnpm start`'s simulators (docs/demo.md, "Materials and stock").
    if (demo !== null) await writeDemoLineOrders(db, env.dataDir);
    const web =
      options.web !== undefined
        ? options.web
        : await loadWebHandler(env.WEB_BUILD_DIR ?? defaultWebBuildDir, log);
    // Jobs: pg-boss on a server, an in-process interval on the embedded engine (scheduler.ts says why).
    const jobsLog = log.child({ module: 'jobs' });
    scheduler =
      env.DATABASE_URL === undefined
        ? new IntervalScheduler(jobsLog)
        : new PgBossScheduler(env.DATABASE_URL, jobsLog);
    scheduleShiftHorizon(scheduler, db, log.child({ module: 'shifts' }));
    scheduleRollupRefresh(scheduler, db, {
      log: log.child({ module: 'rollups' }),
      intervalMs: env.ROLLUP_REFRESH_SECONDS * 1000,
    });
    deps.email?.schedule(scheduler);
    scheduleAuditCheck(scheduler, {
      db,
      bus: deps.bus,
      log: log.child({ module: 'audit' }),
      signingKey: deps.auditSigningKey,
    });
    registerSlaJob(scheduler, {
      db,
      bus: deps.bus,
      email: deps.email,
      workflowEntities: deps.workflowEntities,
      log: log.child({ module: 'workflow-sla' }),
    });
    scheduleSilentPrints(scheduler, { db, log: log.child({ module: 'labels' }) });
    deps.reports.schedule(scheduler);
    const runner = deps.reports;
    scheduleReportSchedules(scheduler, {
      db,
      bus: deps.bus,
      email: deps.email,
      log: log.child({ module: 'report-schedules' }),
      enqueue: (tenantId, executionId) => runner.enqueue(tenantId, executionId),
    });
    if (demo !== null)
      scheduleDemoReports(scheduler, {
        db,
        log: log.child({ module: 'demo' }),
        historyFile: join(env.dataDir, DEMO_HISTORY_FILE),
        enqueue: (tenantId, executionId) => runner.enqueue(tenantId, executionId),
      });
    await scheduler.start();
    await deps.reports.start();
    const jobs = scheduler;
    server = await startHttpServer({
      deps,
      host: env.HOST,
      port: env.PORT,
      maxBodyBytes: env.MAX_BODY_BYTES,
      maxBatchCalls: env.MAX_BATCH_CALLS,
      callLimits: {
        callsPerConnection: env.WS_MAX_CALLS_PER_CONNECTION,
        callsPerUser: env.WS_MAX_CALLS_PER_USER,
        subscriptionsPerConnection: env.WS_MAX_SUBSCRIPTIONS_PER_CONNECTION,
        subscriptionsPerUser: env.MAX_SUBSCRIPTIONS_PER_USER,
      },
      allowedOrigins: env.ALLOWED_ORIGINS,
      startedAt,
      web,
      chromiumPath: env.CHROMIUM_PATH,
    });
    const running = server;
    const built = deps;
    // `pnpm db:backup` asks the cloud holding the embedded files to take the backup (docs/operations.md).
    const backupSocket =
      db.backup === undefined || options.inMemory
        ? null
        : new BackupSocket({
            dataDir: env.dataDir,
            backup: () => backupArchive(db),
            log: log.child({ module: 'backup' }),
          });
    await backupSocket?.start();
    log.info({ url: running.url, database: db.mode, startupMs: Date.now() - startedAt }, 'cloud listening');
    return {
      url: running.url,
      deps,
      demo,
      stop: async () => {
        await backupSocket?.stop();
        await running.close();
        await stopAppDeps(built);
        await jobs.stop();
        await db.close();
      },
    };
  } catch (error) {
    if (deps !== null) await stopAppDeps(deps);
    await scheduler?.stop();
    await db.close();
    throw error;
  }
}
