import type { Logger } from 'pino';
import type { Database } from './db/index.js';
import type { AuditSigningKey } from './modules/audit/index.js';
import type { BusRelay } from './modules/events/index.js';
import type { LoginLimiter, PasswordConfirmations, SessionPolicy } from './modules/identity/index.js';
import type { CodeCache } from './modules/ingest/index.js';
import type { LiveKpiHubs } from './modules/kpi/index.js';
import type { BarcodePool } from './modules/labels/index.js';
import type { EmailOutbox } from './modules/notifications/index.js';
import type { ReportRunner } from './modules/reports/index.js';
import type { StationScanHandlers } from './modules/shipments/index.js';
import type { WorkflowContext, WorkflowEntities } from './modules/workflow/index.js';
import type { EventBus, RecordEditGuard } from './platform/index.js';

/** Everything a request handler may use, built once by the composition root (main.ts). */
export interface AppDeps {
  db: Database;
  log: Logger;
  version: string;
  sessionPolicy: SessionPolicy;
  loginLimiter: LoginLimiter;
  /** Passwords sessions proved while signing, so later signings of the period skip Argon2id (docs/workflows.md). */
  passwordConfirmations: PasswordConfirmations;
  /** Force the cookie's Secure flag; when undefined it follows the request's scheme. */
  cookieSecure: boolean | undefined;
  /** Believe X-Forwarded-For / X-Forwarded-Proto (only behind a proxy you run). */
  trustProxy: boolean;
  /** The typed in-process bus for cross-domain effects and the live stream. */
  bus: EventBus;
  /** Plant, line and machine codes → ids for ingest, dropped when master data changes. */
  codeCache: CodeCache;
  /** The demo's history backfill progress file (docs/demo.md), when this cloud runs the demo. */
  demoHistoryFile?: string;
  /**
   * Hands this instance's bus effects to the other cloud instances over the same PostgreSQL server
   * and theirs to it (events/bus-relay.ts); null on the embedded engine. Stopped with the app.
   */
  relay: BusRelay | null;
  /** The live KPI hubs of this instance's plants; stopped with the app. */
  liveKpi: LiveKpiHubs;
  /** Notification email (docs/notifications.md); null when SMTP_URL is not set. Stopped with the app. */
  email: EmailOutbox | null;
  /** The Ed25519 key that signs audit checkpoints, kept outside the database (docs/audit.md). */
  auditSigningKey: AuditSigningKey;
  /** The record types workflows run on (docs/workflows.md, "Adding a record type"). */
  workflowEntities: WorkflowEntities;
  /** Field locks and signature voiding for edits made outside the record's domain (docs/workflows.md). */
  recordEdits: RecordEditGuard<WorkflowContext>;
  /** bwip-js on worker threads for labels (docs/labels.md); starts on first use, stopped with the app. */
  barcodes: BarcodePool;
  /** Report runs (docs/reports.md): the job queue's worker and the reports store; stopped with the app. */
  reports: ReportRunner;
  /** Who answers a plant scanner's scan at a station, by what the station's task targets (docs/logistics.md). */
  stationScans: StationScanHandlers;
}
