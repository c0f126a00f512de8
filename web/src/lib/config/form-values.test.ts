import type { FieldDefinition } from '@plantline/schema/configuration';
import { describe, expect, it } from 'vitest';
import {
  changedValues,
  checkFormValues,
  displayValue,
  groupFields,
  initialFormValues,
  isoToLocalInput,
  localInputToIso,
  newRecordCustomValues,
  prefixedErrors,
  toApiValue,
  toFormValue,
} from './form-values';

const field = (over: Partial<FieldDefinition>): FieldDefinition => ({
  id: over.key ?? 'f',
  key: 'f',
  label: 'F',
  type: 'text',
  required: false,
  defaultValue: null,
  settings: {},
  helpText: null,
  groupName: null,
  sortOrder: 0,
  plantId: null,
  isActive: true,
  typeListId: null,
  ...over,
});

const options = [
  {
    id: '11111111-1111-4111-8111-111111111111',
    code: 'RED',
    label: 'Red',
    colour: '#ef4444',
    isActive: true,
  },
  { id: '22222222-2222-4222-8222-222222222222', code: 'OLD', label: 'Old', colour: null, isActive: false },
];
const weight = field({
  key: 'weight',
  label: 'Weight',
  type: 'decimal',
  settings: { min: 0, max: 10, unit: 'kg' },
});
const colour = field({ key: 'colour', label: 'Colour', type: 'single_select', required: true, options });

describe('date-time values', () => {
  it('turn a datetime-local value into an instant with the browser’s offset, and back', () => {
    const iso = localInputToIso('2026-11-25T07:30');
    expect(iso).toMatch(/^2026-11-25T07:30:00[+-]\d{2}:\d{2}$/);
    expect(new Date(iso).getTime()).toBe(new Date(2026, 10, 25, 7, 30).getTime());
    expect(isoToLocalInput(new Date(2026, 10, 25, 7, 30).toISOString())).toBe('2026-11-25T07:30');
  });

  it('leave text that is no wall time for the check to refuse', () => {
    expect(localInputToIso(' soon ')).toBe('soon');
    expect(isoToLocalInput('not a time')).toBe('');
  });
});

describe('form ↔ API values', () => {
  it('sends numbers as numbers, empty controls as null and bad text as typed', () => {
    expect(toApiValue(weight, ' 2.5 ')).toBe(2.5);
    expect(toApiValue(weight, '')).toBeNull();
    expect(toApiValue(weight, '0x10')).toBe('0x10');
    expect(toApiValue(field({ type: 'boolean' }), false)).toBe(false);
    expect(toApiValue(field({ type: 'multi_select' }), ['a'])).toEqual(['a']);
  });

  it('shows stored values in controls', () => {
    expect(toFormValue(weight, 2.5)).toBe('2.5');
    expect(toFormValue(weight, null)).toBe('');
    expect(toFormValue(field({ type: 'boolean' }), null)).toBe(false);
    expect(toFormValue(field({ type: 'multi_select' }), null)).toEqual([]);
  });

  it('starts a form from stored values, or defaults for a new record', () => {
    const size = field({ key: 'size', type: 'integer', defaultValue: 3 });
    expect(initialFormValues([weight, size], { weight: 1 })).toEqual({ weight: '1', size: '' });
    expect(initialFormValues([weight, size], {}, true)).toEqual({ weight: '', size: '3' });
  });
});

describe('checkFormValues', () => {
  it('gives the cloud’s messages for values as typed', () => {
    const errors = checkFormValues([weight, colour], { weight: '12', colour: '' });
    expect(errors).toEqual({ weight: 'At most 10 kg', colour: 'Required' });
    expect(checkFormValues([weight, colour], { weight: '2', colour: options[0]!.id })).toEqual({});
  });

  it('keeps a retired option the record already holds, refuses it otherwise', () => {
    expect(checkFormValues([colour], { colour: options[1]!.id }, { colour: options[1]!.id })).toEqual({});
    expect(checkFormValues([colour], { colour: options[1]!.id })).toEqual({
      colour: 'Old is no longer available',
    });
  });

  it('skips read-only fields', () => {
    expect(checkFormValues([{ ...colour, readOnly: true }], { colour: '' })).toEqual({});
  });
});

describe('changedValues', () => {
  it('sends only what changed, null for a cleared value', () => {
    const stored = { weight: 2, colour: options[0]!.id };
    expect(changedValues([weight, colour], { weight: '2', colour: options[0]!.id }, stored)).toEqual({});
    expect(changedValues([weight, colour], { weight: '', colour: options[0]!.id }, stored)).toEqual({
      weight: null,
    });
    expect(changedValues([weight], { weight: '3.5' }, stored)).toEqual({ weight: 3.5 });
  });

  it('does not turn an untouched empty yes/no into “no”', () => {
    const flag = field({ key: 'flag', type: 'boolean' });
    expect(changedValues([flag], { flag: false }, {})).toEqual({});
    expect(changedValues([flag], { flag: true }, {})).toEqual({ flag: true });
  });
});

describe('displayValue and groupFields', () => {
  it('shows labels, units and yes/no', () => {
    expect(displayValue(colour, options[0]!.id)).toBe('Red');
    expect(displayValue(weight, 2.5)).toBe('2.5 kg');
    expect(displayValue(field({ type: 'boolean' }), false)).toBe('No');
    expect(displayValue(weight, null)).toBe('');
  });

  it('groups fields in form order, ungrouped first', () => {
    const a = field({ key: 'a', sortOrder: 3, groupName: 'Packaging' });
    const b = field({ key: 'b', sortOrder: 1, groupName: 'Packaging' });
    const c = field({ key: 'c', sortOrder: 2 });
    expect(groupFields([a, b, c]).map((g) => [g.group, g.fields.map((f) => f.key)])).toEqual([
      [null, ['c']],
      ['Packaging', ['b', 'a']],
    ]);
  });
});

describe('custom values of a new record', () => {
  const retired = field({ key: 'legacy', isActive: false });
  const scoped = { ...field({ key: 'other_plant' }), readOnly: true };
  const note = field({ key: 'note', defaultValue: 'standard' });

  it('sends every editable field as shown, a cleared default as null', () => {
    const values = initialFormValues([weight, note], {}, true);
    expect(values).toEqual({ weight: '', note: 'standard' });
    expect(newRecordCustomValues([weight, note, retired, scoped], { ...values, weight: '2.5' })).toEqual({
      weight: 2.5,
      note: 'standard',
    });
    expect(newRecordCustomValues([note], { note: '' })).toEqual({ note: null });
    expect(newRecordCustomValues([colour], {})).toEqual({ colour: null });
  });

  it('names field messages as the cloud names them in a domain’s create', () => {
    expect(prefixedErrors({ colour: 'Required', weight: 'At most 10' })).toEqual({
      'custom.colour': 'Required',
      'custom.weight': 'At most 10',
    });
    expect(prefixedErrors(checkFormValues([colour, weight], { colour: '', weight: '11' }))).toEqual({
      'custom.colour': 'Required',
      'custom.weight': expect.stringContaining('10'),
    });
  });
});
