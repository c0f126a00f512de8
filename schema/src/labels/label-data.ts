import { z } from 'zod';
import { hasValidCheckDigit } from '../gs1/index.js';

/*
 * The data printed on a label: what a shipment, a pallet, a lot or a bin knows about itself. Every field is
 * optional here; a template says which ones it needs (label-elements.ts), so one record can feed a
 * pallet label and a carton label alike. Values are checked as the GS1 data they become
 * (GS1 General Specifications §3: lengths, digits, CSET 82, check digits).
 */

/** GS1 AI encodable character set 82 (GS1 General Specifications §7.11), what lots and orders may hold. */
const CSET82 = /^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]+$/;

const keyDigits = (name: string, lengths: number[]) =>
  z
    .string()
    .trim()
    .refine((value) => /^\d+$/.test(value) && lengths.includes(value.length), {
      message: `${name} is ${lengths.join(', ').replace(/, (\d+)$/, ' or $1')} digits`,
    })
    .refine((value) => !/^\d+$/.test(value) || hasValidCheckDigit(value), {
      message: `${name} check digit is wrong`,
    });

const cset82 = (name: string, max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max, `${name} is at most ${max} characters`)
    .regex(CSET82, `${name} may hold letters, digits and !"%&'()*+,-./:;<=>?_ only (GS1 CSET 82)`);

/** A calendar date, 2000–2099: GS1 dates carry two digits of the year (§7.12). */
const labelDate = z
  .string()
  .regex(/^20\d\d-\d\d-\d\d$/, 'a date is YYYY-MM-DD, from 2000 to 2099')
  .refine((value) => {
    const date = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
  }, 'not a calendar date');

const partySchema = z.object({
  name: z.string().trim().min(1).max(40),
  address: z.array(z.string().trim().max(40)).max(3).default([]),
  /** The party's Global Location Number: (410) ship to on the pallet label. */
  gln: keyDigits('GLN', [13]).optional(),
});

/**
 * The inventory location a bin or rack label is on (docs/materials.md, "Location labels"): AI (414),
 * the GLN of the physical location, is the plant's GLN, and AI (254), its extension, the location's
 * code — X..20 in CSET 82 (GS1 General Specifications §3.7).
 */
const locationSchema = z.object({
  code: cset82('Location code', 20),
  name: z.string().trim().min(1).max(120),
  /** warehouse, bin, transit, production, receiving, shipping. */
  kind: z.string().trim().min(1).max(40),
  /** The locations it is in, outermost first ("WH1 / A-01"); absent at the top of the plant's tree. */
  path: z.string().trim().min(1).max(200).optional(),
  gln: keyDigits('GLN', [13]),
});

/** The plant a label is printed for, in words. */
const plantSchema = z.object({
  code: z.string().trim().min(1).max(64),
  name: z.string().trim().min(1).max(120),
});

export const labelDataSchema = z.object({
  /** Serial Shipping Container Code, AI (00). */
  sscc: keyDigits('SSCC', [18]).optional(),
  /** GTIN of the trade item (AI 01) or of the contents of a logistic unit (AI 02); shorter GTINs are padded. */
  gtin: keyDigits('GTIN', [8, 12, 13, 14])
    .transform((value) => value.padStart(14, '0'))
    .optional(),
  /** What the contents are, in words, for the text section. */
  description: z.string().trim().min(1).max(60).optional(),
  /** Count of trade items contained, AI (37). */
  count: z.number().int().min(1).max(99_999_999).optional(),
  /** Batch or lot number, AI (10). */
  lot: cset82('Lot', 20).optional(),
  /** Serial number, AI (21). */
  serial: cset82('Serial', 20).optional(),
  productionDate: labelDate.optional(),
  bestBefore: labelDate.optional(),
  expiry: labelDate.optional(),
  /** The customer's purchase order number, AI (400). */
  po: cset82('Order number', 30).optional(),
  shipFrom: partySchema.optional(),
  shipTo: partySchema.optional(),
  /** A location label's bin or rack: AI (414) and (254). */
  location: locationSchema.optional(),
  plant: plantSchema.optional(),
  /** Where the Digital Link QR points; GS1's resolver unless the brand runs its own. */
  digitalLinkBase: z.url({ protocol: /^https?$/ }).optional(),
});

export type LabelData = z.output<typeof labelDataSchema>;
export type LabelDataInput = z.input<typeof labelDataSchema>;
export type LabelParty = z.output<typeof partySchema>;
export type LabelLocation = z.output<typeof locationSchema>;
