/*
 * Reading concatenated element strings, as a GS1 symbol transmits them (GS1 General Specifications
 * "Concatenation" and "Processing of data from a GS1 symbology using GS1 Application
 * Identifiers"): an AI, its value, and an FNC1 (transmitted as GS) after every value that is not of
 * predefined length, unless it is the last.
 */
import { gs1Ai, valueLength } from './ai-table.js';
import { aiAt, digitsAt, type SyntaxReading } from './found.js';
import type { Gs1WedgeSeparator } from './types.js';
import { GS } from './writers.js';

/**
 * The strings read as FNC1 (docs/gs1.md, "Separators"). GS always. `#` is outside CSET 82, so no
 * value in the table can hold it and `auto` reads it as FNC1 too. The text `Alt029` is six valid
 * CSET 82 characters, so `auto` reads it as FNC1 only in data that has neither GS nor `#`.
 */
export function separatorsFor(data: string, wedge: Gs1WedgeSeparator): string[] {
  switch (wedge) {
    case 'gs':
      return [GS];
    case '#':
      return [GS, '#'];
    case 'Alt029':
      return [GS, 'Alt029'];
    case 'auto':
      return data.includes(GS) || data.includes('#') ? [GS, '#'] : [GS, 'Alt029'];
  }
}

function separatorAt(data: string, offset: number, separators: readonly string[]): string | null {
  return separators.find((separator) => data.startsWith(separator, offset)) ?? null;
}

function nextSeparator(data: string, from: number, separators: readonly string[]): number {
  let next = data.length;
  for (const separator of separators) {
    const index = data.indexOf(separator, from);
    if (index >= 0 && index < next) next = index;
  }
  return next;
}

/**
 * Reads `data[start…]`. A separator that is not needed (first in the data, after an element of
 * predefined length, or doubled) is skipped: scanners and keyboard wedges add them and they change
 * nothing. Reading stops at the first AI outside the table, since its length is then unknown.
 */
export function readElementString(data: string, start: number, wedge: Gs1WedgeSeparator): SyntaxReading {
  const separators = separatorsFor(data.slice(start), wedge);
  const reading: SyntaxReading = { found: [], errors: [] };
  let offset = start;
  while (offset < data.length) {
    const separator = separatorAt(data, offset, separators);
    if (separator) {
      offset += separator.length;
      continue;
    }
    const ai = aiAt(data, offset, (candidate) => gs1Ai(candidate) !== undefined);
    const definition = ai === null ? undefined : gs1Ai(ai);
    if (ai === null || !definition) {
      const digits = digitsAt(data, offset);
      reading.errors.push({
        code: 'unknown_ai',
        message:
          digits.length >= 2
            ? `No known Application Identifier starts with ${digits}`
            : `Expected an Application Identifier, found "${data.slice(offset, offset + 4)}"`,
        position: offset,
      });
      return reading;
    }
    const valueStart = offset + ai.length;
    const { max } = valueLength(definition);
    if (definition.predefinedLength) {
      const value = data.slice(valueStart, valueStart + max);
      const cut = nextSeparator(value, 0, separators);
      if (value.length < max || cut < value.length) {
        reading.errors.push({
          code: 'bad_length',
          message: `(${ai}) takes ${max} characters; the data has ${Math.min(cut, value.length)}`,
          ai,
          position: valueStart,
        });
        return reading;
      }
      reading.found.push({ ai, value, position: valueStart, verbatim: true });
      offset = valueStart + max;
      continue;
    }
    const end = nextSeparator(data, valueStart, separators);
    const value = data.slice(valueStart, end);
    if (value.length > max) {
      const fixed = valueLength(definition).min === max;
      reading.errors.push(
        fixed
          ? {
              code: 'missing_fnc1',
              message: `(${ai}) is not of predefined length: an FNC1 separator must follow its ${max} characters`,
              ai,
              position: valueStart + max,
            }
          : {
              code: 'bad_length',
              message: `(${ai}) takes at most ${max} characters; the data has ${value.length} before the next separator (is an FNC1 separator missing?)`,
              ai,
              position: valueStart + max,
            },
      );
      return reading;
    }
    reading.found.push({ ai, value, position: valueStart, verbatim: true });
    offset = end;
  }
  return reading;
}
