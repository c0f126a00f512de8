import { sql } from 'drizzle-orm';
import { rows, type Sql } from '../../db/index.js';
import { auditCreate, auditUpdate } from '../../platform/index.js';
import type { LoadedField } from './definitions.js';

/*
 * Field definitions in the audit trail (docs/configuration.md, "Audit trail"): `custom_field.<verb>`
 * beside the version the change history keeps, named `<entity type>/<key>`, with the type list by code
 * beside its id.
 */

/** What a change does in the trail: its verb, the field as it was (none for a creation), and anything to add. */
export interface FieldAudit {
  verb: 'create' | 'update' | 'retire' | 'restore' | 'reorder';
  before: LoadedField | null;
  extra?: Record<string, unknown>;
}

async function auditedField(tx: Sql, field: LoadedField) {
  const [list] =
    field.typeListId === null
      ? []
      : await rows<{ code: string }>(tx, sql`select code from type_lists where id = ${field.typeListId}`);
  return {
    id: field.id,
    entityType: field.entityType,
    key: field.key,
    label: field.label,
    type: field.type,
    typeListId: field.typeListId,
    typeListCode: list?.code ?? null,
    required: field.required,
    defaultValue: field.defaultValue,
    settings: field.settings,
    helpText: field.helpText,
    groupName: field.groupName,
    plantId: field.plantId,
    sortOrder: field.sortOrder,
    isActive: field.isActive,
  };
}

/** Records a change of `field` (as it now is) in the audit trail. */
export async function auditFieldChange(tx: Sql, field: LoadedField, change: FieldAudit) {
  const after = { ...(await auditedField(tx, field)), ...change.extra };
  const record = { label: `${field.entityType}/${field.key}`, plantId: field.plantId };
  if (change.before === null) auditCreate(tx, 'custom_field', after, record);
  else auditUpdate(tx, 'custom_field', await auditedField(tx, change.before), after, record, change.verb);
}
