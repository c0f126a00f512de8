import { CODE_PATTERN, isCountryCode } from '@plantline/schema';
import { gs1CheckDigit, hasValidCheckDigit } from '@plantline/schema/gs1';
import { z } from 'zod';

/*
 * The input rules that several modules share, one per kind of value; a module keeps only rules of its
 * own (an email, a role key). Bounded lengths keep oversized input out before any work is done.
 */

export const idInput = z.uuid('Not a valid id');

/**
 * A plant, line, machine or station code: devices put it in MQTT topics, so it follows the topic
 * contract's CODE_PATTERN (schema/src/contracts/topics.ts).
 */
export const topicCodeInput = z
  .string()
  .trim()
  .regex(CODE_PATTERN, 'Use 1–32 letters, digits, - and _ (it appears in MQTT topics)');

/**
 * A catalogue code (products, states, reasons, defect codes, routings, list options): what devices
 * and scanners send as labels in the event contracts, so free of spaces.
 */
export const catalogueCodeInput = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.\-/]{0,63}$/, 'Use 1–64 letters, digits and _ . - / (no spaces)');

export const nameInput = z.string().trim().min(1, 'Enter a name').max(120);

export const colourInput = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'Use a colour like #22c55e');

export const instantInput = z.coerce.date({ error: 'Not a valid date and time' });

/** A calendar date (a due date, a plant day) as ISO 8601 writes it; days that do not exist are refused. */
export const dateInput = z.iso.date('Use a date like 2026-11-25');

const knownZones = new Set([...Intl.supportedValuesOf('timeZone'), 'UTC']);

/** An IANA time zone by its canonical name, as the runtime lists them (and UTC, which some omit). */
export const timeZoneInput = z
  .string()
  .max(64)
  .refine((zone) => knownZones.has(zone), 'Unknown IANA time zone');

/**
 * Why `gln` is not a Global Location Number, or null when it is one: 13 digits whose last is the GS1
 * mod-10 check digit of the twelve before it (GS1 General Specifications, "Check digit calculation").
 * A wrong check digit is named with the right one, which is usually a typing slip in one digit.
 */
export function glnProblem(gln: string): string | null {
  if (!/^[0-9]{13}$/.test(gln)) return 'A GLN has 13 digits';
  if (hasValidCheckDigit(gln)) return null;
  return `Wrong check digit: a GLN starting ${gln.slice(0, 12)} ends in ${gs1CheckDigit(gln.slice(0, 12))}`;
}

/** A GLN as the API takes it: spaces typed between digit groups are dropped. */
export const glnInput = z
  .string()
  .max(40, 'A GLN has 13 digits')
  .overwrite((value) => value.replace(/\s+/g, ''))
  .superRefine((gln, context) => {
    const problem = glnProblem(gln);
    if (problem !== null) context.addIssue({ code: 'custom', message: problem });
  });

const COUNTRY_MESSAGE = 'Use an ISO 3166-1 country code such as DE or US';

/** A country as ISO 3166-1 alpha-2 writes it (schema/src/countries.ts); lower case is taken. */
export const countryInput = z.string().trim().toUpperCase().refine(isCountryCode, COUNTRY_MESSAGE);

/** A country, or empty while it is not known yet (a plant's address is filled in over time). */
export const countryOrNoneInput = z
  .string()
  .trim()
  .toUpperCase()
  .refine((code) => code === '' || isCountryCode(code), COUNTRY_MESSAGE);
