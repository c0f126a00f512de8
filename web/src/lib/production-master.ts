import { hasValidCheckDigit } from '@plantline/schema/gs1';
import { type FieldErrors, nameProblem } from './validation';

/*
 * Client-side checks for the KPI master data, mirroring cloud/src/modules/production/inputs.ts and
 * production.router.ts. Unlike plant and machine codes (MQTT topic segments), state, reason and product
 * codes are labels inside event payloads: 1–64 characters, no spaces.
 */

/** inputs.ts codeInput. */
export const MASTER_CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.\-/]{0,63}$/;
/** inputs.ts colourInput. */
export const COLOUR_PATTERN = /^#[0-9a-fA-F]{6}$/;
/** production.router.ts: idealCycleTimes.set allows up to a week per unit. */
export const MAX_SECONDS_PER_UNIT = 86_400 * 7;

/** schema tables.lossBuckets, with the words the UI shows for them. */
export const LOSS_BUCKETS = [
  { value: 'running', label: 'Running' },
  { value: 'performance_loss', label: 'Performance loss' },
  { value: 'availability_loss', label: 'Availability loss' },
  { value: 'planned_stop', label: 'Planned stop' },
] as const;
export type LossBucket = (typeof LOSS_BUCKETS)[number]['value'];

export function bucketLabel(bucket: string): string {
  return LOSS_BUCKETS.find((b) => b.value === bucket)?.label ?? bucket;
}

function check(errors: FieldErrors, field: string, problem: string | null) {
  if (problem !== null) errors[field] = problem;
}

export function masterCodeProblem(value: string): string | null {
  const code = value.trim();
  if (code === '') return 'Enter a code';
  if (!MASTER_CODE_PATTERN.test(code)) return 'Use 1–64 letters, digits and _ . - / (no spaces)';
  return null;
}

export function colourProblem(value: string): string | null {
  return COLOUR_PATTERN.test(value) ? null : 'Use a colour like #22c55e';
}

export function unitProblem(value: string): string | null {
  const unit = value.trim();
  if (unit === '') return 'Enter a unit, e.g. pcs';
  if (unit.length > 16) return 'Use at most 16 characters';
  return null;
}

/** A seconds-per-unit field as typed (a string); '' is missing. */
export function secondsPerUnitProblem(value: string): string | null {
  if (value.trim() === '') return 'Enter the seconds per unit';
  const seconds = Number(value);
  if (!Number.isFinite(seconds)) return 'Enter a number, e.g. 12.5';
  if (seconds <= 0) return 'Must be above zero';
  if (seconds > MAX_SECONDS_PER_UNIT) return 'Use at most a week (604800 s)';
  return null;
}

export interface StateCodeValues {
  code: string;
  name: string;
  colour: string;
  bucket: string;
}

export function validateStateCode(values: StateCodeValues): FieldErrors {
  const errors: FieldErrors = {};
  check(errors, 'code', masterCodeProblem(values.code));
  check(errors, 'name', nameProblem(values.name));
  check(errors, 'colour', colourProblem(values.colour));
  if (!LOSS_BUCKETS.some((b) => b.value === values.bucket)) errors.bucket = 'Choose a loss bucket';
  return errors;
}

/** Downtime reasons explain losses and planned stops; "running" needs no reason. */
export const REASON_BUCKETS = LOSS_BUCKETS.filter((b) => b.value !== 'running');

/** production inputs.ts categoryInput. */
export function categoryProblem(value: string): string | null {
  const category = value.trim();
  if (category === '') return 'Enter a category, e.g. mechanical';
  if (category.length > 64) return 'Use at most 64 characters';
  return null;
}

export interface DowntimeReasonValues {
  code: string;
  name: string;
  bucket: string;
  category: string;
}

export function validateDowntimeReason(values: DowntimeReasonValues): FieldErrors {
  const errors: FieldErrors = {};
  check(errors, 'code', masterCodeProblem(values.code));
  check(errors, 'name', nameProblem(values.name));
  check(errors, 'category', categoryProblem(values.category));
  if (!REASON_BUCKETS.some((b) => b.value === values.bucket)) errors.bucket = 'Choose a loss bucket';
  return errors;
}

export interface ProductValues {
  code: string;
  name: string;
  unit: string;
  /** '' for none. */
  gtin: string;
}

/** production inputs.ts gtinInput: 8, 12, 13 or 14 digits with the GS1 check digit. */
export function gtinProblem(gtin: string): string | null {
  const value = gtin.trim();
  if (value === '') return null;
  if (!/^(\d{8}|\d{12}|\d{13}|\d{14})$/.test(value)) return 'A GTIN is 8, 12, 13 or 14 digits';
  return hasValidCheckDigit(value) ? null : `The check digit of ${value} is wrong`;
}

export function validateProduct(values: ProductValues): FieldErrors {
  const errors: FieldErrors = {};
  check(errors, 'code', masterCodeProblem(values.code));
  check(errors, 'name', nameProblem(values.name));
  check(errors, 'unit', unitProblem(values.unit));
  check(errors, 'gtin', gtinProblem(values.gtin));
  return errors;
}

export interface CycleTimeValues {
  /** '' for the machine's default. */
  productId: string;
  seconds: string;
}

export function validateCycleTime(values: CycleTimeValues): FieldErrors {
  const errors: FieldErrors = {};
  check(errors, 'seconds', secondsPerUnitProblem(values.seconds));
  return errors;
}

/** schema tables.plannedDowntimeKinds, with the words the UI shows for them. */
export const PLANNED_DOWNTIME_KINDS = [
  { value: 'break', label: 'Break' },
  { value: 'maintenance', label: 'Maintenance' },
  { value: 'no_orders', label: 'No orders' },
  { value: 'changeover', label: 'Changeover' },
  { value: 'other', label: 'Other' },
] as const;
export type PlannedDowntimeKind = (typeof PLANNED_DOWNTIME_KINDS)[number]['value'];

export function kindLabel(kind: string): string {
  return PLANNED_DOWNTIME_KINDS.find((k) => k.value === kind)?.label ?? kind;
}

export interface PlannedDowntimeValues {
  /** 'plant', 'line:<id>' or 'machine:<id>'. */
  scope: string;
  kind: string;
  /** '' for none. */
  reasonId: string;
  note: string;
  /** datetime-local values ("2026-11-25T06:00"). */
  startsAt: string;
  endsAt: string;
}

/** The scope fields of plannedDowntimes.create for a scope value of the form. */
export function downtimeScope(
  plantId: string,
  scope: string,
): { plantId: string } | { lineId: string } | { machineId: string } {
  if (scope.startsWith('line:')) return { lineId: scope.slice('line:'.length) };
  if (scope.startsWith('machine:')) return { machineId: scope.slice('machine:'.length) };
  return { plantId };
}

export function validatePlannedDowntime(values: PlannedDowntimeValues): FieldErrors {
  const errors: FieldErrors = {};
  if (!PLANNED_DOWNTIME_KINDS.some((k) => k.value === values.kind)) errors.kind = 'Choose a kind';
  const start = new Date(values.startsAt);
  const end = new Date(values.endsAt);
  if (values.startsAt === '' || Number.isNaN(start.getTime())) errors.startsAt = 'Enter a date and time';
  if (values.endsAt === '' || Number.isNaN(end.getTime())) errors.endsAt = 'Enter a date and time';
  else if (errors.startsAt === undefined && end <= start) errors.endsAt = 'Not after the start';
  if (values.note.trim().length > 500) errors.note = 'Use at most 500 characters';
  return errors;
}
