import type { AuditEntry } from './entries.js';

/*
 * One audit entry as a row of the CSV export (docs/audit.md, "Exporting"), for people reading it in a
 * spreadsheet: the change written out as "field: old → new", the entity as type and id. Pure.
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

/** A recorded value in words: text as it is, nothing as "—", anything structured as JSON. */
function valueText(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value === '' ? '""' : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

const recordOf = (values: unknown): Record<string, unknown> =>
  typeof values === 'object' && values !== null && !Array.isArray(values)
    ? (values as Record<string, unknown>)
    : {};

/** "field: old → new" per changed field, one per line; a creation has "—" as every old value. */
export function changesText(oldValues: unknown, newValues: unknown): string {
  const before = recordOf(oldValues);
  const after = recordOf(newValues);
  const fields = [...new Set([...Object.keys(after), ...Object.keys(before)])];
  return fields
    .map((field) => `${field}: ${valueText(before[field])} → ${valueText(after[field])}`)
    .join('\n');
}

export function csvRowOf(entry: AuditEntry): string[] {
  const actor = entry.actorKind === 'user' ? entry.actorName : `${entry.actorName} (${entry.actorKind})`;
  return [
    entry.recordedAt,
    actor,
    entry.action,
    `${entry.entityType} ${entry.entityId}`,
    entry.entityLabel ?? '',
    entry.plantCode ?? '',
    changesText(entry.oldValues, entry.newValues),
    entry.reason ?? '',
    entry.requestId ?? '',
    entry.clientAddress ?? '',
    String(entry.seq),
    entry.hash,
  ];
}
