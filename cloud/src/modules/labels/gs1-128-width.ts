import { elementString, type Gs1Element } from '@plantline/schema/gs1';

/*
 * How wide a GS1-128 symbol is, in modules, before anything draws it: the layout needs it to decide
 * how many symbols a set of elements takes and which X-dimension fits the label, and a printer's own
 * encoder (ZPL ^BC) gives no answer back. Code 128 (ISO/IEC 15417): each symbol character is 11
 * modules, the stop pattern 13; subset C packs two digits into one character, subset B one
 * character of CSET 82; FNC1 exists in both. The count below is the smallest over every choice of
 * start subset and switch points, which is what bwip-js and label printers produce
 * (gs1-128-width.test.ts compares it with bwip-js).
 */

/** Data characters of one symbol, FNC1 separators included (GS1 General Specifications, GS1-128 symbology characteristics). */
export const GS1_128_MAX_DATA_CHARACTERS = 48;

const FNC1 = '\u001d';
const isDigit = (char: string | undefined) => char !== undefined && char >= '0' && char <= '9';

/** The element string as the symbol carries it, predefined-length elements first (writers.ts in gs1). */
export function gs1_128Data(elements: readonly Gs1Element[]): string {
  return elementString(elements, { separator: FNC1 });
}

export function gs1_128DataCharacters(elements: readonly Gs1Element[]): number {
  return gs1_128Data(elements).length;
}

/** Modules from the start character to the end of the stop pattern; quiet zones not included. */
export function gs1_128Modules(elements: readonly Gs1Element[]): number {
  const tokens = [FNC1, ...gs1_128Data(elements)];
  const n = tokens.length;
  // cost[i] = fewest symbol characters encoding tokens[0..i) and ending in subset B or C.
  const b: number[] = new Array(n + 1).fill(Number.POSITIVE_INFINITY);
  const c: number[] = new Array(n + 1).fill(Number.POSITIVE_INFINITY);
  b[0] = 1;
  c[0] = 1;
  for (let i = 0; i <= n; i++) {
    const inB = Math.min(b[i] as number, (c[i] as number) + 1);
    const inC = Math.min(c[i] as number, (b[i] as number) + 1);
    b[i] = inB;
    c[i] = inC;
    if (i === n) break;
    b[i + 1] = Math.min(b[i + 1] as number, inB + 1);
    if (tokens[i] === FNC1) c[i + 1] = Math.min(c[i + 1] as number, inC + 1);
    else if (isDigit(tokens[i]) && isDigit(tokens[i + 1])) c[i + 2] = Math.min(c[i + 2] as number, inC + 1);
  }
  const characters = Math.min(b[n] as number, c[n] as number) + 1; // + the check character
  return characters * 11 + 13;
}
