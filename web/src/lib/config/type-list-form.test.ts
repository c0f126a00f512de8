import { describe, expect, it } from 'vitest';
import {
  importSummary,
  optionInput,
  typeListCodeFrom,
  validateOption,
  validateTypeList,
} from './type-list-form';

describe('type list forms', () => {
  it('check codes, names and colours as the API does', () => {
    expect(validateTypeList({ code: 'has space', name: '', description: '' })).toEqual({
      code: 'Use 1–64 letters, digits and _ . - / (no spaces)',
      name: 'Enter a name',
    });
    expect(validateOption({ code: 'RED', label: 'Red', colour: 'red', hasColour: true })).toEqual({
      colour: 'Use a colour like #22c55e',
    });
    expect(validateOption({ code: 'RED', label: 'Red', colour: 'red', hasColour: false })).toEqual({});
  });

  it('sends no colour when none is chosen, and lower-case hex otherwise', () => {
    expect(optionInput({ code: ' RED ', label: 'Red', colour: '#EF4444', hasColour: true })).toEqual({
      code: 'RED',
      label: 'Red',
      colour: '#ef4444',
    });
    expect(optionInput({ code: 'RED', label: 'Red', colour: '#ef4444', hasColour: false }).colour).toBeNull();
  });

  it('summarises a dry run and an import', () => {
    const report = {
      added: ['A'],
      updated: [],
      unchanged: 2,
      errors: [{ line: 3, message: 'x' }],
      applied: false,
    };
    expect(importSummary(report)).toBe(
      '1 to add, 0 to update, 2 unchanged; 1 line with errors — fix the file and check again.',
    );
    expect(importSummary({ ...report, errors: [], applied: true })).toBe(
      'Imported: 1 added, 0 updated, 2 unchanged.',
    );
  });

  it('suggests a code from the name of a new list', () => {
    expect(typeListCodeFrom('Défaut de surface')).toBe('DEFAUT_DE_SURFACE');
    expect(typeListCodeFrom('  Scrap reasons (line 2) ')).toBe('SCRAP_REASONS_LINE_2');
    expect(typeListCodeFrom('x'.repeat(80))).toHaveLength(64);
    expect(typeListCodeFrom('— · —')).toBe('LIST');
  });
});
