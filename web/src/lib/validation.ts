/*
 * Client-side checks that mirror the cloud's zod inputs (cloud/src/modules/*), so a form can say what is
 * wrong while the user types. The server still decides: its field errors are shown the same way.
 * Each validator returns field → message for the fields at fault; an empty object means valid.
 */

export type FieldErrors = Record<string, string>;

/** identity/inputs.ts: PASSWORD_MIN_LENGTH and PASSWORD_MAX_LENGTH. */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;
/** The MQTT topic segment pattern (schema/src/contracts/topics.ts CODE_PATTERN). */
export const CODE_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;
const ROLE_KEY_PATTERN = /^[a-z][a-z0-9-]*$/;
// Deliberately loose (the server's zod email check is the authority): something@something.tld, no spaces.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function check(errors: FieldErrors, field: string, problem: string | null) {
  if (problem !== null) errors[field] = problem;
}

export function emailProblem(value: string): string | null {
  const email = value.trim();
  if (email === '') return 'Enter an email address';
  if (email.length > 254 || !EMAIL_PATTERN.test(email)) return 'Enter a valid email address';
  return null;
}

export function newPasswordProblem(value: string): string | null {
  if (value.length < PASSWORD_MIN_LENGTH) return `Use at least ${PASSWORD_MIN_LENGTH} characters`;
  if (value.length > PASSWORD_MAX_LENGTH) return `Use at most ${PASSWORD_MAX_LENGTH} characters`;
  return null;
}

export function nameProblem(value: string, max = 120): string | null {
  const name = value.trim();
  if (name === '') return 'Enter a name';
  if (name.length > max) return `Use at most ${max} characters`;
  return null;
}

export function codeProblem(value: string): string | null {
  const code = value.trim();
  if (code === '') return 'Enter a code';
  if (!CODE_PATTERN.test(code)) return 'Use 1–32 letters, digits, - and _ (it appears in MQTT topics)';
  return null;
}

export function timezoneProblem(value: string, known: readonly string[]): string | null {
  if (value === 'UTC' || known.includes(value)) return null;
  return 'Unknown IANA time zone, e.g. Europe/Berlin';
}

export function roleKeyProblem(value: string): string | null {
  const key = value.trim();
  if (key.length < 2) return 'Use at least 2 characters';
  if (key.length > 40) return 'Use at most 40 characters';
  if (!ROLE_KEY_PATTERN.test(key)) return 'Start with a letter; use lower-case letters, digits and -';
  return null;
}

/** A role key suggested from its name: "Line Lead (night)" → "line-lead-night". */
export function roleKeyFrom(name: string): string {
  const key = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-+$/, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return key;
}

export interface NewUserValues {
  displayName: string;
  email: string;
  password: string;
}

export function validateNewUser(values: NewUserValues): FieldErrors {
  const errors: FieldErrors = {};
  check(errors, 'displayName', nameProblem(values.displayName));
  check(errors, 'email', emailProblem(values.email));
  check(errors, 'password', newPasswordProblem(values.password));
  return errors;
}

export interface RoleValues {
  key: string;
  name: string;
  description: string;
}

export function validateRole(values: RoleValues): FieldErrors {
  const errors: FieldErrors = {};
  check(errors, 'key', roleKeyProblem(values.key));
  check(errors, 'name', nameProblem(values.name, 80));
  if (values.description.trim().length > 400) errors.description = 'Use at most 400 characters';
  return errors;
}

export interface ApiKeyValues {
  name: string;
  plantIds: readonly string[];
  scopes: readonly string[];
  /** A datetime-local value ("2026-12-31T23:59"), or '' for no expiry. */
  expiresAt: string;
}

export function validateApiKey(values: ApiKeyValues, now = new Date()): FieldErrors {
  const errors: FieldErrors = {};
  check(errors, 'name', nameProblem(values.name));
  if (values.plantIds.length === 0) errors.plantIds = 'Choose at least one plant';
  if (values.scopes.length === 0) errors.scopes = 'Choose at least one permission';
  if (values.expiresAt !== '') {
    const at = new Date(values.expiresAt);
    if (Number.isNaN(at.getTime())) errors.expiresAt = 'Enter a date and time';
    else if (at <= now) errors.expiresAt = 'Choose a time in the future';
  }
  return errors;
}

export interface CodeNameValues {
  code: string;
  name: string;
}

export function validateCodeName(values: CodeNameValues): FieldErrors {
  const errors: FieldErrors = {};
  check(errors, 'code', codeProblem(values.code));
  check(errors, 'name', nameProblem(values.name));
  return errors;
}

export function validatePlant(
  values: CodeNameValues & { timezone: string },
  knownZones: readonly string[],
): FieldErrors {
  const errors = validateCodeName(values);
  check(errors, 'timezone', timezoneProblem(values.timezone, knownZones));
  return errors;
}

export function hasErrors(errors: FieldErrors): boolean {
  return Object.keys(errors).length > 0;
}
