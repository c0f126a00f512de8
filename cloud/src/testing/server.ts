import { buildAppDeps, type EmailOptions, type ReportOptions, stopAppDeps } from '../build-app-deps.js';
import type { Database } from '../db/index.js';
import { startHttpServer, type WebHandler } from '../http/server.js';
import type { SessionPolicy } from '../modules/identity/index.js';
import type { CallLimits } from '../trpc/call-limits.js';
import { testLog } from './engines.js';

export interface TestServerOptions {
  sessionPolicy?: Partial<SessionPolicy>;
  maxFailuresPerAccountAndAddress?: number;
  maxFailuresPerAccount?: number;
  maxFailuresPerAddress?: number;
  /** Believe X-Forwarded-For / -Proto, so a test can call from several client addresses. */
  trustProxy?: boolean;
  maxBodyBytes?: number;
  callLimits?: Partial<CallLimits>;
  allowedOrigins?: string[];
  /** Notification email through a test's SMTP server; links point at the test server unless `publicUrl` says. */
  email?: Omit<EmailOptions, 'publicUrl' | 'from'> & { publicUrl?: () => string; from?: string };
  /** The report runner's store, batch size and hooks (docs/reports.md). */
  reports?: ReportOptions;
  /** The built web UI, for tests that open pages (a dashboard PDF); none by default. */
  web?: WebHandler | null;
  /** Chromium for dashboard PDFs; its usual path by default. */
  chromiumPath?: string;
  /** False: every tRPC call through tRPC's own handler (json-calls.test.ts compares the two). */
  directJsonCalls?: boolean;
}

/** The real HTTP + WebSocket server on an ephemeral port, over a test database. */
export async function startTestServer(db: Database, options: TestServerOptions = {}) {
  // The server's own address, once it listens: email links point there.
  let url = 'http://127.0.0.1';
  const deps = buildAppDeps({
    db,
    log: testLog,
    version: 'test',
    relay: true,
    sessionPolicy: { idleMs: 3_600_000, maxMs: 86_400_000, rotateMs: 900_000, ...options.sessionPolicy },
    loginLimits: {
      windowMs: 900_000,
      maxFailuresPerAccountAndAddress: options.maxFailuresPerAccountAndAddress ?? 5,
      maxFailuresPerAccount: options.maxFailuresPerAccount ?? 30,
      maxFailuresPerAddress: options.maxFailuresPerAddress ?? 20,
    },
    cookieSecure: undefined,
    trustProxy: options.trustProxy ?? false,
    email:
      options.email === undefined
        ? undefined
        : {
            from: 'Plantline <plantline@test.plantline.local>',
            publicUrl: () => url,
            ...options.email,
          },
    ...(options.reports === undefined ? {} : { reports: options.reports }),
  });
  await deps.relay?.ready;
  await deps.reports.start();
  const server = await startHttpServer({
    deps,
    host: '127.0.0.1',
    port: 0,
    maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024,
    maxBatchCalls: 50,
    callLimits: {
      callsPerConnection: 16,
      callsPerUser: 64,
      subscriptionsPerConnection: 100,
      subscriptionsPerUser: 300,
      ...options.callLimits,
    },
    allowedOrigins: options.allowedOrigins ?? [],
    startedAt: Date.now(),
    web: options.web ?? null,
    ...(options.chromiumPath === undefined ? {} : { chromiumPath: options.chromiumPath }),
    ...(options.directJsonCalls === undefined ? {} : { directJsonCalls: options.directJsonCalls }),
  });
  url = server.url;
  return {
    ...server,
    deps,
    close: async () => {
      await server.close();
      await stopAppDeps(deps);
    },
  };
}
