import { tables } from '@plantline/schema';
import { hasValidCheckDigit } from '@plantline/schema/gs1';
import { z } from 'zod';

/** Inputs of the KPI master data procedures that no other module shares (those are in platform). */
export const bucketInput = z.enum(tables.lossBuckets, {
  error: `Choose one of ${tables.lossBuckets.join(', ')}`,
});
export const categoryInput = z.string().trim().min(1).max(64);
/**
 * A trade item's GTIN (GTIN-8, -12, -13 or -14) with its GS1 check digit (GS1 General Specifications
 * §7.9.1), stored as the 14 digits AI (01) carries: shorter GTINs are left-padded with zeros.
 */
export const gtinInput = z
  .string()
  .trim()
  .superRefine((gtin, context) => {
    if (!/^(\d{8}|\d{12}|\d{13}|\d{14})$/.test(gtin))
      context.addIssue({ code: 'custom', message: 'A GTIN is 8, 12, 13 or 14 digits' });
    else if (!hasValidCheckDigit(gtin))
      context.addIssue({ code: 'custom', message: `The check digit of ${gtin} is wrong` });
  })
  .transform((gtin) => gtin.padStart(14, '0'));
