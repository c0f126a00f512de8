import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { Database } from '../../db/index.js';
import { actorOf, audit, describeAuditCaller, type Principal, scopeOf } from '../../platform/index.js';
import { CSV_HEADER, csvRowOf } from './csv-row.js';
import { listEntries } from './entries.js';
import type { EntryFilters } from './entry-filters.js';

/*
 * The CSV export of the audit trail (docs/audit.md, "Exporting"): every entry matching the filters,
 * newest first, without a row cap. It streams: keyset batches, each read in a short transaction of
 * its own (the embedded engine's one connection is never held while a slow client downloads), written
 * as the client takes them, so memory stays constant however long the trail.
 */

/** Entries read per transaction. */
export const CSV_BATCH = 1000;

export interface ExportRequest {
  requestId: string;
  clientAddress: string;
}

/** Records an export in the trail: who exported what, with which filters. Written before the first byte. */
export async function recordCsvExport(
  db: Database,
  principal: Principal,
  filters: EntryFilters,
  request: ExportRequest,
): Promise<void> {
  await db.transact(scopeOf(principal), async (tx) => {
    describeAuditCaller(tx, {
      actor: actorOf(principal),
      requestId: request.requestId,
      clientAddress: request.clientAddress,
      reason: null,
    });
    audit(tx, {
      action: 'audit.export',
      entityType: 'audit-trail',
      entityId: principal.tenantId,
      entityLabel: 'CSV export',
      after: { format: 'csv', filters: { ...filters } },
    });
  });
}

/** Streams every entry matching `filters` that `principal` may see to `out` as CSV, newest first. */
export async function streamEntriesCsv(
  db: Database,
  principal: Principal,
  filters: EntryFilters,
  out: Writable,
  batchSize = CSV_BATCH,
): Promise<void> {
  const scope = scopeOf(principal);
  async function* rows() {
    yield [...CSV_HEADER];
    let before: number | undefined;
    do {
      const page = await db.transact(scope, (tx) =>
        listEntries(tx, scope, { ...filters, before, limit: batchSize }),
      );
      for (const entry of page.entries) yield csvRowOf(entry);
      before = page.nextBefore ?? undefined;
    } while (before !== undefined);
  }
  // A cell starting with = + - @ would run as a formula where the file is opened: it gets a leading '.
  await pipeline(Readable.from(rows()), stringify({ bom: true, escape_formulas: true }), out);
}
