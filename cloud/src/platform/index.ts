/*
 * The cloud's infrastructure that every domain module uses: the typed event bus and its payloads,
 * the job scheduler, the domain error type, the caller type, and the shared input schemas.
 * Modules import these from here; platform imports no module.
 */
export {
  type AuditEntryContent,
  auditEntryHash,
  canonicalEntry,
  changedValues,
  GENESIS_HASH,
} from './audit-chain.js';
export {
  type AuditedRecord,
  activityVerb,
  auditCreate,
  auditDelete,
  auditUpdate,
} from './audit-records.js';
export {
  type AuditActor,
  type AuditCaller,
  type AuditChange,
  actorOf,
  audit,
  auditCalls,
  describeAuditCaller,
  withSavepoint,
} from './audit-trail.js';
export {
  type AccessHolder,
  type AfterCommit,
  announceAccessChange,
  type BusEventName,
  type BusEvents,
  EventBus,
} from './bus.js';
export {
  DomainError,
  type DomainErrorCode,
  isUniqueViolation,
  notFound,
  takenCode,
  uniqueCode,
  unlessTaken,
  withConstraintErrors,
} from './errors.js';
export {
  catalogueCodeInput,
  colourInput,
  countryInput,
  countryOrNoneInput,
  dateInput,
  glnInput,
  idInput,
  instantInput,
  nameInput,
  timeZoneInput,
  topicCodeInput,
} from './inputs.js';
export { InProcessJobQueue, type JobQueue, PgBossJobQueue } from './job-queue.js';
export { acceptKeptWrites, type KeptWrite, keepWrite, takeKeptWrites } from './kept-writes.js';
export {
  type ExcelJs,
  loadChromium,
  loadExcelJs,
  loadNodemailer,
  loadPdfKit,
  type PdfKit,
} from './lazy-libraries.js';
export type { LiveEvent, LiveEventData } from './live-event.js';
export { changesSomething, patchOf } from './patch.js';
export { canSeePlant, type Principal, type Scope, scopeOf } from './principal.js';
export type { RecordEdit, RecordEditCaller, RecordEditGuard } from './record-edits.js';
export { IntervalScheduler, PgBossScheduler, type Scheduler } from './scheduler.js';
