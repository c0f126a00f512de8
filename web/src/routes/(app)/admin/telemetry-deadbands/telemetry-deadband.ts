import {
  type DeadbandMode,
  type DeadbandSettings,
  deadbandSettingsProblem,
  TELEMETRY_NAME_PATTERN,
} from '@plantline/schema';
import type { FieldErrors } from '$lib/validation';

/** What the form holds: ids ('' for none) and numbers as typed. */
export interface DeadbandValues {
  plantId: string;
  lineId: string;
  machineId: string;
  /** '' for every value of the scope. */
  metric: string;
  mode: DeadbandMode;
  deadband: string;
  heartbeatS: string;
}

export const MODE_OPTIONS: readonly { value: DeadbandMode; label: string }[] = [
  { value: 'absolute', label: 'Absolute (in the value’s unit)' },
  { value: 'percent', label: 'Percent of the last kept value' },
  { value: 'off', label: 'Off: keep every value' },
];

/** A new rule starts with a common choice: a small absolute band and a five-minute heartbeat. */
export const NEW_RULE: DeadbandValues = {
  plantId: '',
  lineId: '',
  machineId: '',
  metric: '',
  mode: 'absolute',
  deadband: '',
  heartbeatS: '300',
};

/** A typed number, or NaN for anything that is not one ('' included). */
function numberOf(text: string): number {
  const trimmed = text.trim();
  return trimmed === '' ? Number.NaN : Number(trimmed);
}

/** The settings as the API takes them: an 'off' rule carries neither band nor heartbeat. */
export function settingsOf(values: DeadbandValues): DeadbandSettings {
  if (values.mode === 'off') return { mode: 'off', deadband: 0, heartbeatS: null };
  return { mode: values.mode, deadband: numberOf(values.deadband), heartbeatS: numberOf(values.heartbeatS) };
}

/** The API's rules (cloud/src/modules/devices/telemetry-deadbands.router.ts), checked as the user types. */
export function validateDeadband(values: DeadbandValues): FieldErrors {
  const errors: FieldErrors = {};
  if (values.plantId === '') errors.plantId = 'Choose a plant';
  if (values.machineId !== '' && values.lineId === '') errors.lineId = 'Choose the line';
  const metric = values.metric.trim();
  if (metric !== '' && !TELEMETRY_NAME_PATTERN.test(metric)) errors.metric = 'Use 1–64 of A–Z a–z 0–9 _ . -';
  const problem = deadbandSettingsProblem(settingsOf(values));
  if (problem) errors[problem.field] = problem.message;
  return errors;
}

/** The band as a reader takes it in: `± 0.5`, `± 2 %`, `Off`. */
export function describeBand(rule: { mode: DeadbandMode; deadband: number }): string {
  if (rule.mode === 'off') return 'Off';
  return rule.mode === 'percent' ? `± ${rule.deadband} %` : `± ${rule.deadband}`;
}

/** `every 5 min`, `every 90 s`; an 'off' rule has none. */
export function describeHeartbeat(heartbeatS: number | null): string {
  if (heartbeatS === null) return '—';
  if (heartbeatS % 3600 === 0) return `every ${heartbeatS / 3600} h`;
  if (heartbeatS % 60 === 0) return `every ${heartbeatS / 60} min`;
  return `every ${heartbeatS} s`;
}

/** Where a rule applies, as the topics name it: `RIV`, `RIV/L1`, `RIV/L1/M1`. */
export function scopePath(rule: { plantCode: string; lineCode: string | null; machineCode: string | null }) {
  return [rule.plantCode, rule.lineCode, rule.lineCode ? rule.machineCode : null]
    .filter((code): code is string => code !== null)
    .join('/');
}
