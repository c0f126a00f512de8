/*
 * Reading GS1 scan data for the logistics screens and the edge (docs/gs1.md). The rules live in
 * `@plantline/schema/gs1` so the edge reads a scan exactly as the cloud does; this file bounds what
 * the API accepts.
 */
import { type Gs1ParseResult, parseGs1 } from '@plantline/schema/gs1';
import { z } from 'zod';

/**
 * The longest data accepted. The largest GS1 symbols hold about 3 000 characters (a GS1 DataMatrix
 * 144×144 carries 3 116 digits) and Digital Link URIs stay well under that; 4 096 leaves room for
 * keyboard-wedge separators such as `Alt029` and bounds the work of one call.
 */
export const GS1_DATA_MAX_LENGTH = 4096;

export const gs1ParseInput = z.object({
  data: z.string().max(GS1_DATA_MAX_LENGTH, `Scan data is at most ${GS1_DATA_MAX_LENGTH} characters`),
  /** What the scanner types for FNC1, when it is not the GS character; `auto` finds it. */
  separator: z.enum(['auto', 'gs', '#', 'Alt029']).optional(),
});

export type Gs1ParseInput = z.infer<typeof gs1ParseInput>;

/** The reading of `input.data`; dates take their century from `now` (the server's clock). */
export function parseScanData(input: Gs1ParseInput, now: Date): Gs1ParseResult {
  return parseGs1(input.data, { now, separator: input.separator ?? 'auto' });
}
