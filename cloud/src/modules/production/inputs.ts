import { tables } from '@plantline/schema';
import { z } from 'zod';
import { DomainError, unlessTaken } from '../../platform/index.js';

/*
 * Inputs shared by the KPI master data procedures. Codes are what devices and scanners send (state,
 * reason and product labels of the event contracts, 1–64 characters), so they stay free of spaces.
 */
export const idInput = z.uuid('Not a valid id');
export const codeInput = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.\-/]{0,63}$/, 'Use 1–64 letters, digits and _ . - / (no spaces)');
export const nameInput = z.string().trim().min(1, 'Enter a name').max(120);
export const bucketInput = z.enum(tables.lossBuckets, {
  error: `Choose one of ${tables.lossBuckets.join(', ')}`,
});
export const colourInput = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'Use a colour like #22c55e');
export const categoryInput = z.string().trim().min(1).max(64);
export const instantInput = z.coerce.date({ error: 'Not a valid date and time' });
export const dateInput = z.iso.date('Use a date like 2026-11-25');

export const takenCode = () =>
  new DomainError('conflict', 'That code is already in use here', { code: 'Already in use' });

export { isUniqueViolation } from '../../platform/index.js';

/** An update that may collide with another row's code: the collision becomes a field error. */
export const uniqueCode = <T>(work: Promise<T>): Promise<T> => unlessTaken(work, takenCode);

export { patchOf } from '../../trpc/patch.js';
