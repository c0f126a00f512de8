import type { FieldDefinition } from '@plantline/schema/configuration';
import { describe, expect, it } from 'vitest';
import {
  draftOf,
  emptyDraft,
  keyFromLabel,
  needsCheck,
  patchOf,
  previewDefinition,
  specOf,
  validateDraft,
} from './field-draft';

const options = [
  { id: '11111111-1111-4111-8111-111111111111', code: 'RED', label: 'Red', colour: null, isActive: true },
];

describe('the field editor’s draft', () => {
  it('suggests a key from the label', () => {
    expect(keyFromLabel('Net weight (kg)')).toBe('net_weight_kg');
    expect(keyFromLabel('2nd Länge')).toBe('nd_lange');
    expect(keyFromLabel('')).toBe('');
  });

  it('checks as the cloud does: key, list, bounds and default', () => {
    const draft = {
      ...emptyDraft(),
      label: 'Weight',
      key: 'Weight',
      type: 'decimal' as const,
      min: '5',
      max: '1',
      defaultValue: 'x',
    };
    expect(validateDraft(draft, undefined)).toEqual({
      key: 'Use 1–63 lower-case letters, digits and _ , starting with a letter',
      'settings.max': 'The minimum is above the maximum',
    });
    expect(validateDraft({ ...draft, key: 'weight', max: '10', defaultValue: '12' }, undefined)).toEqual({
      defaultValue: 'At most 10',
    });
    expect(validateDraft({ ...draft, key: 'weight', max: 'ten' }, undefined)).toEqual({
      'settings.max': 'Enter a number',
    });
    expect(
      validateDraft({ ...emptyDraft(), label: 'Colour', key: 'colour', type: 'single_select' }, options),
    ).toEqual({
      typeListId: 'Choose the type list to pick from',
    });
  });

  const codeDraft = {
    ...emptyDraft(),
    label: 'Code',
    key: 'code',
    type: 'text' as const,
    helpText: 'Only a',
  };

  it('refuses a pattern RE2 cannot read, as the cloud does', () => {
    expect(validateDraft({ ...codeDraft, pattern: '(?<=A)B' }, undefined)).toEqual({
      'settings.pattern': 'Lookahead and lookbehind ((?=, (?!, (?<=, (?<!) are not supported',
    });
  });

  it('checks a default against a pattern that makes a backtracking engine take minutes', () => {
    // Exponential time in the default's length on a backtracking engine; linear on RE2.
    expect(
      validateDraft({ ...codeDraft, pattern: '(a|a)*', defaultValue: `${'a'.repeat(35)}b` }, undefined),
    ).toEqual({
      defaultValue: 'Does not match the expected format: Only a',
    });
  });

  it('keeps only the settings a type uses, and previews the definition', () => {
    const draft = {
      ...emptyDraft(),
      label: 'Colour',
      key: 'colour',
      type: 'single_select' as const,
      typeListId: 'list',
      unit: 'kg',
      min: '1',
      defaultValue: 'RED',
    };
    const spec = specOf(draft, options);
    expect(spec.settings).toEqual({});
    expect(spec.defaultValue).toBe('RED');
    expect(previewDefinition(draft, { id: 'x', sortOrder: 1, isActive: true }, options).options).toEqual(
      options,
    );
  });

  it('patches only what changed and knows when stored values must be checked', () => {
    const field: FieldDefinition = {
      id: 'x',
      key: 'weight',
      label: 'Weight',
      type: 'decimal',
      required: false,
      defaultValue: null,
      // jsonb returns keys in its own order.
      settings: { max: 10, min: 0, unit: 'kg' },
      helpText: null,
      groupName: null,
      sortOrder: 1,
      plantId: null,
      isActive: true,
      typeListId: null,
    };
    const same = specOf(draftOf(field), undefined);
    expect(patchOf(field, same)).toEqual({});
    const renamed = patchOf(field, { ...same, label: 'Net weight' });
    expect(renamed).toEqual({ label: 'Net weight' });
    expect(needsCheck(renamed)).toBe(false);
    const narrowed = patchOf(field, specOf({ ...draftOf(field), max: '5' }, undefined));
    expect(narrowed).toEqual({ settings: { min: 0, max: 5, unit: 'kg' } });
    expect(needsCheck(narrowed)).toBe(true);
  });
});
