/*
 * `parseGs1`: one entry for everything a scanner or a person hands over (docs/gs1.md). The AIM
 * symbology identifier, when present, says whether the symbol carries GS1 element strings; the text
 * itself says whether it is a Digital Link URI, the bracketed form or element strings. Each element's
 * value is then checked, and the set of elements against the combination rules.
 */
import { gs1Ai } from './ai-table.js';
import { checkAssociations } from './associations.js';
import { readBracketed, startsBracketed } from './bracketed.js';
import { hasValidCheckDigit } from './check-digit.js';
import { isDigitalLinkCandidate, readDigitalLink } from './digital-link.js';
import { readElementString } from './element-string.js';
import type { SyntaxReading } from './found.js';
import type { Gs1Error, Gs1ParseOptions, Gs1ParseResult, Gs1Symbology, Gs1Syntax } from './types.js';
import { checkValue } from './values.js';

/**
 * AIM symbology identifiers (ISO/IEC 15424) of symbols that carry GS1 element strings: the FNC1 in
 * first position makes a Code 128 symbol `]C1`, a Data Matrix `]d2`, a QR Code `]Q3`, a DotCode `]J1`;
 * the DataBar family and composites are `]e0`. EAN/UPC (`]E0`, `]E4`) carry a GTIN alone.
 */
const GS1_IDENTIFIERS: Readonly<Record<string, Gs1Symbology>> = {
  ']C1': 'gs1-128',
  ']d2': 'gs1-datamatrix',
  ']Q3': 'gs1-qr',
  ']e0': 'gs1-databar',
  ']J1': 'gs1-dotcode',
  ']E0': 'ean-upc',
  ']E4': 'ean-upc',
};

const AIM_IDENTIFIER = /^\][A-Za-z][0-9A-Za-z]/;

function result(symbology: Gs1Symbology, syntax: Gs1Syntax, errors: Gs1Error[]): Gs1ParseResult {
  return { ok: errors.length === 0, symbology, syntax, elements: [], errors };
}

/** EAN-13, UPC-A (sent as 13 digits) and EAN-8: a GTIN with its check digit, read as (01). */
function readEanUpc(data: string, start: number, identifier: string): SyntaxReading {
  const digits = data.slice(start);
  const expected = identifier === ']E4' ? 8 : 13;
  if (!/^\d+$/.test(digits) || digits.length !== expected)
    return {
      found: [],
      errors: [
        {
          code: digits.length === expected ? 'bad_character' : 'bad_length',
          message: `${identifier} carries ${expected} digits`,
          position: start,
        },
      ],
    };
  if (!hasValidCheckDigit(digits))
    return {
      found: [],
      errors: [
        {
          code: 'bad_check_digit',
          message: `The check digit of ${digits} is wrong`,
          ai: '01',
          position: start,
        },
      ],
    };
  return {
    found: [{ ai: '01', value: digits.padStart(14, '0'), position: start, verbatim: false }],
    errors: [],
  };
}

/**
 * Reads scan data or typed GS1 data. `ok` is the verdict; `elements` lists what was read even when
 * it is not ok, so a screen can show the operator what the scanner sent. A trailing CR or LF (the
 * Enter a keyboard wedge types after each scan) is ignored.
 */
export function parseGs1(data: string, options: Gs1ParseOptions = {}): Gs1ParseResult {
  const now = options.now ?? new Date();
  const input = data.replace(/[\r\n]+$/, '');
  const identifier = AIM_IDENTIFIER.exec(input)?.[0];
  const symbology: Gs1Symbology = identifier ? (GS1_IDENTIFIERS[identifier] ?? 'plain') : 'none';
  const start = identifier ? identifier.length : 0;
  if (input.length <= start) return result(symbology, 'unknown', [{ code: 'empty', message: 'No data' }]);

  let syntax: Gs1Syntax;
  let reading: SyntaxReading;
  if (isDigitalLinkCandidate(input, start)) {
    syntax = 'digital-link';
    reading = readDigitalLink(input, start);
  } else if (symbology === 'plain') {
    return result(symbology, 'unknown', [
      {
        code: 'not_gs1',
        message: `${identifier} is a symbol without GS1 element strings, and the data is not a GS1 Digital Link URI`,
        position: 0,
      },
    ]);
  } else if (identifier === ']E0' || identifier === ']E4') {
    syntax = 'element-string';
    reading = readEanUpc(input, start, identifier);
  } else if (startsBracketed(input, start)) {
    syntax = 'bracketed';
    reading = readBracketed(input, start);
  } else {
    syntax = 'element-string';
    reading = readElementString(input, start, options.separator ?? 'auto');
  }

  if (reading.found.length === 0 && reading.errors.length === 0)
    return result(symbology, syntax, [{ code: 'empty', message: 'No GS1 elements in the data' }]);
  const errors: Gs1Error[] = [...reading.errors];
  for (const element of reading.found) {
    const definition = gs1Ai(element.ai);
    if (!definition) continue;
    for (const error of checkValue(definition, element.value, now))
      errors.push({
        code: error.code,
        message: error.message,
        ai: element.ai,
        position: element.position + (element.verbatim ? error.offset : 0),
      });
  }
  const elements = reading.found.map(({ ai, value }) => ({ ai, value }));
  // Combination rules need the whole message: after a reader stopped early they would only add noise.
  if (reading.errors.length === 0) errors.push(...checkAssociations(elements));
  return { ok: errors.length === 0, symbology, syntax, elements, errors };
}
