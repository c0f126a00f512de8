/*
 * Reading GS1 Digital Link URIs (GS1 Digital Link: URI Syntax, "URI syntax" and "Extracting GS1
 * element strings from a GS1 Digital Link URI"): any host and any leading path
 * (the "stem"), then a primary key and its qualifiers as path segments in their defined order,
 * and data attributes as numeric query parameters. docs/gs1.md, "Digital Link", has the rules with
 * examples.
 */
import { gs1Ai } from './ai-table.js';
import type { FoundElement, SyntaxReading } from './found.js';
import type { Gs1Error } from './types.js';

const SCHEME = /^(?:https?|HTTPS?):\/\//;
/** RFC 3986 §2: the characters a URI may hold (reserved, unreserved and `%`). */
const URI_CHARACTERS = /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]*$/;
const BAD_HOST_CHARACTER = /[_~?#@!$&'()*+,;=%]/;
const AI = /^\d{2,4}$/;

export function isDigitalLinkCandidate(data: string, offset: number): boolean {
  return /^https?:\/\//i.test(data.slice(offset));
}

function fail(message: string, position: number): SyntaxReading {
  return { found: [], errors: [{ code: 'bad_digital_link', message, position }] };
}

/** Percent-decoding (RFC 3986 §2.1); `+` is a space only in the query (the form encoding of HTML). */
function decode(raw: string, inQuery: boolean): string | null {
  try {
    return decodeURIComponent(inQuery ? raw.replaceAll('+', ' ') : raw);
  } catch {
    return null;
  }
}

/**
 * GTIN-8, -12 and -13 in (01) are widened to GTIN-14 with leading zeros, the form every GS1 key
 * takes in element strings (General Specifications, "GTIN" AI (01)); Digital Link URIs printed by brands
 * sometimes carry the short form.
 */
function widenGtin(ai: string, value: string): string {
  return ai === '01' && /^(?:\d{8}|\d{12}|\d{13})$/.test(value) ? value.padStart(14, '0') : value;
}

/** Whether `qualifiers` appear, in this order, within one of the key's qualifier sequences. */
function fitsSequence(sequences: readonly (readonly string[])[], qualifiers: readonly string[]): boolean {
  return sequences.some((sequence) => {
    let from = 0;
    for (const ai of qualifiers) {
      const index = sequence.indexOf(ai, from);
      if (index < 0) return false;
      from = index + 1;
    }
    return true;
  });
}

export function readDigitalLink(data: string, start: number): SyntaxReading {
  const fragment = data.indexOf('#', start);
  const uri = data.slice(start, fragment < 0 ? data.length : fragment);
  for (let i = 0; i < uri.length; i++)
    if (!URI_CHARACTERS.test(uri.charAt(i)))
      return fail(`"${uri.charAt(i)}" cannot appear in a URI`, start + i);
  const scheme = SCHEME.exec(uri);
  if (!scheme) return fail('A Digital Link URI starts with http:// or https:// (not in mixed case)', start);
  const hostStart = scheme[0].length;
  const pathStart = uri.indexOf('/', hostStart);
  const host = uri.slice(hostStart, pathStart < 0 ? uri.length : pathStart).split('?')[0] ?? '';
  if (host === '' || BAD_HOST_CHARACTER.test(host))
    return fail(`"${host}" is not a host name`, start + hostStart);
  if (pathStart < 0) return fail('The URI has no path to hold a primary key', start + uri.length);
  const queryStart = uri.indexOf('?', pathStart);
  const path = uri.slice(pathStart, queryStart < 0 ? uri.length : queryStart);
  if (path.endsWith('/'))
    return fail('A Digital Link path does not end with "/"', start + pathStart + path.length - 1);

  // Segment offsets, to report positions in the data.
  const segments: { text: string; position: number }[] = [];
  let cursor = start + pathStart + 1;
  for (const text of path.slice(1).split('/')) {
    segments.push({ text, position: cursor });
    cursor += text.length + 1;
  }
  // The key is the rightmost one reached by walking back over AI/value pairs: a stem may itself
  // contain segments that look like AIs.
  let keyIndex = -1;
  for (let i = segments.length - 2; i >= 0; i -= 2) {
    const ai = segments[i]?.text ?? '';
    if (!AI.test(ai) || !gs1Ai(ai)) break;
    if (gs1Ai(ai)?.digitalLinkKey) {
      keyIndex = i;
      break;
    }
  }
  const keySegment = segments[keyIndex];
  const sequences = keySegment ? gs1Ai(keySegment.text)?.digitalLinkKey : null;
  if (!keySegment || !sequences)
    return fail('The path holds no GS1 primary key such as /01/{gtin} or /00/{sscc}', start + pathStart);

  const reading: SyntaxReading = { found: [], errors: [] };
  const errors: Gs1Error[] = reading.errors;
  const take = (ai: string, raw: string, position: number, inQuery: boolean): FoundElement | null => {
    const decoded = decode(raw, inQuery);
    if (decoded === null) {
      errors.push({
        code: 'bad_digital_link',
        message: `"${raw}" is not percent-encoded correctly`,
        ai,
        position,
      });
      return null;
    }
    const value = widenGtin(ai, decoded);
    return { ai, value, position, verbatim: value === raw };
  };

  const qualifiers: string[] = [];
  for (let i = keyIndex; i < segments.length; i += 2) {
    const aiSegment = segments[i];
    const valueSegment = segments[i + 1];
    if (!aiSegment || !valueSegment) break;
    if (valueSegment.text === '')
      return fail(`(${aiSegment.text}) has an empty value in the path`, valueSegment.position);
    if (i > keyIndex) {
      qualifiers.push(aiSegment.text);
      if (!fitsSequence(sequences, qualifiers))
        return fail(
          `(${aiSegment.text}) cannot qualify (${keySegment.text}) here; its qualifiers are ${sequences
            .map((sequence) => sequence.join(', ') || 'none')
            .join(' or ')}, in that order`,
          aiSegment.position,
        );
    }
    const element = take(aiSegment.text, valueSegment.text, valueSegment.position, false);
    if (element) reading.found.push(element);
  }

  if (queryStart >= 0) {
    let offset = start + queryStart + 1;
    for (const parameter of uri.slice(queryStart + 1).split('&')) {
      const position = offset;
      offset += parameter.length + 1;
      const equals = parameter.indexOf('=');
      const name = equals < 0 ? parameter : parameter.slice(0, equals);
      // Non-numeric parameters (linkType, utm_…) belong to the resolver, not to the data.
      if (equals < 0 || !/^\d+$/.test(name)) continue;
      const definition = gs1Ai(name);
      if (!definition) {
        errors.push({
          code: 'unknown_ai',
          message: `(${name}) is not a known Application Identifier`,
          position,
        });
        continue;
      }
      if (!definition.digitalLinkAttribute || fitsSequence(sequences, [...qualifiers, name])) {
        errors.push({
          code: 'bad_digital_link',
          message: definition.digitalLinkAttribute
            ? `(${name}) qualifies (${keySegment.text}) and belongs in the path, not the query`
            : `(${name}) is not permitted as a Digital Link data attribute`,
          ai: name,
          position,
        });
        continue;
      }
      const element = take(name, parameter.slice(equals + 1), position + equals + 1, true);
      if (element) reading.found.push(element);
    }
  }

  const seen = new Set<string>();
  for (const element of reading.found) {
    if (seen.has(element.ai))
      errors.push({
        code: 'duplicate_ai',
        message: `(${element.ai}) appears more than once in the URI`,
        ai: element.ai,
        position: element.position,
      });
    seen.add(element.ai);
  }
  return reading;
}
