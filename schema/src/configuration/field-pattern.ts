import { RE2JS, RE2JSSyntaxException } from 're2js';

/*
 * Patterns of text fields, compiled and matched by RE2 (re2js, its JavaScript port) in the API and in
 * the web form alike. RE2 matches in time linear in the value whatever the pattern; JavaScript's own
 * engine backtracks, and (a|a)* or \d*\d*\d*x then take minutes on a value of a few dozen or a few
 * thousand characters, blocking every other request meanwhile (values.test.ts). RE2 reads most of
 * JavaScript's syntax but has no lookaround and no backreferences, which need backtracking:
 * https://github.com/google/re2/wiki/Syntax
 */

/**
 * The most instructions a compiled pattern may have. RE2 may step every instruction once per
 * character, so this bounds a check of the longest long text (20 000 characters) to well under a
 * second. Counted repetition is what makes programs large: x{0,n} is 2n instructions.
 */
export const MAX_PATTERN_INSTRUCTIONS = 500;

export type CompiledPattern = { ok: true; matches: (text: string) => boolean } | { ok: false; error: string };

/** Why RE2 refused a pattern, in words that say what to write instead where JavaScript differs. */
function syntaxError(e: RE2JSSyntaxException): string {
  const at = e.input ?? '';
  if (/^\(\?<?[=!]/.test(at)) return 'Lookahead and lookbehind ((?=, (?!, (?<=, (?<!) are not supported';
  if (/^\\([1-9]|k)/.test(at)) return 'Backreferences (\\1, \\k<name>) are not supported';
  if (at === '\\u') return 'Write a character by its code as \\x{00E9}, not \\u00E9';
  return at === ''
    ? `Not a valid regular expression: ${e.error}`
    : `Not a valid regular expression: ${e.error} in \`${at}\``;
}

function compile(pattern: string): CompiledPattern {
  let re: RE2JS;
  try {
    re = RE2JS.compile(pattern);
  } catch (e) {
    if (e instanceof RE2JSSyntaxException) return { ok: false, error: syntaxError(e) };
    throw e;
  }
  // re2js has no public size of the compiled program; the pinned version's RE2 object holds it.
  const instructions: number = re.re2().prog.numInst();
  if (instructions > MAX_PATTERN_INSTRUCTIONS)
    return {
      ok: false,
      error: 'Too complex to check quickly: use smaller counts in {…} (min and max bound the length)',
    };
  // testExact: the whole value must match, so every branch of an alternation is anchored.
  return { ok: true, matches: (text) => re.testExact(text) };
}

// Compiling costs a hundred times more than matching a short value, and an import checks the same
// few patterns over and over; a small memo keeps that cheap without holding every pattern ever seen.
const MEMO_SIZE = 100;
const memo = new Map<string, CompiledPattern>();

/** A field pattern compiled for matching whole values, or why it cannot be used. */
export function compileFieldPattern(pattern: string): CompiledPattern {
  const known = memo.get(pattern);
  if (known !== undefined) return known;
  const result = compile(pattern);
  if (memo.size >= MEMO_SIZE) memo.delete(memo.keys().next().value as string);
  memo.set(pattern, result);
  return result;
}
