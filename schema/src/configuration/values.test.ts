import { describe, expect, it } from 'vitest';
import type { FieldDefinition, FieldOption, FieldType } from './types.js';
import { LONG_TEXT_MAX_LENGTH, TEXT_MAX_LENGTH } from './types.js';
import { applicableFields, checkFieldValue, checkRecordValues, isEmptyValue } from './values.js';

const PLANT_A = '0b8f4a52-3c1e-4d6f-9a7b-1c2d3e4f5a6b';
const PLANT_B = '7e6d5c4b-3a29-4180-9f8e-7d6c5b4a3928';

const option = (id: string, code: string, label: string, isActive = true): FieldOption => ({
  id,
  code,
  label,
  colour: null,
  isActive,
});

/** A type list in the order a form shows it; 'Black' is retired. */
const colours = [
  option('o-red', 'RED', 'Red'),
  option('o-green', 'GRN', 'Green'),
  option('o-blue', 'BLU', 'Blue'),
  option('o-black', 'BLK', 'Black', false),
];

function field(type: FieldType, overrides: Partial<FieldDefinition> = {}): FieldDefinition {
  return {
    id: `f-${type}`,
    key: type,
    label: `The ${type}`,
    type,
    required: false,
    defaultValue: null,
    settings: {},
    helpText: null,
    groupName: null,
    sortOrder: 0,
    plantId: null,
    isActive: true,
    typeListId: type.endsWith('select') ? 'list-colours' : null,
    ...(type.endsWith('select') ? { options: colours } : {}),
    ...overrides,
  };
}

const accepts = (def: FieldDefinition, value: unknown, stored: unknown) =>
  expect(checkFieldValue(def, value)).toEqual({ ok: true, value: stored });
const refuses = (def: FieldDefinition, value: unknown, error: string) =>
  expect(checkFieldValue(def, value)).toEqual({ ok: false, error });

describe('isEmptyValue', () => {
  it.each([
    [null, true],
    [undefined, true],
    ['', true],
    ['   \t\n', true],
    [[], true],
    ['a', false],
    [' a ', false],
    [0, false],
    [false, false],
    [['o-red'], false],
  ])('%j → %s', (value, empty) => {
    expect(isEmptyValue(value)).toBe(empty);
  });
});

describe('checkFieldValue: required and empty', () => {
  const types: FieldType[] = [
    'text',
    'long_text',
    'integer',
    'decimal',
    'boolean',
    'date',
    'datetime',
    'single_select',
    'multi_select',
    'user_ref',
    'entity_ref',
  ];
  const empties: unknown[] = [null, undefined, '', '   ', []];

  it.each(types)('an empty %s clears an optional field', (type) => {
    for (const value of empties) accepts(field(type), value, null);
  });

  it.each(types)('an empty %s is refused on a required field', (type) => {
    for (const value of empties) refuses(field(type, { required: true }), value, 'Required');
  });

  it('false and 0 are values, not empty, on required fields', () => {
    accepts(field('boolean', { required: true }), false, false);
    accepts(field('integer', { required: true }), 0, 0);
  });
});

describe('checkFieldValue: text', () => {
  it('trims short text and keeps long text as typed', () => {
    accepts(field('text'), '  Pump 3  ', 'Pump 3');
    accepts(field('long_text'), '  line one\nline two  ', '  line one\nline two  ');
  });

  it('refuses what is not a string', () => {
    refuses(field('text'), 12, 'Enter text');
    refuses(field('long_text'), ['a'], 'Enter text');
    refuses(field('text'), true, 'Enter text');
  });

  it('caps short text at the indexed length and long text at its own limit', () => {
    accepts(field('text'), 'x'.repeat(TEXT_MAX_LENGTH), 'x'.repeat(TEXT_MAX_LENGTH));
    refuses(field('text'), 'x'.repeat(TEXT_MAX_LENGTH + 1), `At most ${TEXT_MAX_LENGTH} characters`);
    // Surrounding spaces do not count against a short text: they are trimmed before measuring.
    accepts(field('text'), ` ${'x'.repeat(TEXT_MAX_LENGTH)} `, 'x'.repeat(TEXT_MAX_LENGTH));
    accepts(field('long_text'), 'x'.repeat(LONG_TEXT_MAX_LENGTH), 'x'.repeat(LONG_TEXT_MAX_LENGTH));
    refuses(
      field('long_text'),
      'x'.repeat(LONG_TEXT_MAX_LENGTH + 1),
      `At most ${LONG_TEXT_MAX_LENGTH} characters`,
    );
  });

  it('bounds the length with min and max', () => {
    const def = field('text', { settings: { min: 3, max: 5 } });
    refuses(def, 'ab', 'At least 3 characters');
    accepts(def, 'abc', 'abc');
    accepts(def, 'abcde', 'abcde');
    refuses(def, 'abcdef', 'At most 5 characters');
    // Measured after trimming.
    refuses(def, '  ab  ', 'At least 3 characters');
  });

  it('the built-in limit wins over a larger max', () => {
    const def = field('text', { settings: { max: 10_000 } });
    refuses(def, 'x'.repeat(TEXT_MAX_LENGTH + 1), `At most ${TEXT_MAX_LENGTH} characters`);
  });

  it('matches the pattern against the whole value, not a part of it', () => {
    const def = field('text', { settings: { pattern: '\\d+' } });
    accepts(def, '1234', '1234');
    accepts(def, ' 1234 ', '1234');
    refuses(def, 'AB12', 'Does not match the expected format');
    refuses(def, '12AB', 'Does not match the expected format');
  });

  it('anchors every branch of an alternation', () => {
    const def = field('text', { settings: { pattern: 'A|B' } });
    accepts(def, 'A', 'A');
    accepts(def, 'B', 'B');
    refuses(def, 'AX', 'Does not match the expected format');
    refuses(def, 'XB', 'Does not match the expected format');
  });

  it('quotes the help text when the pattern refuses', () => {
    const def = field('text', { settings: { pattern: '[A-Z]{2}-\\d{4}' }, helpText: 'Like AB-1234' });
    accepts(def, 'AB-1234', 'AB-1234');
    refuses(def, 'ab-1234', 'Does not match the expected format: Like AB-1234');
  });

  it('applies the pattern to long text too', () => {
    refuses(
      field('long_text', { settings: { pattern: '[a-z]+' } }),
      'abc1',
      'Does not match the expected format',
    );
  });

  // A backtracking engine takes minutes on each refused value (exponential time in the first two,
  // cubic in the third) and blocks every other request meanwhile; RE2's time is linear in the value.
  it.each([
    ['(a|a)*', 'text', `${'a'.repeat(35)}b`, 'a'.repeat(35)],
    ['(a+)+$', 'text', `${'a'.repeat(35)}!`, 'a'.repeat(35)],
    ['\\d*\\d*\\d*x', 'long_text', '1'.repeat(8_000), `${'1'.repeat(8_000)}x`],
  ] as const)(
    'checks %s against a value that makes a backtracking engine take minutes',
    (pattern, type, refused, accepted) => {
      const def = field(type, { settings: { pattern }, helpText: 'As agreed' });
      refuses(def, refused, 'Does not match the expected format: As agreed');
      accepts(def, accepted, accepted);
    },
  );
});

describe('checkFieldValue: numbers', () => {
  it('accepts numbers and numeric strings', () => {
    accepts(field('integer'), 42, 42);
    accepts(field('integer'), -7, -7);
    accepts(field('integer'), ' 12 ', 12);
    accepts(field('decimal'), 2.5, 2.5);
    accepts(field('decimal'), '2.5', 2.5);
    accepts(field('decimal'), '-0.25', -0.25);
  });

  it.each([
    ['abc'],
    [true],
    [Number.NaN],
    [Number.POSITIVE_INFINITY],
    ['Infinity'],
    ['1,5'],
    ['0x10'],
    ['0b11'],
    ['12abc'],
    [['1']],
  ])('refuses %j as a number', (value) => {
    refuses(field('integer'), value, 'Enter a number');
    refuses(field('decimal'), value, 'Enter a number');
  });

  it('an integer must be whole and safe; a decimal need not be', () => {
    refuses(field('integer'), 2.5, 'Enter a whole number');
    refuses(field('integer'), '12.5', 'Enter a whole number');
    accepts(field('integer'), 12.0, 12);
    accepts(field('integer'), '12.0', 12);
    refuses(field('integer'), 2 ** 53, 'The number is too large');
    accepts(field('integer'), Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
    accepts(field('decimal'), 2 ** 53, 2 ** 53);
  });

  it('bounds the value with min and max, inclusive, naming the unit', () => {
    const def = field('integer', { settings: { min: 0, max: 1000, unit: 'rpm' } });
    accepts(def, 0, 0);
    accepts(def, 1000, 1000);
    refuses(def, -1, 'At least 0 rpm');
    refuses(def, 1001, 'At most 1000 rpm');
  });

  it('says the bound without a unit when there is none, and writes decimals plainly', () => {
    const def = field('decimal', { settings: { min: 0.5, max: 2.5 } });
    refuses(def, 0.4, 'At least 0.5');
    refuses(def, 2.6, 'At most 2.5');
  });

  it('rounds a decimal to its digits', () => {
    const def = (decimals: number) => field('decimal', { settings: { decimals } });
    accepts(def(2), 3.14729, 3.15);
    accepts(def(2), 2.675, 2.68);
    accepts(def(2), 1.005, 1.01);
    accepts(def(2), -1.005, -1.01);
    accepts(def(0), 2.5, 3);
    accepts(def(0), -2.5, -3);
    accepts(def(1), '7.25', 7.3);
    accepts(def(3), 7, 7);
    expect(Object.is((checkFieldValue(def(0), -0.4) as { value: number }).value, 0)).toBe(true);
    // Numbers String() writes with an exponent.
    accepts(def(2), 1e-7, 0);
    expect(Object.is((checkFieldValue(def(2), -1e-7) as { value: number }).value, 0)).toBe(true);
    accepts(def(2), 1e21, 1e21);
    accepts(def(9), 1e20, 1e20);
    accepts(def(9), 123456.1234567891, 123456.123456789);
    // Without a number of digits, a decimal is kept as given.
    accepts(field('decimal'), 3.14729, 3.14729);
  });

  it('checks the bounds on the value it stores, after rounding', () => {
    const def = field('decimal', { settings: { min: 0.04, max: 10.46, decimals: 1 } });
    // 10.46 would be stored as 10.5, above the maximum.
    refuses(def, 10.46, 'At most 10.46');
    refuses(def, 0.04, 'At least 0.04');
    accepts(def, 10.44, 10.4);
  });
});

describe('checkFieldValue: boolean', () => {
  it('takes true and false only', () => {
    accepts(field('boolean'), true, true);
    accepts(field('boolean'), false, false);
    for (const value of ['true', 'yes', 1, 0, ['true']]) refuses(field('boolean'), value, 'Choose yes or no');
  });
});

describe('checkFieldValue: date', () => {
  it.each(['2026-11-25', '2024-02-29', '2000-02-29', '1900-01-01', '9999-12-31'])('accepts %s', (value) => {
    accepts(field('date'), value, value);
  });

  it('trims', () => {
    accepts(field('date'), ' 2026-11-25 ', '2026-11-25');
  });

  it.each(['2026-02-30', '2023-02-29', '1900-02-29', '2026-04-31', '2026-13-01', '2026-00-10', '2026-01-00'])(
    'refuses %s as no such date',
    (value) => {
      refuses(field('date'), value, 'No such date');
    },
  );

  it.each([['2026-11-25T00:00:00Z'], ['25.11.2026'], ['2026-1-5'], ['20261125'], [20261125], [true]])(
    'refuses %j as not a date',
    (value) => {
      refuses(field('date'), value, 'Enter a date like 2026-11-25');
    },
  );

  it('bounds the year like a date-time does', () => {
    refuses(field('date'), '1899-12-31', 'The year must be between 1900 and 9999');
    refuses(field('date'), '0050-01-01', 'The year must be between 1900 and 9999');
    refuses(field('date'), '0000-01-01', 'The year must be between 1900 and 9999');
  });
});

describe('checkFieldValue: date-time', () => {
  it.each([
    ['2026-11-25T06:00:00+01:00', '2026-11-25T05:00:00.000Z'],
    ['2026-11-25T06:00:00Z', '2026-11-25T06:00:00.000Z'],
    ['2026-11-25T06:00Z', '2026-11-25T06:00:00.000Z'],
    ['2026-11-25T06:00:00.5Z', '2026-11-25T06:00:00.500Z'],
    ['2026-11-25T06:00:00.123456789Z', '2026-11-25T06:00:00.123Z'],
    ['2026-11-25T23:30:00-05:00', '2026-11-26T04:30:00.000Z'],
    ['2026-01-01T00:30:00+01:00', '2025-12-31T23:30:00.000Z'],
    [' 2026-11-25T06:00:00Z ', '2026-11-25T06:00:00.000Z'],
    ['2024-02-29T12:00:00Z', '2024-02-29T12:00:00.000Z'],
  ])('normalises %s to UTC', (value, stored) => {
    accepts(field('datetime'), value, stored);
  });

  it.each([
    ['2026-11-25T06:00:00'],
    ['2026-11-25 06:00:00Z'],
    ['2026-11-25'],
    ['2026-11-25T06:00:00+0100'],
    ['2026-11-25T6:00:00Z'],
    [1795600800000],
  ])('refuses %j, which has no offset or is not ISO 8601', (value) => {
    refuses(
      field('datetime'),
      value,
      'Enter a date and time with its offset, like 2026-11-25T06:00:00+01:00',
    );
  });

  it.each([
    ['2026-11-25T25:00:00Z'],
    ['2026-11-25T10:60:00Z'],
    ['2026-11-25T10:00:00+99:00'],
    ['2026-13-01T10:00:00Z'],
  ])('refuses %s as no such date and time', (value) => {
    refuses(field('datetime'), value, 'No such date and time');
  });

  it.each([['2026-02-30T10:00:00Z'], ['2023-02-29T10:00:00Z'], ['2026-04-31T10:00:00+02:00']])(
    'refuses %s rather than rolling it into the next month',
    (value) => {
      refuses(field('datetime'), value, 'No such date and time');
    },
  );

  it('bounds the year of the instant in UTC', () => {
    const message = 'The year must be between 1900 and 9999';
    accepts(field('datetime'), '1900-01-01T00:00:00Z', '1900-01-01T00:00:00.000Z');
    refuses(field('datetime'), '1899-12-31T23:59:59Z', message);
    // Written in 1900, but an instant in 1899 in UTC.
    refuses(field('datetime'), '1900-01-01T00:30:00+01:00', message);
    accepts(field('datetime'), '9999-12-31T23:59:59Z', '9999-12-31T23:59:59.000Z');
    refuses(field('datetime'), '9999-12-31T23:00:00-05:00', message);
  });
});

describe('checkFieldValue: single select', () => {
  const def = field('single_select');

  it('takes an option by id or by code and stores the id', () => {
    accepts(def, 'o-green', 'o-green');
    accepts(def, 'GRN', 'o-green');
  });

  it('refuses unknown options, naming what was sent', () => {
    refuses(def, 'o-purple', '"o-purple" is not one of the choices');
    // Codes match exactly; labels are not accepted on write.
    refuses(def, 'grn', '"grn" is not one of the choices');
    refuses(def, 'Green', '"Green" is not one of the choices');
    refuses(def, 7, '7 is not one of the choices');
    refuses(def, ['o-red'], '["o-red"] is not one of the choices');
  });

  it('refuses a retired option unless the value already holds it', () => {
    refuses(def, 'o-black', 'Black is no longer available');
    refuses(def, 'BLK', 'Black is no longer available');
    expect(checkFieldValue(def, 'o-black', 'o-red')).toEqual({
      ok: false,
      error: 'Black is no longer available',
    });
    expect(checkFieldValue(def, 'o-black', 'o-black')).toEqual({ ok: true, value: 'o-black' });
    expect(checkFieldValue(def, 'BLK', 'o-black')).toEqual({ ok: true, value: 'o-black' });
  });

  it('has no choices when the definition carries no options', () => {
    refuses(field('single_select', { options: undefined }), 'o-red', '"o-red" is not one of the choices');
  });
});

describe('checkFieldValue: multi select', () => {
  const def = field('multi_select');

  it('stores ids, without duplicates, in the order of the type list', () => {
    accepts(def, ['o-blue', 'RED'], ['o-red', 'o-blue']);
    accepts(def, ['BLU', 'o-blue', 'o-green', 'GRN'], ['o-green', 'o-blue']);
    accepts(def, ['o-green'], ['o-green']);
  });

  it('wants a list', () => {
    refuses(def, 'o-red', 'Choose from the list');
    refuses(def, 3, 'Choose from the list');
  });

  it('refuses the first unknown or retired choice', () => {
    refuses(def, ['o-red', 'nope'], '"nope" is not one of the choices');
    refuses(def, ['o-red', 'o-black'], 'Black is no longer available');
    expect(checkFieldValue(def, ['o-red', 'o-black'], ['o-black', 'o-green'])).toEqual({
      ok: true,
      value: ['o-red', 'o-black'],
    });
    expect(checkFieldValue(def, ['o-black'], ['o-green'])).toEqual({
      ok: false,
      error: 'Black is no longer available',
    });
  });

  it('bounds the number of distinct choices', () => {
    const bounded = field('multi_select', { settings: { min: 2, max: 2 } });
    refuses(bounded, ['o-red'], 'Choose at least 2');
    // Duplicates count once.
    refuses(bounded, ['o-red', 'RED'], 'Choose at least 2');
    accepts(bounded, ['o-red', 'o-green'], ['o-red', 'o-green']);
    refuses(bounded, ['o-red', 'o-green', 'o-blue'], 'Choose at most 2');
  });
});

describe('checkFieldValue: references', () => {
  const id = '5F0C2A1E-9B3D-4C7A-8E6F-0A1B2C3D4E5F';

  it.each(['user_ref', 'entity_ref'] as const)('%s takes a UUID and lower-cases it', (type) => {
    accepts(field(type), id, id.toLowerCase());
    accepts(field(type), id.toLowerCase(), id.toLowerCase());
  });

  it.each(['user_ref', 'entity_ref'] as const)('%s refuses what is not a UUID', (type) => {
    for (const value of [
      'alice',
      '5f0c2a1e9b3d4c7a8e6f0a1b2c3d4e5f',
      '5f0c2a1e-9b3d-4c7a-8e6f-0a1b2c3d4e5',
      '5f0c2a1e-9b3d-4c7a-8e6f-0a1b2c3d4e5g',
      `{${id}}`,
      42,
      [id],
    ])
      refuses(field(type), value, 'Choose a record');
  });
});

describe('applicableFields', () => {
  const everywhere = field('text', { key: 'everywhere' });
  const inA = field('text', { key: 'in_a', plantId: PLANT_A });
  const inB = field('text', { key: 'in_b', plantId: PLANT_B });
  const retired = field('text', { key: 'retired', isActive: false });
  const defs = [everywhere, inA, inB, retired];

  it('keeps active fields for every plant and for the record’s plant', () => {
    expect(applicableFields(defs, PLANT_A).map((d) => d.key)).toEqual(['everywhere', 'in_a']);
    expect(applicableFields(defs, PLANT_B).map((d) => d.key)).toEqual(['everywhere', 'in_b']);
  });

  it('gives a tenant-wide record only the fields for every plant', () => {
    expect(applicableFields(defs, null).map((d) => d.key)).toEqual(['everywhere']);
  });
});

describe('checkRecordValues', () => {
  const serial = field('text', { key: 'serial', label: 'Serial', required: true });
  const power = field('decimal', {
    key: 'power',
    label: 'Power',
    settings: { min: 0, unit: 'kW' },
    defaultValue: 7.5,
  });
  const colour = field('single_select', { key: 'colour', label: 'Colour' });
  const notes = field('long_text', { key: 'notes', label: 'Notes' });
  const legacy = field('text', { key: 'legacy', label: 'Legacy code', isActive: false, required: true });
  const onlyB = field('integer', { key: 'bay', label: 'Bay', plantId: PLANT_B, required: true });
  const defs = [serial, power, colour, notes, legacy, onlyB];
  const create = { creating: true, plantId: PLANT_A };
  const update = { creating: false, plantId: PLANT_A };

  it('stores checked values by key', () => {
    expect(checkRecordValues(defs, { serial: ' SN-1 ', power: '11', colour: 'GRN' }, update)).toEqual({
      values: { serial: 'SN-1', power: 11, colour: 'o-green' },
      errors: {},
    });
  });

  it('stores null for a value that is cleared', () => {
    expect(checkRecordValues(defs, { notes: '  ', colour: null }, update)).toEqual({
      values: { notes: null, colour: null },
      errors: {},
    });
  });

  it('gives every error at once, one per field', () => {
    expect(checkRecordValues(defs, { serial: '', power: -1, colour: 'nope', notes: 'ok' }, update)).toEqual({
      values: { notes: 'ok' },
      errors: {
        serial: 'Required',
        power: 'At least 0 kW',
        colour: '"nope" is not one of the choices',
      },
    });
  });

  it('puts keys that name no field under _, all in one message', () => {
    expect(checkRecordValues(defs, { serial: 'SN-1', colur: 'RED', weight: 3 }, update)).toEqual({
      values: { serial: 'SN-1' },
      errors: { _: 'No such field: colur, weight' },
    });
  });

  it('refuses values for a retired field', () => {
    expect(checkRecordValues(defs, { legacy: 'X' }, update).errors).toEqual({
      legacy: 'Legacy code is retired and takes no new values',
    });
    // Even clearing it: a retired field takes nothing.
    expect(checkRecordValues(defs, { legacy: null }, update).errors).toEqual({
      legacy: 'Legacy code is retired and takes no new values',
    });
  });

  it('refuses a field of another plant', () => {
    expect(checkRecordValues(defs, { bay: 3 }, update)).toEqual({
      values: {},
      errors: { bay: 'Bay does not apply to records of this plant' },
    });
    expect(checkRecordValues(defs, { bay: 3 }, { creating: false, plantId: null }).errors).toEqual({
      bay: 'Bay does not apply to records of this plant',
    });
    expect(checkRecordValues(defs, { bay: 3 }, { creating: false, plantId: PLANT_B })).toEqual({
      values: { bay: 3 },
      errors: {},
    });
  });

  it('on create, fills defaults and wants the required fields that apply', () => {
    expect(checkRecordValues(defs, {}, create)).toEqual({
      values: { power: 7.5 },
      errors: { serial: 'Required' },
    });
    expect(checkRecordValues(defs, { serial: 'SN-1' }, create)).toEqual({
      values: { serial: 'SN-1', power: 7.5 },
      errors: {},
    });
    // The plant-B field is required there.
    expect(checkRecordValues(defs, { serial: 'SN-1' }, { creating: true, plantId: PLANT_B }).errors).toEqual({
      bay: 'Required',
    });
  });

  it('on create, a value given wins over the default, and an explicit clear is kept', () => {
    expect(checkRecordValues(defs, { serial: 'SN-1', power: 3 }, create).values).toEqual({
      serial: 'SN-1',
      power: 3,
    });
    expect(checkRecordValues(defs, { serial: 'SN-1', power: null }, create).values).toEqual({
      serial: 'SN-1',
      power: null,
    });
  });

  it('a required field with a default is satisfied by the default', () => {
    const shift = field('integer', { key: 'shift', label: 'Shift', required: true, defaultValue: 1 });
    expect(checkRecordValues([shift], {}, create)).toEqual({ values: { shift: 1 }, errors: {} });
  });

  it('does not apply a default whose option was retired since', () => {
    const optional = field('single_select', { key: 'paint', defaultValue: 'o-black' });
    expect(checkRecordValues([optional], {}, create)).toEqual({ values: {}, errors: {} });
    const required = field('single_select', { key: 'paint', required: true, defaultValue: 'o-black' });
    expect(checkRecordValues([required], {}, create).errors).toEqual({ paint: 'Required' });
    const current = field('single_select', { key: 'paint', defaultValue: 'o-green' });
    expect(checkRecordValues([current], {}, create).values).toEqual({ paint: 'o-green' });
  });

  it('on update, neither defaults nor required fields that were not sent', () => {
    expect(checkRecordValues(defs, {}, update)).toEqual({ values: {}, errors: {} });
    expect(checkRecordValues(defs, { notes: 'x' }, update)).toEqual({ values: { notes: 'x' }, errors: {} });
  });

  it('keeps a retired option the record already holds', () => {
    expect(
      checkRecordValues(defs, { colour: 'BLK' }, { ...update, previous: { colour: 'o-black' } }),
    ).toEqual({ values: { colour: 'o-black' }, errors: {} });
    expect(
      checkRecordValues(defs, { colour: 'BLK' }, { ...update, previous: { colour: 'o-red' } }).errors,
    ).toEqual({ colour: 'Black is no longer available' });
  });

  it('does not mistake an inherited property for a given value or a stored one', () => {
    // 'constructor' is a valid field key (FIELD_KEY_PATTERN) and every object inherits it.
    const ctor = field('text', { key: 'constructor', label: 'Constructor', required: true });
    expect(checkRecordValues([ctor], {}, create).errors).toEqual({ constructor: 'Required' });
    const picked = field('single_select', { key: 'constructor', label: 'Constructor' });
    expect(checkRecordValues([picked], { constructor: 'o-red' }, { ...update, previous: {} })).toEqual({
      values: { constructor: 'o-red' },
      errors: {},
    });
  });
});
