import type { FieldDefinition } from './types.js';
import { isNumberType, isSelectType, isTextType } from './types.js';
import { checkFieldValue, type FieldValue, isEmptyValue, type ValueCheck } from './values.js';

/*
 * Changing a field's definition (type, type list, bounds) must not corrupt what is stored
 * (docs/configuration.md, "Custom fields"): every stored value is carried over to the new
 * definition by these rules and then checked against it; a value that does not carry over is a
 * conflict to report, and then nothing changes.
 */

const conflict = (error: string): ValueCheck => ({ ok: false, error });

const TRUE_WORDS = new Set(['true', 'yes', 'y', '1', 'ja', 'oui']);
const FALSE_WORDS = new Set(['false', 'no', 'n', '0', 'nein', 'non']);

function optionLabel(def: FieldDefinition, id: string): string {
  return def.options?.find((o) => o.id === id)?.label ?? id;
}

/** The value as text: select options by label, references by id. */
function asText(from: FieldDefinition, value: FieldValue): string {
  if (Array.isArray(value)) return value.map((id) => optionLabel(from, id)).join(', ');
  if (from.type === 'single_select' && typeof value === 'string') return optionLabel(from, value);
  return String(value);
}

/** An option of the new list for an old option: same id (same list), else same code, else same label. */
function mapOption(from: FieldDefinition, to: FieldDefinition, id: string): string | undefined {
  const options = to.options ?? [];
  if (options.some((o) => o.id === id)) return id;
  const old = from.options?.find((o) => o.id === id);
  const text = old?.code ?? id;
  const label = old?.label ?? id;
  return (
    options.find((o) => o.code === text)?.id ??
    options.find((o) => o.label.toLowerCase() === label.toLowerCase())?.id
  );
}

function carry(from: FieldDefinition, to: FieldDefinition, value: FieldValue): unknown {
  if (isTextType(to.type)) return asText(from, value);
  if (isSelectType(to.type)) {
    const sources = Array.isArray(value) ? value : [String(value)];
    // Text becomes a choice by code or label; a choice moves to the same code in the new list.
    const ids = sources.map((v) => mapOption(from, to, v) ?? v);
    if (to.type === 'single_select') return ids.length === 1 ? ids[0] : ids;
    return ids;
  }
  // A choice goes on as its label, and from there by the same rules as text (a 'Yes' choice is yes).
  const given = isSelectType(from.type) ? asText(from, value) : value;
  if (to.type === 'boolean' && typeof given === 'string') {
    const word = given.trim().toLowerCase();
    return TRUE_WORDS.has(word) ? true : FALSE_WORDS.has(word) ? false : given;
  }
  if (to.type === 'boolean' && typeof given === 'number')
    return given === 1 ? true : given === 0 ? false : given;
  return given;
}

/** Whether a value of one type can mean anything in another; null when it may, else why not. */
function incompatible(from: FieldDefinition, to: FieldDefinition): string | null {
  if (from.type === to.type || isTextType(to.type)) return null;
  if ((from.type === 'date') !== (to.type === 'date') && (from.type === 'datetime' || to.type === 'datetime'))
    return 'A date and a date-time cannot be converted without a time zone';
  if (
    to.type === 'user_ref' ||
    to.type === 'entity_ref' ||
    from.type === 'user_ref' ||
    from.type === 'entity_ref'
  )
    return 'A reference can only become text';
  if (from.type === 'boolean' && !isNumberType(to.type))
    return 'A yes/no value can only become text or a number';
  return null;
}

/** One stored value under the new definition, or why it cannot be. */
export function convertFieldValue(from: FieldDefinition, to: FieldDefinition, value: FieldValue): ValueCheck {
  // Writes store null for '' and [], but a stored empty must not become a conflict either: [] would
  // otherwise be a single select's "more than one choice".
  if (isEmptyValue(value)) return { ok: true, value: null };
  const reason = incompatible(from, to);
  if (reason !== null) return conflict(reason);
  const carried = from.type === 'boolean' && isNumberType(to.type) ? (value ? 1 : 0) : carry(from, to, value);
  if (to.type === 'single_select' && Array.isArray(carried)) return conflict('Holds more than one choice');
  // A retired option may stay where it already is (same list), as on an ordinary write.
  const previous = isSelectType(from.type) && from.typeListId === to.typeListId ? value : undefined;
  const checked = checkFieldValue({ ...to, required: false }, carried, previous);
  return checked;
}
