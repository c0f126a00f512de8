import { bracketedString, type Gs1Element, type Gs1ParseResult, parseGs1 } from '@plantline/schema/gs1';

/*
 * GS1 location labels on bins and racks (docs/materials.md, "Location labels"): AI (414), the GLN of
 * the physical location, holds the plant's GLN, and AI (254), the GLN extension component, holds the
 * location's code within it. Inventory locations carry no GLN of their own, so every location label of
 * a plant shares its (414). (254) is X..20 in GS1 character set 82 (docs/gs1.md, "The AI table"): a
 * longer code, or one with a character outside the set, has no location label. Pure: scan-moves.ts
 * finds what a reading names.
 */

export type LocationLabelData = { ok: true; elements: Gs1Element[] } | { ok: false; message: string };

/** The elements a location's label carries, or why it can have none. */
export function locationLabelElements(
  plant: { code: string; gln: string | null },
  location: { code: string },
): LocationLabelData {
  if (plant.gln === null)
    return { ok: false, message: `Plant ${plant.code} has no GLN: enter it to label its locations` };
  const elements = [
    { ai: '414', value: plant.gln },
    { ai: '254', value: location.code },
  ];
  // The parser is the one check of GS1 rules (docs/gs1.md, "Writing"); its reasons are made specific here.
  const checked = parseGs1(bracketedString(elements, { escape: 'backslash' }));
  const problem = checked.errors[0];
  if (problem === undefined) return { ok: true, elements };
  if (problem.ai === '254' && problem.code === 'bad_length')
    return {
      ok: false,
      message: `Location code ${location.code} is ${location.code.length} characters; a location label holds at most 20 (AI 254)`,
    };
  if (problem.ai === '254' && problem.code === 'bad_character')
    return {
      ok: false,
      message: `Location code ${location.code} has a character GS1 labels cannot carry: ${problem.message}`,
    };
  return { ok: false, message: `No location label for ${location.code}: ${problem.message}` };
}

export type LocationLabelReading = { ok: true; gln: string; code: string } | { ok: false; message: string };

/** A trade item's AIs: data with one of them is a product label, whatever else it holds. */
const TRADE_ITEM_AIS = new Set(['01', '02', '03', '8006', '8026']);

/**
 * What a scan says as a location label: null when it is none (no (414) or (254), or a trade item's
 * label), else the plant GLN and location code it names, or why it cannot be read.
 */
export function readLocationLabel(parsed: Gs1ParseResult): LocationLabelReading | null {
  const value = (ai: string) => parsed.elements.find((e) => e.ai === ai)?.value ?? null;
  const gln = value('414');
  const code = value('254');
  if (gln === null && code === null) return null;
  if (parsed.elements.some((e) => TRADE_ITEM_AIS.has(e.ai))) return null;
  if (gln === null)
    return { ok: false, message: 'The label names a location (AI 254) without its GLN (AI 414)' };
  if (!parsed.ok) {
    const first = parsed.errors[0];
    return { ok: false, message: `Not a valid location label: ${first?.message ?? 'not GS1 data'}` };
  }
  if (code === null)
    return { ok: false, message: `The label names GLN ${gln} but no location in it (AI 254)` };
  return { ok: true, gln, code };
}
