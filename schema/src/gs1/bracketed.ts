/*
 * Reading the bracketed form, `(01)09521234543213(10)ABC` — the human-readable interpretation of
 * GS1 General Specifications ("Human readable interpretation"), as typed by people and sent by some scanners. CSET 82 holds
 * `(` and `)`, so a parenthesis may be data: `(` starts the next AI only when 2 to 4 digits and `)`
 * follow it, and `\(` is always a data `(` (docs/gs1.md, "Bracketed form").
 */
import { gs1Ai } from './ai-table.js';
import type { SyntaxReading } from './found.js';

const AI_HEAD = /^\((\d{2,4})\)/;

/** Whether `data` at `offset` starts with an AI in brackets. */
export function startsBracketed(data: string, offset: number): boolean {
  return AI_HEAD.test(data.slice(offset));
}

export function readBracketed(data: string, start: number): SyntaxReading {
  const reading: SyntaxReading = { found: [], errors: [] };
  let offset = start;
  while (offset < data.length) {
    const head = AI_HEAD.exec(data.slice(offset));
    if (!head) {
      reading.errors.push({
        code: 'unknown_ai',
        message: `Expected an Application Identifier in brackets, found "${data.slice(offset, offset + 6)}"`,
        position: offset,
      });
      return reading;
    }
    const ai = head[1] ?? '';
    const valueStart = offset + head[0].length;
    let value = '';
    let verbatim = true;
    let cursor = valueStart;
    while (cursor < data.length && !startsBracketed(data, cursor)) {
      if (data.startsWith('\\(', cursor)) {
        value += '(';
        verbatim = false;
        cursor += 2;
      } else {
        value += data.charAt(cursor);
        cursor += 1;
      }
    }
    if (gs1Ai(ai)) reading.found.push({ ai, value, position: valueStart, verbatim });
    else
      reading.errors.push({
        code: 'unknown_ai',
        message: `(${ai}) is not a known Application Identifier`,
        ai,
        position: offset + 1,
      });
    offset = cursor;
  }
  return reading;
}
