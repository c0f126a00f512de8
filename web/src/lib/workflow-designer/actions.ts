import type { Audience, EnterAction, Scalar } from '@plantline/schema/workflow';
import type { Names } from './approval';
import type { FieldKind, GuardField } from './guard';

/*
 * What happens on entering a state, from the fixed catalogue (schema/src/workflow/definition.ts,
 * enterActionSchema): set a field, take a number from a numbering scheme, notify someone, start an
 * SLA timer. The designer offers exactly these, each with inputs for its own settings.
 */

export type EnterActionType = EnterAction['type'];

export const ENTER_ACTION_TYPES: readonly { type: EnterActionType; label: string }[] = [
  { type: 'set_field', label: 'Set a field' },
  { type: 'take_number', label: 'Take a number' },
  { type: 'notify', label: 'Notify' },
  { type: 'start_sla', label: 'Start an SLA timer' },
];

export interface ActionChoices {
  fields: readonly (GuardField & { settable: boolean })[];
  roles: readonly { key: string }[];
  sequences: readonly { code: string }[];
}

/** A new action of a type, its choices pre-filled with the first that fits. */
export function blankAction(type: EnterActionType, choices: ActionChoices): EnterAction {
  const settable = choices.fields.filter((f) => f.settable);
  switch (type) {
    case 'set_field':
      return { type, field: settable[0]?.ref ?? '', value: null };
    case 'take_number':
      return {
        type,
        field: settable.find((f) => f.kind === 'text')?.ref ?? '',
        sequence: choices.sequences[0]?.code ?? '',
      };
    case 'notify':
      return { type, to: blankAudience('role', choices), title: 'Needs your attention' };
    case 'start_sla':
      return { type, hours: 24 };
  }
}

export type AudienceKind = 'role' | 'userField' | 'permission' | 'initiator';

export const AUDIENCE_KINDS: readonly { kind: AudienceKind; label: string }[] = [
  { kind: 'role', label: 'Members of a role' },
  { kind: 'userField', label: 'The user named by a field' },
  { kind: 'permission', label: 'Holders of a permission' },
  { kind: 'initiator', label: 'Whoever started it' },
];

export function audienceKind(audience: Audience): AudienceKind {
  if ('role' in audience) return 'role';
  if ('userField' in audience) return 'userField';
  if ('permission' in audience) return 'permission';
  return 'initiator';
}

export function blankAudience(kind: AudienceKind, choices: ActionChoices): Audience {
  switch (kind) {
    case 'role':
      return { role: choices.roles[0]?.key ?? '' };
    case 'userField':
      return { userField: choices.fields.find((f) => f.kind === 'user')?.ref ?? '' };
    case 'permission':
      return { permission: 'approvals.decide' };
    case 'initiator':
      return { initiator: true };
  }
}

/** How a `set_field` action gets its value. */
export type SetFieldSource = 'value' | 'now' | 'actor' | 'clear';

export function setFieldSources(kind: FieldKind | undefined): SetFieldSource[] {
  if (kind === 'date' || kind === 'datetime') return ['value', 'now', 'clear'];
  if (kind === 'user') return ['value', 'actor', 'clear'];
  return ['value', 'clear'];
}

export const SET_FIELD_SOURCE_LABELS: Record<SetFieldSource, string> = {
  value: 'A value',
  now: 'The moment of entering',
  actor: 'The acting user',
  clear: 'Nothing (clear it)',
};

type SetField = Extract<EnterAction, { type: 'set_field' }>;

export function setFieldSource(action: SetField): SetFieldSource {
  if (action.from !== undefined) return action.from;
  return action.value === undefined || action.value === null ? 'clear' : 'value';
}

/** The action with another source; a value is typed by the field's kind. */
export function withSetFieldSource(
  action: SetField,
  source: SetFieldSource,
  kind: FieldKind | undefined,
): SetField {
  const base = { type: action.type, field: action.field };
  if (source === 'now' || source === 'actor') return { ...base, from: source };
  if (source === 'clear') return { ...base, value: null };
  const current = action.from === undefined && action.value !== null && action.value !== undefined;
  return {
    ...base,
    value: current ? (action.value ?? null) : kind === 'boolean' ? true : kind === 'number' ? 0 : '',
  };
}

/** A typed value from what an input holds, by the field's kind. */
export function typedValue(input: string, kind: FieldKind | undefined): Scalar {
  if (kind === 'number') return input.trim() === '' ? null : Number(input);
  if (kind === 'boolean') return input === 'true';
  return input;
}

function audienceText(audience: Audience, names: Names, fieldLabel: (ref: string) => string): string {
  if ('role' in audience) return names.roles.get(audience.role) ?? (audience.role || 'a role');
  if ('userField' in audience) return `the user in ${fieldLabel(audience.userField)}`;
  if ('permission' in audience) return `holders of ${audience.permission}`;
  return 'whoever started it';
}

const hours = (n: number) => (n === 1 ? '1 hour' : `${n} hours`);

/** One action in words, for the state's summary on the panel. */
export function describeAction(
  action: EnterAction,
  names: Names,
  fields: ReadonlyMap<string, GuardField>,
  sequences: ReadonlyMap<string, string>,
): string {
  const fieldLabel = (ref: string) => fields.get(ref)?.label ?? (ref || 'a field');
  switch (action.type) {
    case 'set_field': {
      const source = setFieldSource(action);
      const target = fieldLabel(action.field);
      if (source === 'now') return `Set ${target} to the moment of entering`;
      if (source === 'actor') return `Set ${target} to the acting user`;
      if (source === 'clear') return `Clear ${target}`;
      const value = action.value;
      const shown = typeof value === 'string' ? (names.users.get(value) ?? value) : String(value);
      return `Set ${target} to ${shown}`;
    }
    case 'take_number':
      return `Number ${fieldLabel(action.field)} from ${sequences.get(action.sequence) ?? (action.sequence || 'a scheme')}`;
    case 'notify':
      return `Notify ${audienceText(action.to, names, fieldLabel)}: ${action.title}`;
    case 'start_sla': {
      const parts = [`Due within ${hours(action.hours)}`];
      if (action.remindBeforeHours !== undefined)
        parts.push(`reminder ${hours(action.remindBeforeHours)} before`);
      if (action.escalateToRole !== undefined)
        parts.push(
          `escalated to ${names.roles.get(action.escalateToRole) ?? action.escalateToRole} when late`,
        );
      return parts.join(', ');
    }
  }
}
