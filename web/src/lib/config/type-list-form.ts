import { colourProblem, masterCodeProblem } from '../production-master';
import { type FieldErrors, nameProblem } from '../validation';

/*
 * Client-side checks of type lists and their options, mirroring config.router.ts (`code`, `label`,
 * `colour`): codes are 1–64 letters, digits and _ . - / like other master data codes.
 */

export interface TypeListValues {
  code: string;
  name: string;
  description: string;
}

export function validateTypeList(values: TypeListValues): FieldErrors {
  const errors: FieldErrors = {};
  const code = masterCodeProblem(values.code);
  if (code !== null) errors.code = code;
  const name = nameProblem(values.name);
  if (name !== null) errors.name = name;
  if (values.description.trim().length > 500) errors.description = 'Use at most 500 characters';
  return errors;
}

export interface OptionValues {
  code: string;
  label: string;
  /** '' for no colour. */
  colour: string;
  hasColour: boolean;
}

export function validateOption(values: OptionValues): FieldErrors {
  const errors: FieldErrors = {};
  const code = masterCodeProblem(values.code);
  if (code !== null) errors.code = code;
  const label = nameProblem(values.label);
  if (label !== null) errors.label = label;
  if (values.hasColour) {
    const colour = colourProblem(values.colour);
    if (colour !== null) errors.colour = colour;
  }
  return errors;
}

/** An option as the API takes it. */
export function optionInput(values: OptionValues) {
  return {
    code: values.code.trim(),
    label: values.label.trim(),
    colour: values.hasColour ? values.colour.toLowerCase() : null,
  };
}

/** Words for a CSV import's report (added, updated, unchanged, errors). */
export function importSummary(report: {
  added: string[];
  updated: string[];
  unchanged: number;
  errors: unknown[];
  applied: boolean;
}): string {
  const parts = [
    `${report.added.length} to add`,
    `${report.updated.length} to update`,
    `${report.unchanged} unchanged`,
  ];
  if (report.applied)
    return `Imported: ${report.added.length} added, ${report.updated.length} updated, ${report.unchanged} unchanged.`;
  const errors = report.errors.length;
  return `${parts.join(', ')}${errors > 0 ? `; ${errors} line${errors === 1 ? '' : 's'} with errors — fix the file and check again` : ''}.`;
}

/** A type list code suggested from its name: "Défaut de surface" → "DEFAUT_DE_SURFACE". */
export function typeListCodeFrom(name: string): string {
  const code = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 64);
  return code || 'LIST';
}
