import {
  checkFieldValue,
  FIELD_KEY_PATTERN,
  type FieldDefinition,
  type FieldOption,
  type FieldSettings,
  type FieldType,
  fieldSettingsSchema,
  isNumberType,
  isSelectType,
  isTextType,
} from '@plantline/schema/configuration';
import type { FieldErrors } from '../validation';
import { type FormValue, toApiValue, toFormValue } from './form-values';

/*
 * The field editor's draft: what the engineer types, as text, turned into the input of
 * config.fields.create / update and into a definition the live preview renders. Checks mirror the
 * cloud's (config.router.ts fieldSpec, fields.ts definitionOf) using the same shared schema.
 */

export interface FieldDraft {
  label: string;
  key: string;
  type: FieldType;
  typeListId: string;
  required: boolean;
  defaultValue: FormValue;
  min: string;
  max: string;
  pattern: string;
  unit: string;
  decimals: string;
  refEntityType: string;
  helpText: string;
  groupName: string;
  /** '' for every plant. */
  plantId: string;
}

export function emptyDraft(): FieldDraft {
  return {
    label: '',
    key: '',
    type: 'text',
    typeListId: '',
    required: false,
    defaultValue: '',
    min: '',
    max: '',
    pattern: '',
    unit: '',
    decimals: '',
    refEntityType: '',
    helpText: '',
    groupName: '',
    plantId: '',
  };
}

const text = (n: number | null | undefined) => (n == null ? '' : String(n));

export function draftOf(field: FieldDefinition): FieldDraft {
  const s = field.settings;
  return {
    label: field.label,
    key: field.key,
    type: field.type,
    typeListId: field.typeListId ?? '',
    required: field.required,
    defaultValue: toFormValue(field, (field.defaultValue ?? null) as never),
    min: text(s.min),
    max: text(s.max),
    pattern: s.pattern ?? '',
    unit: s.unit ?? '',
    decimals: text(s.decimals),
    refEntityType: s.refEntityType ?? '',
    helpText: field.helpText ?? '',
    groupName: field.groupName ?? '',
    plantId: field.plantId ?? '',
  };
}

/** A key suggested from the label: "Net weight (kg)" → "net_weight_kg". */
export function keyFromLabel(label: string): string {
  const key = label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^[^a-z]+/, '')
    .slice(0, 63)
    .replace(/_+$/, '');
  return key;
}

/** Which settings the editor offers for a type (cloud fields.ts settingsFor keeps the same ones). */
export function settingsShown(type: FieldType) {
  return {
    bounds: isNumberType(type) || isTextType(type) || type === 'multi_select',
    pattern: isTextType(type),
    unit: isNumberType(type),
    decimals: type === 'decimal',
    refEntityType: type === 'entity_ref',
    typeList: isSelectType(type),
    defaultValue: type !== 'user_ref' && type !== 'entity_ref',
  };
}

/** Words for the bounds of a type: a number's value, a text's length or a count of choices. */
export function boundsLabel(type: FieldType): string {
  if (isTextType(type)) return 'length';
  if (type === 'multi_select') return 'choices';
  return 'value';
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)$/;
const toNumber = (v: string) =>
  v.trim() === '' ? null : NUMBER.test(v.trim()) ? Number(v.trim()) : Number.NaN;

/** The settings the draft describes, only those its type uses. */
export function settingsOf(draft: FieldDraft): FieldSettings {
  const shown = settingsShown(draft.type);
  const settings: FieldSettings = {};
  const min = toNumber(draft.min);
  const max = toNumber(draft.max);
  const decimals = toNumber(draft.decimals);
  if (shown.bounds && min !== null) settings.min = min;
  if (shown.bounds && max !== null) settings.max = max;
  if (shown.pattern && draft.pattern.trim() !== '') settings.pattern = draft.pattern.trim();
  if (shown.unit && draft.unit.trim() !== '') settings.unit = draft.unit.trim();
  if (shown.decimals && decimals !== null) settings.decimals = decimals;
  if (shown.refEntityType && draft.refEntityType !== '') settings.refEntityType = draft.refEntityType;
  return settings;
}

/** The definition the draft describes, for the live preview and for checking its default. */
export function previewDefinition(
  draft: FieldDraft,
  base: { id: string; sortOrder: number; isActive: boolean },
  options: FieldOption[] | undefined,
): FieldDefinition {
  const select = isSelectType(draft.type);
  return {
    id: base.id,
    key: draft.key.trim() || keyFromLabel(draft.label) || 'new_field',
    label: draft.label.trim() || 'New field',
    type: draft.type,
    required: draft.required,
    defaultValue: null,
    settings: settingsOf(draft),
    helpText: draft.helpText.trim() || null,
    groupName: draft.groupName.trim() || null,
    sortOrder: base.sortOrder,
    plantId: draft.plantId || null,
    isActive: base.isActive,
    typeListId: select ? draft.typeListId || null : null,
    ...(select ? { options: options ?? [] } : {}),
  };
}

/** The client-side checks of a draft, by the editor's field names. */
export function validateDraft(draft: FieldDraft, options: FieldOption[] | undefined): FieldErrors {
  const errors: FieldErrors = {};
  const label = draft.label.trim();
  if (label === '') errors.label = 'Enter a name';
  else if (label.length > 120) errors.label = 'Use at most 120 characters';
  if (!FIELD_KEY_PATTERN.test(draft.key.trim()))
    errors.key = 'Use 1–63 lower-case letters, digits and _ , starting with a letter';
  const shown = settingsShown(draft.type);
  if (shown.typeList && draft.typeListId === '') errors.typeListId = 'Choose the type list to pick from';
  if (shown.refEntityType && draft.refEntityType === '')
    errors['settings.refEntityType'] = 'Choose what the field refers to';
  for (const name of ['min', 'max', 'decimals'] as const)
    if (Number.isNaN(toNumber(draft[name]))) errors[`settings.${name}`] = 'Enter a number';
  if (Object.keys(errors).some((k) => k.startsWith('settings.'))) return errors;
  const parsed = fieldSettingsSchema.safeParse(settingsOf(draft));
  if (!parsed.success)
    for (const issue of parsed.error.issues) errors[`settings.${issue.path.join('.')}`] ??= issue.message;
  if (draft.helpText.trim().length > 500) errors.helpText = 'Use at most 500 characters';
  if (draft.groupName.trim().length > 60) errors.groupName = 'Use at most 60 characters';
  if (parsed.success && shown.defaultValue && (!shown.typeList || draft.typeListId !== '')) {
    const def = previewDefinition(draft, { id: '', sortOrder: 0, isActive: true }, options);
    const value = toApiValue(def, draft.defaultValue);
    // An unticked yes/no box is no default, not a default of "no".
    if (!(def.type === 'boolean' && value === false)) {
      const checked = checkFieldValue({ ...def, required: false }, value);
      if (!checked.ok) errors.defaultValue = checked.error;
    }
  }
  return errors;
}

/** What config.fields.create takes (without the entity type). */
export function specOf(draft: FieldDraft, options: FieldOption[] | undefined) {
  const def = previewDefinition(draft, { id: '', sortOrder: 0, isActive: true }, options);
  const value = settingsShown(draft.type).defaultValue ? toApiValue(def, draft.defaultValue) : null;
  return {
    key: draft.key.trim(),
    label: draft.label.trim(),
    type: draft.type,
    typeListId: def.typeListId,
    required: draft.required,
    defaultValue: def.type === 'boolean' && value === false ? null : value,
    settings: def.settings,
    helpText: def.helpText,
    groupName: def.groupName,
    plantId: def.plantId,
  };
}

export type FieldSpecInput = ReturnType<typeof specOf>;

/** JSON with object keys sorted: the database's jsonb returns settings in its own key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value ?? null, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v)
            .filter(([, x]) => x != null)
            .sort(([a], [b]) => (a < b ? -1 : 1)),
        )
      : v,
  );
}

/** The changed parts of a field, for config.fields.update (and checkChange); empty when nothing changed. */
export function patchOf(field: FieldDefinition, spec: FieldSpecInput): Partial<FieldSpecInput> {
  const current: FieldSpecInput = {
    key: field.key,
    label: field.label,
    type: field.type,
    typeListId: field.typeListId,
    required: field.required,
    defaultValue: field.defaultValue ?? null,
    settings: field.settings,
    helpText: field.helpText,
    groupName: field.groupName,
    plantId: field.plantId,
  };
  const patch: Record<string, unknown> = {};
  for (const name of Object.keys(spec) as (keyof FieldSpecInput)[])
    if (canonical(spec[name]) !== canonical(current[name])) patch[name] = spec[name];
  return patch as Partial<FieldSpecInput>;
}

/** A change of type, list or bounds may not fit stored values: check them first (fields.checkChange). */
export function needsCheck(patch: Partial<FieldSpecInput>): boolean {
  return patch.type !== undefined || patch.typeListId !== undefined || patch.settings !== undefined;
}
