/*
 * The GS1 check digit (GS1 General Specifications §7.9.1 "Standard check digit calculations for
 * GS1 data structures"): the data digits are weighted 3, 1, 3, 1, … from the right, and the
 * check digit brings the weighted sum up to a multiple of ten. The same rule covers GTIN-8/12/13/14,
 * GLN, SSCC, GSIN, GSRN and the GDTI/GRAI/GCN bases.
 */

const DIGITS = /^\d+$/;

/** The check digit for `digits` (the data digits, without a check digit). Throws on anything but digits. */
export function gs1CheckDigit(digits: string): number {
  if (!DIGITS.test(digits))
    throw new RangeError(`A GS1 check digit is computed over digits only, not "${digits}"`);
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    const digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    sum += i % 2 === 0 ? digit * 3 : digit;
  }
  return (10 - (sum % 10)) % 10;
}

/** Whether the last digit of `full` is the GS1 check digit of the digits before it. */
export function hasValidCheckDigit(full: string): boolean {
  if (full.length < 2 || !DIGITS.test(full)) return false;
  return gs1CheckDigit(full.slice(0, -1)) === Number(full.at(-1));
}
