import type { Gs1ParseResult } from '@plantline/schema/gs1';
import { parseGs1Date } from '@plantline/schema/gs1';

/*
 * What a supplier's GS1 label says about the stock it marks (docs/materials.md, "Receiving by
 * scanning"): the trade item's GTIN (AI 01), its batch or lot (AI 10), its expiry (AI 17) and how
 * much it holds — a count (AI 30 or 37) or a net weight in kilograms (AI 310n, n decimals; GS1
 * General Specifications §3.6.2). Pure: the database side (receiving.ts) decides what it means.
 */

export interface LabelQuantity {
  value: number;
  /** `count` is in the material's base unit; `kg` is converted to it. */
  unit: 'count' | 'kg';
  ai: string;
}

export interface LabelContent {
  gtin: string | null;
  batch: string | null;
  /** ISO date (YYYY-MM-DD); DD = 00 reads as the month's last day. */
  expiresOn: string | null;
  quantity: LabelQuantity | null;
}

export type LabelReading = { ok: true; content: LabelContent } | { ok: false; message: string };

/** AI 310n: net weight in kg with n implied decimals in its six digits. */
const NET_WEIGHT_KG = /^310([0-5])$/;

/** The quantity a label states, or null; a label naming two quantities is read by its first. */
function quantityOf(elements: Gs1ParseResult['elements']): LabelQuantity | null {
  for (const { ai, value } of elements) {
    if (ai === '30' || ai === '37') return { value: Number(value), unit: 'count', ai };
    const weight = NET_WEIGHT_KG.exec(ai);
    if (weight !== null) return { value: Number(value) / 10 ** Number(weight[1]), unit: 'kg', ai };
  }
  return null;
}

/** The label's content, or why it cannot be read: a GS1 error, or no GTIN to find the material by. */
export function readLabel(parsed: Gs1ParseResult, now: Date): LabelReading {
  if (!parsed.ok) {
    const first = parsed.errors[0];
    return {
      ok: false,
      message: first === undefined ? 'Not GS1 data' : `Not a valid GS1 label: ${first.message}`,
    };
  }
  const value = (ai: string) => parsed.elements.find((e) => e.ai === ai)?.value ?? null;
  const expiry = value('17');
  return {
    ok: true,
    content: {
      gtin: value('01') ?? value('02'),
      batch: value('10'),
      expiresOn: expiry === null ? null : parseGs1Date(expiry, now),
      quantity: quantityOf(parsed.elements),
    },
  };
}

/** Whether a lot expiring on `expiresOn` (ISO date) has expired on `today` (ISO date): the day after. */
export const isExpired = (expiresOn: string | null, today: string) => expiresOn !== null && expiresOn < today;
