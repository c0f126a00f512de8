import { z } from 'zod';
import { compileFieldPattern } from './field-pattern.js';

/*
 * Custom field definitions (docs/configuration.md, "Custom fields"): the one description of a field
 * that the cloud validates values against and the web renders forms from, so both give the same
 * error for the same input. Pure: zod only, no database, no DOM.
 */

export const fieldTypes = [
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
] as const;
export type FieldType = (typeof fieldTypes)[number];

export const fieldTypeLabels: Record<FieldType, string> = {
  text: 'Text',
  long_text: 'Long text',
  integer: 'Whole number',
  decimal: 'Decimal number',
  boolean: 'Yes / no',
  date: 'Date',
  datetime: 'Date and time',
  single_select: 'Choice from a type list',
  multi_select: 'Several choices from a type list',
  user_ref: 'User',
  entity_ref: 'Reference to a record',
};

/** Types whose values come from a type list. */
export const selectTypes: readonly FieldType[] = ['single_select', 'multi_select'];
export const isSelectType = (type: FieldType) => type === 'single_select' || type === 'multi_select';
export const isNumberType = (type: FieldType) => type === 'integer' || type === 'decimal';
export const isTextType = (type: FieldType) => type === 'text' || type === 'long_text';

/** The longest text a short text field takes: it is indexed for filtering and sorting. */
export const TEXT_MAX_LENGTH = 500;
export const LONG_TEXT_MAX_LENGTH = 20_000;

/** Stable machine names of fields: what CSV columns, API filters and URLs use. */
export const FIELD_KEY_PATTERN = /^[a-z][a-z0-9_]{0,62}$/;
export const fieldKeySchema = z
  .string()
  .trim()
  .regex(FIELD_KEY_PATTERN, 'Use 1–63 lower-case letters, digits and _ , starting with a letter');

/** Text shown inline (a unit after a number): no control characters (C0, DEL, C1). */
export const NO_CONTROL_CHARACTERS = /^[^\p{Cc}]*$/u;

/**
 * Type-specific settings of a field, kept as one JSON object beside the columns every field has.
 * `min`/`max` bound a number's value, a text's length, or the count of choices of a multi select.
 */
export const fieldSettingsSchema = z
  .object({
    min: z.number().finite().nullish(),
    max: z.number().finite().nullish(),
    pattern: z
      .string()
      .max(200)
      // Every value typed into the field is matched against it, on RE2 (field-pattern.ts).
      .superRefine((p, ctx) => {
        const compiled = compileFieldPattern(p);
        if (!compiled.ok) ctx.addIssue({ code: 'custom', message: compiled.error });
      })
      .nullish(),
    unit: z.string().trim().max(20).regex(NO_CONTROL_CHARACTERS, 'Use printable characters only').nullish(),
    /** Digits after the decimal point a decimal keeps (values are rounded to it). */
    decimals: z.number().int().min(0).max(9).nullish(),
    /** For entity_ref: which entity type the value points to. */
    refEntityType: z.string().max(40).regex(NO_CONTROL_CHARACTERS, 'Use printable characters only').nullish(),
  })
  .refine((s) => s.min == null || s.max == null || s.min <= s.max, {
    message: 'The minimum is above the maximum',
    path: ['max'],
  });
export type FieldSettings = z.infer<typeof fieldSettingsSchema>;

/** One option of a type list as a form needs it. */
export interface FieldOption {
  id: string;
  code: string;
  label: string;
  colour: string | null;
  isActive: boolean;
}

/** A field definition as validation and forms use it (the cloud adds ids of who changed it, …). */
export interface FieldDefinition {
  id: string;
  key: string;
  label: string;
  type: FieldType;
  required: boolean;
  /** The stored form of the default value (see values.ts), or null. */
  defaultValue: unknown;
  settings: FieldSettings;
  helpText: string | null;
  groupName: string | null;
  sortOrder: number;
  /** Null: every plant. Otherwise the field applies to entities of this plant only. */
  plantId: string | null;
  isActive: boolean;
  typeListId: string | null;
  /** The type list's options, in order, for select fields. Retired options stay for old values. */
  options?: FieldOption[];
}
