import { describe, expect, it } from 'vitest';
import { convertFieldValue } from './convert.js';
import type { FieldDefinition, FieldOption, FieldType } from './types.js';
import { fieldTypes, TEXT_MAX_LENGTH } from './types.js';
import type { FieldValue } from './values.js';

const option = (id: string, code: string, label: string, isActive = true): FieldOption => ({
  id,
  code,
  label,
  colour: null,
  isActive,
});

/** The list a field starts on; 'Black' is retired. */
const colours = [
  option('o-red', 'RED', 'Red'),
  option('o-green', 'GRN', 'Green'),
  option('o-blue', 'BLU', 'Blue'),
  option('o-black', 'BLK', 'Black', false),
];

/**
 * Another list: RED shares a code, green only a label (in other case), Blue has no counterpart,
 * Black is retired here too, and the order differs from the first list.
 */
const paints = [
  option('p-white', 'WHT', 'White'),
  option('p-green', 'GREEN', 'green'),
  option('p-red', 'RED', 'Rot'),
  option('p-black', 'BLK', 'Black', false),
];

function field(type: FieldType, overrides: Partial<FieldDefinition> = {}): FieldDefinition {
  const select = type === 'single_select' || type === 'multi_select';
  return {
    id: 'f-1',
    key: 'spec',
    label: 'Spec',
    type,
    required: false,
    defaultValue: null,
    settings: {},
    helpText: null,
    groupName: null,
    sortOrder: 0,
    plantId: null,
    isActive: true,
    typeListId: select ? 'list-colours' : null,
    ...(select ? { options: colours } : {}),
    ...overrides,
  };
}

const paintField = (type: 'single_select' | 'multi_select') =>
  field(type, { typeListId: 'list-paints', options: paints });

const USER = '5f0c2a1e-9b3d-4c7a-8e6f-0a1b2c3d4e5f';

function carries(from: FieldDefinition, to: FieldDefinition, value: FieldValue, stored: FieldValue) {
  expect(convertFieldValue(from, to, value)).toEqual({ ok: true, value: stored });
}
function conflicts(from: FieldDefinition, to: FieldDefinition, value: FieldValue, error: string) {
  expect(convertFieldValue(from, to, value)).toEqual({ ok: false, error });
}

describe('convertFieldValue: no value', () => {
  it('null stays null between any two types, even incompatible or now required ones', () => {
    for (const a of fieldTypes)
      for (const b of fieldTypes) carries(field(a), field(b, { required: true }), null, null);
  });

  it('an empty stored value becomes null rather than a conflict', () => {
    carries(field('multi_select'), field('single_select'), [], null);
    carries(field('text'), field('integer'), '', null);
  });
});

describe('convertFieldValue: to numbers', () => {
  it.each([
    ['12', 12],
    [' 12 ', 12],
    ['-3', -3],
    ['12.0', 12],
  ])('text %j becomes the integer %j', (value, stored) => {
    carries(field('text'), field('integer'), value, stored);
  });

  it.each([
    ['12.5', 'Enter a whole number'],
    ['abc', 'Enter a number'],
    ['12 pcs', 'Enter a number'],
    ['0x10', 'Enter a number'],
  ])('text %j is a conflict for an integer', (value, error) => {
    conflicts(field('text'), field('integer'), value, error);
  });

  it('text becomes a decimal, rounded to its digits', () => {
    carries(field('text'), field('decimal', { settings: { decimals: 1 } }), '2.45', 2.5);
  });

  it('a whole decimal becomes an integer; a fraction is a conflict', () => {
    carries(field('decimal'), field('integer'), 12, 12);
    conflicts(field('decimal'), field('integer'), 12.5, 'Enter a whole number');
  });

  it('an integer becomes a decimal', () => {
    carries(field('integer'), field('decimal'), 12, 12);
    carries(field('integer'), field('decimal', { settings: { decimals: 2 } }), 12, 12);
  });

  it('a yes/no becomes 1 or 0, as an integer or a decimal', () => {
    carries(field('boolean'), field('integer'), true, 1);
    carries(field('boolean'), field('integer'), false, 0);
    carries(field('boolean'), field('decimal'), true, 1);
    conflicts(field('boolean'), field('integer', { settings: { min: 1 } }), false, 'At least 1');
  });

  it('a choice becomes a number through its label', () => {
    const sizes = [option('s-12', 'S', '12'), option('s-xl', 'XL', 'Extra large')];
    const from = field('single_select', { options: sizes });
    carries(from, field('integer'), 's-12', 12);
    conflicts(from, field('integer'), 's-xl', 'Enter a number');
  });

  it('a date is a conflict for a number', () => {
    conflicts(field('date'), field('integer'), '2026-11-25', 'Enter a number');
  });
});

describe('convertFieldValue: to text', () => {
  it.each([
    ['integer', 12, '12'],
    ['decimal', 2.5, '2.5'],
    ['boolean', true, 'true'],
    ['boolean', false, 'false'],
    ['date', '2026-11-25', '2026-11-25'],
    ['datetime', '2026-11-25T05:00:00.000Z', '2026-11-25T05:00:00.000Z'],
    ['single_select', 'o-green', 'Green'],
    ['multi_select', ['o-red', 'o-blue'], 'Red, Blue'],
    ['user_ref', USER, USER],
    ['entity_ref', USER, USER],
    ['long_text', 'many words', 'many words'],
  ] as const)('%s %j becomes %j', (type, value, text) => {
    const from = field(type);
    carries(from, field('text'), value as FieldValue, text);
    carries(from, field('long_text'), value as FieldValue, text);
  });

  it('a retired choice still has its label', () => {
    carries(field('single_select'), field('text'), 'o-black', 'Black');
  });

  it('a choice no longer in the list is written as its id', () => {
    carries(field('single_select'), field('text'), 'o-gone', 'o-gone');
  });

  it('long text too long for a short text is a conflict; the new text rules apply', () => {
    conflicts(
      field('long_text'),
      field('text'),
      'x'.repeat(TEXT_MAX_LENGTH + 1),
      `At most ${TEXT_MAX_LENGTH} characters`,
    );
    carries(field('long_text'), field('text'), '  padded  ', 'padded');
    conflicts(
      field('integer'),
      field('text', { settings: { pattern: '[A-Z]+' } }),
      12,
      'Does not match the expected format',
    );
  });
});

describe('convertFieldValue: between selects', () => {
  it('a single choice becomes a one-item multi choice', () => {
    carries(field('single_select'), field('multi_select'), 'o-green', ['o-green']);
  });

  it('a multi choice of one becomes a single choice; of two it is a conflict', () => {
    carries(field('multi_select'), field('single_select'), ['o-blue'], 'o-blue');
    conflicts(
      field('multi_select'),
      field('single_select'),
      ['o-red', 'o-blue'],
      'Holds more than one choice',
    );
  });

  it('a retired choice stays on the same list', () => {
    carries(field('single_select'), field('multi_select'), 'o-black', ['o-black']);
    carries(field('multi_select'), field('single_select'), ['o-black'], 'o-black');
    carries(field('single_select'), field('single_select', { required: true }), 'o-black', 'o-black');
  });

  it('moves to another list by code, then by label regardless of case', () => {
    carries(field('single_select'), paintField('single_select'), 'o-red', 'p-red');
    carries(field('single_select'), paintField('single_select'), 'o-green', 'p-green');
    carries(field('multi_select'), paintField('multi_select'), ['o-red', 'o-green'], ['p-green', 'p-red']);
    carries(field('single_select'), paintField('multi_select'), 'o-red', ['p-red']);
  });

  it('prefers the code to the label', () => {
    // The old 'Red' has code RED; on the new list RED is labelled 'Crimson' and another option is 'Red'.
    const to = field('single_select', {
      typeListId: 'list-other',
      options: [option('x-red', 'ROT', 'Red'), option('x-crimson', 'RED', 'Crimson')],
    });
    carries(field('single_select'), to, 'o-red', 'x-crimson');
  });

  it('a choice with no counterpart in the new list is a conflict', () => {
    conflicts(
      field('single_select'),
      paintField('single_select'),
      'o-blue',
      '"o-blue" is not one of the choices',
    );
    conflicts(
      field('multi_select'),
      paintField('multi_select'),
      ['o-red', 'o-blue'],
      '"o-blue" is not one of the choices',
    );
  });

  it('a retired option of the new list is not a place to move to', () => {
    conflicts(field('single_select'), paintField('single_select'), 'o-black', 'Black is no longer available');
  });

  it('new bounds on the count of choices make a conflict', () => {
    conflicts(
      field('multi_select'),
      field('multi_select', { settings: { max: 1 } }),
      ['o-red', 'o-green'],
      'Choose at most 1',
    );
  });
});

describe('convertFieldValue: text to a choice', () => {
  it.each([
    ['RED', 'o-red'],
    ['o-blue', 'o-blue'],
    ['green', 'o-green'],
    ['BLUE', 'o-blue'],
  ])('text %j is chosen by id, code or label', (value, stored) => {
    carries(field('text'), field('single_select'), value, stored);
  });

  it('codes match exactly: a code in other case is no choice unless it is also a label', () => {
    conflicts(field('text'), field('single_select'), 'grn', '"grn" is not one of the choices');
  });

  it('text that is no option is a conflict', () => {
    conflicts(field('text'), field('single_select'), 'Purple', '"Purple" is not one of the choices');
  });

  it('text becomes one choice of a multi select; a list in text is not split', () => {
    carries(field('text'), field('multi_select'), 'Red', ['o-red']);
    conflicts(field('text'), field('multi_select'), 'Red, Blue', '"Red, Blue" is not one of the choices');
  });

  it('text may not choose a retired option', () => {
    conflicts(field('text'), field('single_select'), 'BLK', 'Black is no longer available');
  });

  it('a number becomes the option with that code', () => {
    const to = field('single_select', { options: [option('s-12', '12', 'Twelve')] });
    carries(field('integer'), to, 12, 's-12');
  });
});

describe('convertFieldValue: to yes/no', () => {
  it.each([
    ['yes', true],
    ['Y', true],
    [' TRUE ', true],
    ['1', true],
    ['ja', true],
    ['oui', true],
    ['no', false],
    ['N', false],
    ['false', false],
    ['0', false],
    ['Nein', false],
    ['non', false],
  ])('text %j becomes %s', (value, stored) => {
    carries(field('text'), field('boolean'), value, stored);
  });

  it('other text is a conflict', () => {
    conflicts(field('text'), field('boolean'), 'maybe', 'Choose yes or no');
    conflicts(field('text'), field('boolean'), 'yes please', 'Choose yes or no');
  });

  it('1 and 0 become yes and no; other numbers are a conflict', () => {
    carries(field('integer'), field('boolean'), 1, true);
    carries(field('decimal'), field('boolean'), 0, false);
    conflicts(field('integer'), field('boolean'), 2, 'Choose yes or no');
  });

  it('a choice becomes yes or no through its label', () => {
    const answers = [option('a-yes', 'Y', 'Yes'), option('a-no', 'N', 'No'), option('a-na', 'NA', 'n/a')];
    const from = field('single_select', { options: answers });
    carries(from, field('boolean'), 'a-yes', true);
    carries(from, field('boolean'), 'a-no', false);
    conflicts(from, field('boolean'), 'a-na', 'Choose yes or no');
  });

  it('a yes/no becomes only text or a number', () => {
    for (const type of ['date', 'datetime', 'single_select', 'multi_select'] as const)
      conflicts(field('boolean'), field(type), true, 'A yes/no value can only become text or a number');
  });
});

describe('convertFieldValue: dates', () => {
  it('a date and a date-time do not convert into each other', () => {
    const message = 'A date and a date-time cannot be converted without a time zone';
    conflicts(field('date'), field('datetime'), '2026-11-25', message);
    conflicts(field('datetime'), field('date'), '2026-11-25T05:00:00.000Z', message);
  });

  it('text becomes a date or a date-time when it is one', () => {
    carries(field('text'), field('date'), '2026-11-25', '2026-11-25');
    conflicts(field('text'), field('date'), '25/11/2026', 'Enter a date like 2026-11-25');
    conflicts(field('text'), field('date'), '2023-02-29', 'No such date');
    carries(field('text'), field('datetime'), '2026-11-25T06:00:00+01:00', '2026-11-25T05:00:00.000Z');
    conflicts(
      field('text'),
      field('datetime'),
      '2026-11-25T06:00:00',
      'Enter a date and time with its offset, like 2026-11-25T06:00:00+01:00',
    );
  });
});

describe('convertFieldValue: references', () => {
  it('a reference becomes nothing but text', () => {
    for (const from of ['user_ref', 'entity_ref'] as const)
      for (const to of fieldTypes.filter((t) => t !== from && t !== 'text' && t !== 'long_text'))
        conflicts(field(from), field(to), USER, 'A reference can only become text');
  });

  it('nothing else becomes a reference, not even text holding an id', () => {
    conflicts(field('text'), field('user_ref'), USER, 'A reference can only become text');
    conflicts(field('integer'), field('entity_ref'), 3, 'A reference can only become text');
  });

  it('a reference keeps its type', () => {
    carries(field('user_ref'), field('user_ref'), USER, USER);
  });
});

describe('convertFieldValue: new bounds on the same type', () => {
  it('a number outside the new range is a conflict', () => {
    const to = field('integer', { settings: { min: 0, max: 10, unit: 'kW' } });
    carries(field('integer'), to, 10, 10);
    conflicts(field('integer'), to, 12, 'At most 10 kW');
    conflicts(field('integer'), to, -1, 'At least 0 kW');
  });

  it('a text outside the new length is a conflict', () => {
    conflicts(field('text'), field('text', { settings: { min: 5 } }), 'abc', 'At least 5 characters');
    conflicts(field('text'), field('text', { settings: { max: 2 } }), 'abc', 'At most 2 characters');
  });

  it('fewer decimals round what is stored', () => {
    carries(field('decimal'), field('decimal', { settings: { decimals: 1 } }), 2.25, 2.3);
  });

  it('a stricter pattern makes a conflict', () => {
    conflicts(
      field('text'),
      field('text', { settings: { pattern: '\\d+' } }),
      'AB12',
      'Does not match the expected format',
    );
  });
});
