import type { Gs1Element } from '../gs1/index.js';
import type { LabelData } from './label-data.js';

/*
 * Which GS1 Application Identifiers a template may draw from a label's data, and from which field.
 * A template names AIs; the data names things; this table is the one place they meet.
 */

export const labelAis = [
  '00',
  '01',
  '02',
  '10',
  '11',
  '15',
  '17',
  '21',
  '37',
  '254',
  '400',
  '410',
  '414',
] as const;
export type LabelAi = (typeof labelAis)[number];

/** GS1 dates are YYMMDD (GS1 General Specifications §7.12); label data holds full dates. */
const yymmdd = (date: string | undefined) =>
  date === undefined ? undefined : date.slice(2).replaceAll('-', '');

interface AiSource {
  /** The data field, as placeholders and error messages name it. */
  field: string;
  /** The data title printed beside the value in a label's text section. */
  title: string;
  value: (data: LabelData) => string | undefined;
}

export const aiSources: Record<LabelAi, AiSource> = {
  '00': { field: 'sscc', title: 'SSCC', value: (data) => data.sscc },
  '01': { field: 'gtin', title: 'GTIN', value: (data) => data.gtin },
  '02': { field: 'gtin', title: 'CONTENT', value: (data) => data.gtin },
  '10': { field: 'lot', title: 'BATCH/LOT', value: (data) => data.lot },
  '11': { field: 'productionDate', title: 'PROD DATE', value: (data) => yymmdd(data.productionDate) },
  '15': { field: 'bestBefore', title: 'BEST BEFORE', value: (data) => yymmdd(data.bestBefore) },
  '17': { field: 'expiry', title: 'USE BY', value: (data) => yymmdd(data.expiry) },
  '21': { field: 'serial', title: 'SERIAL', value: (data) => data.serial },
  '37': { field: 'count', title: 'COUNT', value: (data) => data.count?.toString() },
  '254': { field: 'location.code', title: 'LOCATION', value: (data) => data.location?.code },
  '400': { field: 'po', title: 'CUSTOMER PO', value: (data) => data.po },
  '410': { field: 'shipTo.gln', title: 'SHIP TO LOC', value: (data) => data.shipTo?.gln },
  '414': { field: 'location.gln', title: 'LOCATION GLN', value: (data) => data.location?.gln },
};

/** One AI a barcode carries; a list is "the first of these the data has" (a pallet carries 15 or 17). */
export interface ElementRef {
  ai: LabelAi | LabelAi[];
  optional?: boolean | undefined;
}

/** A required element the data lacks: the field to fill and the AIs that would have used it. */
export interface MissingElement {
  fields: string[];
  ais: LabelAi[];
}

export function describeMissing(missing: MissingElement): string {
  const ais = missing.ais.map((ai) => `(${ai})`).join(' or ');
  return `${missing.fields.join(' or ')} for ${ais}`;
}

/** The elements of `refs` found in `data`, in the refs' order, and the required ones that are not. */
export function labelElements(
  refs: readonly ElementRef[],
  data: LabelData,
): { elements: Gs1Element[]; missing: MissingElement[] } {
  const elements: Gs1Element[] = [];
  const missing: MissingElement[] = [];
  for (const ref of refs) {
    const ais = Array.isArray(ref.ai) ? ref.ai : [ref.ai];
    const found = ais
      .map((ai) => ({ ai, value: aiSources[ai].value(data) }))
      .find((element): element is Gs1Element & { ai: LabelAi } => element.value !== undefined);
    if (found) elements.push({ ai: found.ai, value: found.value });
    else if (!ref.optional) missing.push({ fields: [...new Set(ais.map((ai) => aiSources[ai].field))], ais });
  }
  return { elements, missing };
}
