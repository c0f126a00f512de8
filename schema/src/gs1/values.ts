/*
 * Checks of one AI's value against its definition: the lengths and character sets of its parts
 * (GS1 General Specifications, "GS1 AI encodable character sets", CSET 82 for X) and the content
 * checks of each part (check digit, dates, times, piece of total). Used alike by every input syntax.
 */
import type { Gs1AiDefinition, Gs1Component, Gs1Lint } from './ai-table.js';
import { hasValidCheckDigit } from './check-digit.js';
import { isGs1Date, isGs1HourMinute } from './dates.js';
import type { Gs1Error } from './types.js';

/**
 * CSET 82: digits, letters and `!"%&'()*+,-./:;<=>?_`. Neither `#` nor the
 * space is in it, which is what lets a keyboard wedge's `#` stand for FNC1 (docs/gs1.md, "Separators").
 */
const CSET82 = /^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]*$/;
const DIGITS = /^\d*$/;

export function isCset82(text: string): boolean {
  return CSET82.test(text);
}

/** An error found in a value, with its offset inside the value. */
export type ValueError = Omit<Gs1Error, 'ai' | 'position'> & { offset: number };

function firstBad(text: string, charset: 'N' | 'X'): number {
  const allowed = charset === 'N' ? DIGITS : CSET82;
  for (let i = 0; i < text.length; i++) if (!allowed.test(text.charAt(i))) return i;
  return -1;
}

function lint(lintName: Gs1Lint, part: string, now: Date): Omit<ValueError, 'offset'> | null {
  switch (lintName) {
    case 'csum':
      return hasValidCheckDigit(part)
        ? null
        : { code: 'bad_check_digit', message: `The check digit of ${part} is wrong` };
    case 'yymmdd':
    case 'yymmd0':
      return isGs1Date(part, lintName === 'yymmd0', now)
        ? null
        : {
            code: 'bad_date',
            message:
              lintName === 'yymmd0'
                ? `${part} is not a date YYMMDD (DD may be 00)`
                : `${part} is not a date YYMMDD`,
          };
    case 'hhmi':
      return isGs1HourMinute(part) ? null : { code: 'bad_value', message: `${part} is not a time HHMM` };
    case 'pieceoftotal': {
      const piece = Number(part.slice(0, part.length / 2));
      const total = Number(part.slice(part.length / 2));
      return piece >= 1 && total >= 1 && piece <= total
        ? null
        : { code: 'bad_value', message: `Piece ${piece} of ${total} is not a piece of its total` };
    }
  }
}

function checkPart(part: Gs1Component, text: string, offset: number, now: Date): ValueError[] {
  const bad = firstBad(text, part.charset);
  if (bad >= 0)
    return [
      {
        code: 'bad_character',
        message:
          part.charset === 'N'
            ? `Digits only, found "${text.charAt(bad)}"`
            : `"${text.charAt(bad)}" is not in the GS1 character set 82`,
        offset: offset + bad,
      },
    ];
  const errors: ValueError[] = [];
  for (const name of part.lints) {
    const found = lint(name, text, now);
    if (found) errors.push({ ...found, offset });
  }
  return errors;
}

/**
 * Every error in `value` for the AI `definition`: parts are taken from the left, each of its fixed
 * length or, for the last, the rest up to its maximum; an optional part may be absent at the end.
 */
export function checkValue(definition: Gs1AiDefinition, value: string, now: Date): ValueError[] {
  const errors: ValueError[] = [];
  let offset = 0;
  for (const part of definition.components) {
    const rest = value.length - offset;
    if (rest === 0 && part.optional) break;
    const fixed = part.minLength === part.maxLength;
    if (rest < part.minLength || rest === 0) {
      return [
        ...errors,
        {
          code: 'bad_length',
          message: `(${definition.ai}) is ${describeLength(definition)}; "${value}" is too short`,
          offset: value.length,
        },
      ];
    }
    const take = fixed ? part.minLength : Math.min(rest, part.maxLength);
    errors.push(...checkPart(part, value.slice(offset, offset + take), offset, now));
    offset += take;
  }
  if (offset < value.length)
    errors.push({
      code: 'bad_length',
      message: `(${definition.ai}) is ${describeLength(definition)}; "${value}" is too long`,
      offset,
    });
  return errors;
}

/** A format in the General Specifications' words: "N14", "X..20", "N6+N4", "N13+[X..17]". */
export function describeLength(definition: Gs1AiDefinition): string {
  return definition.components
    .map((part) => {
      const text = `${part.charset}${part.minLength === part.maxLength ? '' : '..'}${part.maxLength}`;
      return part.optional ? `[${text}]` : text;
    })
    .join('+');
}
