/*
 * Rules across the elements of one message (GS1 General Specifications, "Rules for combinations
 * of element strings"): an AI that must not appear with another ("Invalid pairs of element
 * strings", the Syntax Dictionary's `ex=`), an AI that needs another present ("Mandatory
 * association of element strings", `req=`), and one AI twice with two different values, which
 * the same section refuses as well.
 */
import { aiMatches, gs1Ai } from './ai-table.js';
import type { Gs1Element, Gs1Error } from './types.js';

const named = (pattern: string) => `(${pattern})`;

function listOfAlternatives(groups: readonly (readonly string[])[]): string {
  const texts = groups.map((group) => group.map(named).join(' with '));
  return texts.length === 1 ? (texts[0] ?? '') : `${texts.slice(0, -1).join(', ')} or ${texts.at(-1)}`;
}

export function checkAssociations(elements: readonly Gs1Element[]): Gs1Error[] {
  const errors: Gs1Error[] = [];
  const firstValue = new Map<string, string>();
  const reportedDuplicate = new Set<string>();
  for (const { ai, value } of elements) {
    const earlier = firstValue.get(ai);
    if (earlier === undefined) firstValue.set(ai, value);
    else if (earlier !== value && !reportedDuplicate.has(ai)) {
      reportedDuplicate.add(ai);
      errors.push({
        code: 'duplicate_ai',
        message: `(${ai}) appears with two values, ${earlier} and ${value}`,
        ai,
      });
    }
  }

  const present = [...firstValue.keys()];
  const has = (pattern: string) => present.some((ai) => aiMatches(ai, pattern));
  const reportedPairs = new Set<string>();
  for (const ai of present) {
    const definition = gs1Ai(ai);
    if (!definition) continue;
    for (const pattern of definition.excludes)
      for (const other of present) {
        // An AI does not exclude itself even when it matches its own pattern (3103 and `310n`).
        if (other === ai || !aiMatches(other, pattern)) continue;
        const pair = [ai, other].sort().join('+');
        if (reportedPairs.has(pair)) continue;
        reportedPairs.add(pair);
        errors.push({
          code: 'invalid_pairing',
          message: `(${ai}) and (${other}) must not appear together`,
          ai,
        });
      }
    if (definition.requires.length > 0 && !definition.requires.some((group) => group.every(has)))
      errors.push({
        code: 'required_ai_missing',
        message: `(${ai}) requires ${listOfAlternatives(definition.requires)}`,
        ai,
      });
  }
  return errors;
}
