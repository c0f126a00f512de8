export { auditRouter } from './audit.router.js';
export { scheduleAuditCheck } from './audit-job.js';
export { recordCsvExport, streamEntriesCsv } from './entries-csv.js';
export { entryConditions, entryFiltersInput } from './entry-filters.js';
export {
  type AuditSigningKey,
  ephemeralSigningKey,
  loadSigningKey,
  SIGNING_KEY_FILE,
  type SigningKeySource,
} from './signing-key.js';
export { verifyChain } from './verify.js';
