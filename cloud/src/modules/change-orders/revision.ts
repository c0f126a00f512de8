/*
 * The revision a product gets when a change order is implemented (docs/change-orders.md, "Revision
 * letters and numbers"). The last run of letters or of digits in the revision counts up and
 * whatever stands before it stays:
 *
 *   A → B … Z → AA, AZ → BA, ZZ → AAA (letters count like spreadsheet columns, upper case)
 *   1 → 2, 9 → 10, 09 → 10, 007 → 008 (digits keep their width while they fit)
 *   B2 → B3, 1.9 → 1.10, 2-A → 2-B
 *
 * A revision that ends in neither (empty, or `X-`) gets `A` appended. The letters I, O, Q, S, X and
 * Z are not skipped: ASME Y14.35 advises against them on drawings, but a product's revision here is
 * a counter the change orders advance, and skipping would make `Z → AA` surprising.
 */

const LETTERS = /[A-Za-z]+$/;
const DIGITS = /[0-9]+$/;

function nextLetters(run: string): string {
  const letters = run.toUpperCase().split('');
  for (let i = letters.length - 1; i >= 0; i--) {
    if (letters[i] !== 'Z') {
      letters[i] = String.fromCharCode(letters[i]!.charCodeAt(0) + 1);
      return letters.join('');
    }
    letters[i] = 'A';
  }
  return `A${letters.join('')}`;
}

function nextDigits(run: string): string {
  const next = (BigInt(run) + 1n).toString();
  return next.padStart(run.length, '0');
}

export function nextRevision(current: string): string {
  const revision = current.trim();
  const digits = DIGITS.exec(revision);
  if (digits !== null) return revision.slice(0, digits.index) + nextDigits(digits[0]);
  const letters = LETTERS.exec(revision);
  if (letters !== null) return revision.slice(0, letters.index) + nextLetters(letters[0]);
  return `${revision}A`;
}
