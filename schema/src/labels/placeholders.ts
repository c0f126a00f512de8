import type { LabelData } from './label-data.js';

/*
 * `{placeholders}` in a template's text: a path into the label's data (`{lot}`, `{shipTo.name}`,
 * `{shipTo.address.0}`, `{location.code}`). The names are a closed list so a template is checked
 * when it is saved, not when a label is printed at the dock.
 */

const PLACEHOLDER = /\{([a-zA-Z0-9.]+)\}/g;

const partyPaths = (party: string) =>
  [
    `${party}.name`,
    `${party}.address.0`,
    `${party}.address.1`,
    `${party}.address.2`,
    `${party}.gln`,
  ] as const;

export const placeholderPaths: ReadonlySet<string> = new Set([
  'sscc',
  'gtin',
  'description',
  'count',
  'lot',
  'serial',
  'productionDate',
  'bestBefore',
  'expiry',
  'po',
  ...partyPaths('shipFrom'),
  ...partyPaths('shipTo'),
  'location.code',
  'location.name',
  'location.kind',
  'location.path',
  'location.gln',
  'plant.code',
  'plant.name',
]);

export function placeholdersIn(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((match) => match[1] ?? '');
}

function valueAt(data: LabelData, path: string): string | undefined {
  let value: unknown = data;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  if (typeof value === 'number') return value.toString();
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The text with its placeholders filled, and the paths the data had no value for. */
export function fillPlaceholders(text: string, data: LabelData): { text: string; missing: string[] } {
  const missing: string[] = [];
  const filled = text.replace(PLACEHOLDER, (_, path: string) => {
    const value = valueAt(data, path);
    if (value === undefined) missing.push(path);
    return value ?? '';
  });
  return { text: filled, missing };
}
