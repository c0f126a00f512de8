import { enterActionSchema } from '@plantline/schema/workflow';
import { describe, expect, it } from 'vitest';
import {
  type ActionChoices,
  audienceKind,
  blankAction,
  blankAudience,
  describeAction,
  ENTER_ACTION_TYPES,
  setFieldSource,
  setFieldSources,
  typedValue,
  withSetFieldSource,
} from './actions';
import type { Names } from './approval';

const choices: ActionChoices = {
  fields: [
    { ref: 'number', label: 'Number', kind: 'text', settable: true },
    { ref: 'closed_at', label: 'Closed at', kind: 'datetime', settable: true },
    { ref: 'owner_id', label: 'Owner', kind: 'user', settable: true },
    { ref: 'created_at', label: 'Created', kind: 'datetime', settable: false },
  ],
  roles: [{ key: 'quality' }],
  sequences: [{ code: 'ncr' }],
};
const fields = new Map(choices.fields.map((f) => [f.ref, f]));
const names: Names = { roles: new Map([['quality', 'Quality']]), users: new Map([['u1', 'Ada Lovelace']]) };
const sequences = new Map([['ncr', 'NCR numbers']]);

describe('blankAction', () => {
  it('gives every type of the catalogue with valid first choices', () => {
    for (const { type } of ENTER_ACTION_TYPES) {
      const action = blankAction(type, choices);
      expect(action.type).toBe(type);
      expect(enterActionSchema.safeParse(action).success, type).toBe(true);
    }
  });

  it('numbers the first settable text field from the first scheme', () => {
    expect(blankAction('take_number', choices)).toEqual({
      type: 'take_number',
      field: 'number',
      sequence: 'ncr',
    });
  });
});

describe('audiences', () => {
  it('tells and starts each kind', () => {
    expect(audienceKind(blankAudience('role', choices))).toBe('role');
    expect(blankAudience('userField', choices)).toEqual({ userField: 'owner_id' });
    expect(audienceKind(blankAudience('permission', choices))).toBe('permission');
    expect(blankAudience('initiator', choices)).toEqual({ initiator: true });
  });
});

describe('set_field sources', () => {
  it('offers the moment for dates and the actor for users', () => {
    expect(setFieldSources('datetime')).toEqual(['value', 'now', 'clear']);
    expect(setFieldSources('user')).toEqual(['value', 'actor', 'clear']);
    expect(setFieldSources('text')).toEqual(['value', 'clear']);
  });

  it('switches between a value, the moment and clearing', () => {
    const action = { type: 'set_field' as const, field: 'closed_at', value: null };
    expect(setFieldSource(action)).toBe('clear');
    const now = withSetFieldSource(action, 'now', 'datetime');
    expect(now).toEqual({ type: 'set_field', field: 'closed_at', from: 'now' });
    expect(setFieldSource(now)).toBe('now');
    expect(withSetFieldSource(now, 'value', 'number')).toEqual({
      type: 'set_field',
      field: 'closed_at',
      value: 0,
    });
    expect(withSetFieldSource({ ...action, value: 'x' }, 'value', 'text')).toMatchObject({ value: 'x' });
  });

  it('types what an input holds by the field’s kind', () => {
    expect(typedValue('4.5', 'number')).toBe(4.5);
    expect(typedValue('', 'number')).toBeNull();
    expect(typedValue('false', 'boolean')).toBe(false);
    expect(typedValue('rework', 'choice')).toBe('rework');
  });
});

describe('describeAction', () => {
  it('says each action in words', () => {
    const say = (action: Parameters<typeof describeAction>[0]) =>
      describeAction(action, names, fields, sequences);
    expect(say({ type: 'set_field', field: 'closed_at', from: 'now' })).toBe(
      'Set Closed at to the moment of entering',
    );
    expect(say({ type: 'set_field', field: 'owner_id', value: 'u1' })).toBe('Set Owner to Ada Lovelace');
    expect(say({ type: 'set_field', field: 'owner_id', value: null })).toBe('Clear Owner');
    expect(say({ type: 'take_number', field: 'number', sequence: 'ncr' })).toBe(
      'Number Number from NCR numbers',
    );
    expect(say({ type: 'notify', to: { role: 'quality' }, title: 'Review it' })).toBe(
      'Notify Quality: Review it',
    );
    expect(say({ type: 'notify', to: { userField: 'owner_id' }, title: 'Yours' })).toBe(
      'Notify the user in Owner: Yours',
    );
    expect(say({ type: 'start_sla', hours: 48, remindBeforeHours: 1, escalateToRole: 'quality' })).toBe(
      'Due within 48 hours, reminder 1 hour before, escalated to Quality when late',
    );
  });
});
