import type { AuditEntry } from './entries.js';

/*
 * One audit entry as a row of the CSV export (docs/audit.md, "Exporting"), for people reading it in a
 * spreadsheet: the change written out as "field: old → new" (kept by the database: changes_text,
 * schema/migrations/0045_audit_changes_text.sql), the entity as type and id. Pure.
 */

export const CSV_HEADER = [
  'Time (UTC)',
  'Actor',
  'Action',
  'Entity',
  'Label',
  'Plant',
  'Changes',
  'Reason',
  'Request ID',
  'Client address',
  'Seq',
  'Hash',
] as const;

export function csvRowOf(entry: AuditEntry): string[] {
  const actor = entry.actorKind === 'user' ? entry.actorName : `${entry.actorName} (${entry.actorKind})`;
  return [
    entry.recordedAt,
    actor,
    entry.action,
    `${entry.entityType} ${entry.entityId}`,
    entry.entityLabel ?? '',
    entry.plantCode ?? '',
    entry.changesText,
    entry.reason ?? '',
    entry.requestId ?? '',
    entry.clientAddress ?? '',
    String(entry.seq),
    entry.hash,
  ];
}
