/*
 * Writing GS1 elements in the three syntaxes the parser reads (docs/gs1.md, "Writing"): the
 * bracketed human-readable form, FNC1-separated element strings for the symbol's data, and GS1
 * Digital Link URIs. The writers shape what they are given; `parseGs1` is the check of content.
 */
import { gs1Ai } from './ai-table.js';
import type { Gs1Element } from './types.js';

/** The ASCII group separator, GS (29): how FNC1 reads in transmitted data. */
export const GS = '\x1d';

/**
 * Whether no FNC1 follows `ai` (GS1 General Specifications, "Concatenation", the figure "Element
 * strings with predefined length using GS1 Application Identifiers"). The figure is by the AI's first two
 * digits and stays fixed as AIs are added, so it also answers for an AI outside Plantline's table.
 */
export function hasPredefinedLength(ai: string): boolean {
  const known = gs1Ai(ai);
  if (known) return known.predefinedLength;
  const prefix = Number(ai.slice(0, 2));
  return prefix <= 4 || (prefix >= 11 && prefix <= 20) || (prefix >= 31 && prefix <= 36) || prefix === 41;
}

export type BracketedStringOptions = {
  /**
   * How a parenthesis inside a value is written, since one that is followed by digits and `)` would
   * read as the next AI: `none` for the human-readable text under a barcode, `backslash`
   * for `\(` as `parseGs1` reads it, `bwipp` for `^040`/`^041` as bwip-js reads it with its `parse` option.
   */
  escape?: 'none' | 'backslash' | 'bwipp';
};

function escapeValue(value: string, style: BracketedStringOptions['escape']): string {
  if (style === 'backslash') return value.replaceAll('(', '\\(');
  if (style === 'bwipp') return value.replaceAll('(', '^040').replaceAll(')', '^041');
  return value;
}

/** The bracketed form, `(01)09521234543213(10)ABC`, in the elements' order. */
export function bracketedString(
  elements: readonly Gs1Element[],
  options: BracketedStringOptions = {},
): string {
  return elements.map(({ ai, value }) => `(${ai})${escapeValue(value, options.escape)}`).join('');
}

/**
 * The element strings concatenated as a symbol carries them, with `separator` (GS unless given)
 * after each element that is not of predefined length, except the last. Elements of predefined
 * length go first, each group in the order given: they need no separator, so the last element is
 * a variable one whenever there is one, which saves a separator (General Specifications, "Concatenation"). The
 * FNC1 that starts a GS1 symbol is the symbology's, not the data's, so it is not written.
 */
export function elementString(elements: readonly Gs1Element[], options: { separator?: string } = {}): string {
  const separator = options.separator ?? GS;
  const ordered = [
    ...elements.filter((element) => hasPredefinedLength(element.ai)),
    ...elements.filter((element) => !hasPredefinedLength(element.ai)),
  ];
  return ordered
    .map(({ ai, value }, index) => {
      const last = index === ordered.length - 1;
      return `${ai}${value}${last || hasPredefinedLength(ai) ? '' : separator}`;
    })
    .join('');
}

const UNRESERVED = /[A-Za-z0-9\-._~]/;

/** Percent-encoding of a path segment or query value (RFC 3986 §2.3, unreserved characters). */
export function percentEncode(value: string): string {
  let out = '';
  for (const char of value) {
    if (UNRESERVED.test(char)) out += char;
    else
      for (const byte of new TextEncoder().encode(char))
        out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * A GS1 Digital Link URI for the elements (GS1 Digital Link: URI Syntax): the first element that
 * is a primary key ((01) GTIN, (00) SSCC, (414) GLN, …) in the path, then its qualifiers present in
 * their defined order ((01): 22, 10, 21; or 235), then every other element as a query attribute
 * in the order given. Throws a RangeError when no element is a key, or when an element may not be a
 * query attribute ((21) without the (01) that qualifies it, for one).
 */
export function digitalLinkUri(elements: readonly Gs1Element[], options: { base?: string } = {}): string {
  const base = (options.base ?? 'https://id.gs1.org').replace(/\/+$/, '');
  const keyIndex = elements.findIndex((element) => gs1Ai(element.ai)?.digitalLinkKey);
  const key = elements[keyIndex];
  const sequences = key && gs1Ai(key.ai)?.digitalLinkKey;
  if (!key || !sequences) throw new RangeError('A Digital Link URI needs a primary key such as (01) or (00)');
  const present = new Set(elements.map((element) => element.ai));
  // The qualifier sequence that leaves no element unplaceable, then places the most in the path;
  // the first on a tie. With (01), (235) and (10), that is 235: (10) can still be an attribute.
  const others = elements.filter((_, index) => index !== keyIndex);
  const unplaceable = (sequence: readonly string[]) =>
    others.filter((element) => !sequence.includes(element.ai) && !gs1Ai(element.ai)?.digitalLinkAttribute)
      .length;
  const placed = (sequence: readonly string[]) => sequence.filter((ai) => present.has(ai)).length;
  let qualifiers: readonly string[] = sequences[0] ?? [];
  for (const sequence of sequences.slice(1)) {
    const left = unplaceable(sequence) - unplaceable(qualifiers);
    if (left < 0 || (left === 0 && placed(sequence) > placed(qualifiers))) qualifiers = sequence;
  }
  let path = `/${key.ai}/${percentEncode(key.value)}`;
  for (const ai of qualifiers) {
    const qualifier = elements.find((element) => element.ai === ai);
    if (qualifier) path += `/${ai}/${percentEncode(qualifier.value)}`;
  }
  const query: string[] = [];
  elements.forEach((element, index) => {
    if (index === keyIndex || qualifiers.includes(element.ai)) return;
    if (!gs1Ai(element.ai)?.digitalLinkAttribute)
      throw new RangeError(`(${element.ai}) cannot be a Digital Link attribute of (${key.ai})`);
    query.push(`${element.ai}=${percentEncode(element.value)}`);
  });
  return `${base}${path}${query.length > 0 ? `?${query.join('&')}` : ''}`;
}
