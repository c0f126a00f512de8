import { tables } from '@plantline/schema';
import {
  checkFieldValue,
  type FieldSettings,
  type FieldType,
  isNumberType,
  isSelectType,
  isTextType,
} from '@plantline/schema/configuration';
import { eq, sql } from 'drizzle-orm';
import { rows, type Sql } from '../../db/index.js';
import { canSeePlant, DomainError, notFound, type Scope, unlessTaken } from '../../platform/index.js';
import { type LoadedField, loadField, loadFields } from './definitions.js';
import { entityType as entityTypeOf } from './entity-types.js';
import { auditFieldChange, type FieldAudit } from './field-audit.js';
import { type ChangeConflict, checkStoredValues, rewriteValues } from './field-values-conversion.js';
import { recordChange } from './history.js';
import { getTypeList } from './type-lists.js';

/*
 * Defining and changing custom fields (docs/configuration.md, "Custom fields"). Values belong to a
 * field's id, so a new label or key keeps them. A change of type, type list or bounds first carries
 * every stored value over to the new definition (convert.ts); any value that does not fit is
 * reported and nothing changes. Every change bumps the field's version and appends it to the
 * history with who and when.
 */

const f = tables.customFields;

export interface FieldSpec {
  key: string;
  label: string;
  type: FieldType;
  typeListId?: string | null | undefined;
  required?: boolean | undefined;
  defaultValue?: unknown;
  settings?: FieldSettings | undefined;
  helpText?: string | null | undefined;
  groupName?: string | null | undefined;
  plantId?: string | null | undefined;
}

/** Only the settings a type uses are kept, so a definition never carries a stale bound. */
function settingsFor(type: FieldType, settings: FieldSettings = {}): FieldSettings {
  const kept: FieldSettings = {};
  const bounded = isNumberType(type) || isTextType(type) || type === 'multi_select';
  if (bounded && settings.min != null) kept.min = settings.min;
  if (bounded && settings.max != null) kept.max = settings.max;
  if (isTextType(type) && settings.pattern) kept.pattern = settings.pattern;
  if (isNumberType(type) && settings.unit) kept.unit = settings.unit;
  if (type === 'decimal' && settings.decimals != null) kept.decimals = settings.decimals;
  if (type === 'entity_ref' && settings.refEntityType) kept.refEntityType = settings.refEntityType;
  return kept;
}

const invalid = (field: string, message: string) => new DomainError('invalid', message, { [field]: message });

/**
 * A field may be scoped only to a plant in the caller's reach (the foreign key alone would take any
 * plant of the tenant: foreign-key checks bypass row-level security).
 */
async function checkPlantScope(tx: Sql, actor: Scope, plantId: string | null | undefined) {
  if (plantId === null || plantId === undefined) return;
  const visible = canSeePlant(actor, plantId)
    ? await rows(tx, sql`select 1 from plants where id = ${plantId}`)
    : [];
  if (visible.length === 0)
    throw new DomainError('not_found', 'Plant not found', { plantId: 'No such plant' });
}

/**
 * The field as the caller may change it, locked until the transaction ends so that a value written
 * against the old definition cannot land after its values were converted. A field scoped to a plant
 * outside the caller's reach is "not found", like its plant.
 */
async function fieldToChange(tx: Sql, actor: Scope, id: string): Promise<LoadedField> {
  await rows(tx, sql`select id from custom_fields where id = ${id} for update`);
  const field = await loadField(tx, id);
  if (field === undefined || (field.plantId !== null && !canSeePlant(actor, field.plantId)))
    throw notFound('Field');
  return field;
}
const takenKey = () =>
  new DomainError('conflict', 'A field with that key exists on this entity type', { key: 'Already in use' });

/** The definition a spec describes, checked as a whole: list, reference target and default. */
async function definitionOf(
  tx: Sql,
  spec: FieldSpec,
  base: { id: string; isActive: boolean; sortOrder: number },
) {
  const select = isSelectType(spec.type);
  if (select && !spec.typeListId) throw invalid('typeListId', 'Choose the type list to pick from');
  const settings = settingsFor(spec.type, spec.settings);
  if (spec.type === 'entity_ref') {
    if (!settings.refEntityType) throw invalid('settings.refEntityType', 'Choose what the field refers to');
    entityTypeOf(settings.refEntityType);
  }
  const options = select ? (await getTypeList(tx, spec.typeListId as string)).options : undefined;
  const definition: LoadedField = {
    id: base.id,
    entityType: '',
    key: spec.key,
    label: spec.label,
    type: spec.type,
    typeListId: select ? (spec.typeListId ?? null) : null,
    required: spec.required ?? false,
    defaultValue: null,
    settings,
    helpText: spec.helpText ?? null,
    groupName: spec.groupName ?? null,
    sortOrder: base.sortOrder,
    plantId: spec.plantId ?? null,
    isActive: base.isActive,
    version: 0,
    updatedAt: new Date(),
    ...(options === undefined ? {} : { options }),
  };
  if (spec.defaultValue !== undefined && spec.defaultValue !== null) {
    if (spec.type === 'user_ref' || spec.type === 'entity_ref')
      throw invalid('defaultValue', 'A reference has no default');
    const checked = checkFieldValue({ ...definition, required: false }, spec.defaultValue);
    if (!checked.ok) throw invalid('defaultValue', checked.error);
    if (hasControlCharacters(checked.value, spec.type === 'long_text'))
      throw invalid('defaultValue', 'Use printable characters only');
    definition.defaultValue = checked.value;
  }
  return definition;
}

/**
 * A default is stored as jsonb, which cannot hold NUL (SQLSTATE 22P05), and is put into forms: no
 * control characters, except a long text's line breaks and tabs.
 */
function hasControlCharacters(value: unknown, multiline: boolean): boolean {
  if (typeof value === 'string') return (multiline ? /[^\P{Cc}\t\n\r]/u : /\p{Cc}/u).test(value);
  if (Array.isArray(value)) return value.some((item) => hasControlCharacters(item, multiline));
  return false;
}

const columnsOf = (d: LoadedField) => ({
  key: d.key,
  label: d.label,
  type: d.type,
  typeListId: d.typeListId,
  required: d.required,
  defaultValue: d.defaultValue,
  settings: d.settings,
  helpText: d.helpText,
  groupName: d.groupName,
  plantId: d.plantId,
});

/**
 * Appends the field's new version to its history and records the change in the audit trail, both
 * from the field as it now is.
 */
async function recordFieldChange(
  tx: Sql,
  actor: Scope,
  id: string,
  action: string,
  summary: string,
  change: FieldAudit,
) {
  const field = await loadField(tx, id);
  if (field === undefined) throw notFound('Field');
  await auditFieldChange(tx, field, change);
  const { options: _options, ...snapshot } = field;
  await recordChange(tx, {
    tenantId: actor.tenantId,
    subject: 'field',
    subjectId: id,
    version: field.version,
    action,
    summary,
    snapshot,
    changedBy: actor.userId ?? null,
  });
  return field;
}

export async function createField(tx: Sql, actor: Scope, input: FieldSpec & { entityType: string }) {
  const type = entityTypeOf(input.entityType);
  await checkPlantScope(tx, actor, input.plantId);
  const [{ next }] = (await rows<{ next: number }>(
    tx,
    sql`select coalesce(max(sort_order), 0) + 1 as next from custom_fields where entity_type = ${type.key}`,
  )) as [{ next: number }];
  const definition = await definitionOf(tx, input, { id: '', isActive: true, sortOrder: next });
  const [created] = await unlessTaken(
    tx
      .insert(f)
      .values({ tenantId: actor.tenantId, entityType: type.key, sortOrder: next, ...columnsOf(definition) })
      .returning({ id: f.id }),
    takenKey,
  );
  if (created === undefined) throw takenKey();
  return recordFieldChange(tx, actor, created.id, 'created', `Created ${input.label} (${input.type})`, {
    verb: 'create',
    before: null,
  });
}

export interface ChangePlan {
  current: LoadedField;
  next: LoadedField;
  /** Stored values checked against the new definition. */
  checked: number;
  conflictCount: number;
  /** The first conflicts, with the record's code, for the engineer to fix or to see why. */
  conflicts: ChangeConflict[];
  /** Whether stored values change form (another column, rounding, a choice in another list). */
  rewrite: boolean;
}

/** What a change would do to the stored values, without changing anything. */
export async function planFieldChange(
  tx: Sql,
  actor: Scope,
  id: string,
  patch: Partial<FieldSpec>,
): Promise<ChangePlan> {
  const current = await fieldToChange(tx, actor, id);
  if (patch.plantId !== undefined) await checkPlantScope(tx, actor, patch.plantId);
  const spec: FieldSpec = { ...columnsOf(current), ...patch };
  // A new type keeps the settings it can use; the old default rarely means anything in it.
  if (patch.type !== undefined && patch.type !== current.type && patch.defaultValue === undefined)
    spec.defaultValue = null;
  const next = { ...(await definitionOf(tx, spec, current)), entityType: current.entityType };
  const reshaped =
    next.type !== current.type ||
    next.typeListId !== current.typeListId ||
    next.settings.decimals !== current.settings.decimals;
  const bounded = JSON.stringify(next.settings) !== JSON.stringify(current.settings);
  const plan: ChangePlan = { current, next, checked: 0, conflictCount: 0, conflicts: [], rewrite: reshaped };
  if (!reshaped && !bounded) return plan;
  // Values are read and rewritten under the caller's row-level security: values in plants out of
  // reach would be neither checked nor converted, and then read wrongly under the new definition.
  if (entityTypeOf(current.entityType).plantColumn !== null && actor.plantIds !== 'all')
    throw new DomainError(
      'forbidden',
      'Changing the type, type list or bounds of this field checks and converts its values in every plant: it needs access to every plant',
    );
  // A reference to a machine is no reference to a product: retargeting keeps no stored value.
  const retargeted =
    current.type === 'entity_ref' &&
    next.type === 'entity_ref' &&
    next.settings.refEntityType !== current.settings.refEntityType;
  const retargetProblem = retargeted
    ? `Refers to a ${entityTypeOf(current.settings.refEntityType ?? '').label.toLowerCase()}`
    : null;
  Object.assign(plan, await checkStoredValues(tx, current, next, retargetProblem));
  return plan;
}

function describeChange(current: LoadedField, next: LoadedField): string {
  const parts: string[] = [];
  if (next.label !== current.label) parts.push(`renamed ${current.label} → ${next.label}`);
  if (next.key !== current.key) parts.push(`key ${current.key} → ${next.key}`);
  if (next.type !== current.type) parts.push(`type ${current.type} → ${next.type}`);
  if (next.typeListId !== current.typeListId) parts.push('type list changed');
  if (next.required !== current.required) parts.push(next.required ? 'now required' : 'now optional');
  if (JSON.stringify(next.settings) !== JSON.stringify(current.settings)) parts.push('settings changed');
  if (JSON.stringify(next.defaultValue) !== JSON.stringify(current.defaultValue))
    parts.push('default changed');
  if (next.plantId !== current.plantId) parts.push('plant scope changed');
  if (next.helpText !== current.helpText || next.groupName !== current.groupName)
    parts.push('help or group changed');
  return parts.length === 0 ? 'No change' : parts.join('; ');
}

export async function updateField(tx: Sql, actor: Scope, id: string, patch: Partial<FieldSpec>) {
  const plan = await planFieldChange(tx, actor, id, patch);
  if (plan.conflictCount > 0) {
    const examples = plan.conflicts
      .slice(0, 3)
      .map((c) => `${c.record ?? c.entityId}: ${c.problem}`)
      .join('; ');
    const message = `${plan.conflictCount} stored value${plan.conflictCount === 1 ? ' does' : 's do'} not fit the new definition (${examples})`;
    throw new DomainError('conflict', message, { [patch.type !== undefined ? 'type' : 'settings']: message });
  }
  if (plan.rewrite) await rewriteValues(tx, plan.current, plan.next);
  const [updated] = await unlessTaken(
    tx
      .update(f)
      .set({ ...columnsOf(plan.next), version: sql`${f.version} + 1`, updatedAt: sql`now()` })
      .where(eq(f.id, id))
      .returning({ id: f.id }),
    takenKey,
  );
  if (updated === undefined) throw notFound('Field');
  const summary = describeChange(plan.current, plan.next);
  const action = plan.next.type !== plan.current.type ? 'type changed' : 'changed';
  const converted = plan.rewrite ? plan.checked : 0;
  return {
    // Converted values change form in every record that holds one: the entry says how many.
    field: await recordFieldChange(tx, actor, id, action, summary, {
      verb: 'update',
      before: plan.current,
      ...(converted > 0 ? { extra: { convertedValues: converted } } : {}),
    }),
    converted,
  };
}

/** Retiring keeps every value readable and takes no new ones; restoring undoes it. */
export async function setFieldActive(tx: Sql, actor: Scope, id: string, isActive: boolean) {
  const current = await fieldToChange(tx, actor, id);
  const [updated] = await tx
    .update(f)
    .set({ isActive, version: sql`${f.version} + 1`, updatedAt: sql`now()` })
    .where(eq(f.id, id))
    .returning({ label: f.label });
  if (updated === undefined) throw notFound('Field');
  return recordFieldChange(
    tx,
    actor,
    id,
    isActive ? 'restored' : 'retired',
    `${isActive ? 'Restored' : 'Retired'} ${updated.label}`,
    { verb: isActive ? 'restore' : 'retire', before: current },
  );
}

/** A new form order for all of an entity type's fields. */
export async function reorderFields(tx: Sql, actor: Scope, entityType: string, fieldIds: string[]) {
  const fields = await loadFields(tx, entityTypeOf(entityType).key);
  const known = new Map(fields.map((field) => [field.id, field]));
  if (
    fieldIds.length !== known.size ||
    new Set(fieldIds).size !== known.size ||
    fieldIds.some((id) => !known.has(id))
  )
    throw new DomainError('invalid', 'Send every field of the entity type exactly once', {
      fieldIds: 'Not the fields',
    });
  const moved = fieldIds.filter((id, i) => known.get(id)?.sortOrder !== i + 1);
  for (const id of moved)
    await tx
      .update(f)
      .set({ sortOrder: fieldIds.indexOf(id) + 1, version: sql`${f.version} + 1`, updatedAt: sql`now()` })
      .where(eq(f.id, id));
  for (const id of moved)
    await recordFieldChange(tx, actor, id, 'moved', `Moved to position ${fieldIds.indexOf(id) + 1}`, {
      verb: 'reorder',
      before: known.get(id)!,
    });
  return loadFields(tx, entityTypeOf(entityType).key);
}
