import type { Sql } from '../db/database.js';
import { audit } from './audit-trail.js';

/*
 * The usual shapes of an audit entry (docs/audit.md): a record created, changed or deleted, with its
 * fields as they were and as they are, keyed as the API names them. The record's id is the entry's
 * entityId, so it is left out of the values; the action is `<entityType>.<verb>`.
 */

type AuditedRow = { id: string } & Record<string, unknown>;

export interface AuditedRecord {
  /** The record's code or number, so the trail reads without joins. */
  label: string | null;
  /** The plant the record belongs to; absent for tenant-wide records. */
  plantId?: string | null | undefined;
}

const fieldsOf = ({ id: _, ...fields }: AuditedRow) => fields;

/**
 * The verb of a change to a record that is deactivated rather than deleted: a change of `isActive`
 * is named for what it does, so the trail's viewer can filter on it; any other change is an update.
 */
export function activityVerb(before: Record<string, unknown>, after: Record<string, unknown>): string {
  if (typeof before.isActive !== 'boolean' || typeof after.isActive !== 'boolean') return 'update';
  if (before.isActive === after.isActive) return 'update';
  return after.isActive ? 'reactivate' : 'deactivate';
}

/** One entry about a record: `<entityType>.<verb>`, its id the entry's entityId, its values keyed as the API names them. */
function auditRecord(
  tx: Sql,
  entityType: string,
  verb: string,
  id: string,
  record: AuditedRecord,
  before: AuditedRow | null,
  after: AuditedRow | null,
) {
  audit(tx, {
    action: `${entityType}.${verb}`,
    entityType,
    entityId: id,
    entityLabel: record.label,
    plantId: record.plantId ?? null,
    before: before === null ? null : fieldsOf(before),
    after: after === null ? null : fieldsOf(after),
  });
}

export function auditCreate(
  tx: Sql,
  entityType: string,
  row: AuditedRow,
  record: AuditedRecord,
  verb = 'create',
) {
  auditRecord(tx, entityType, verb, row.id, record, null, row);
}

/** A change: audit() keeps only the fields that differ, and nothing at all when none do. */
export function auditUpdate(
  tx: Sql,
  entityType: string,
  before: AuditedRow,
  after: AuditedRow,
  record: AuditedRecord,
  verb = activityVerb(before, after),
) {
  auditRecord(tx, entityType, verb, after.id, record, before, after);
}

export function auditDelete(
  tx: Sql,
  entityType: string,
  row: AuditedRow,
  record: AuditedRecord,
  verb = 'delete',
) {
  auditRecord(tx, entityType, verb, row.id, record, row, null);
}
