/*
 * What each syntax reader hands to `parseGs1`: the elements it found with where their values start
 * in the data, and the errors of structure that stopped it (docs/gs1.md, "Errors").
 */
import type { Gs1Element, Gs1Error } from './types.js';

export type FoundElement = Gs1Element & {
  /** Offset of the value in the data given to `parseGs1`. */
  position: number;
  /** Whether an offset inside the value is the same inside the data (false once escapes were undone). */
  verbatim: boolean;
};

export type SyntaxReading = { found: FoundElement[]; errors: Gs1Error[] };

/** The AI at `offset` in `data`, when one of Plantline's AIs starts there (no AI is the start of another). */
export function aiAt(data: string, offset: number, isKnown: (ai: string) => boolean): string | null {
  for (let length = 2; length <= 4; length++) {
    const candidate = data.slice(offset, offset + length);
    if (candidate.length === length && /^\d+$/.test(candidate) && isKnown(candidate)) return candidate;
  }
  return null;
}

/** The leading digits at `offset`, for naming an AI that is not in the table. */
export function digitsAt(data: string, offset: number): string {
  return /^\d{0,4}/.exec(data.slice(offset))?.[0] ?? '';
}
