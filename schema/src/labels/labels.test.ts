import { describe, expect, it } from 'vitest';
import { builtinLabelTemplate, builtinLabelTemplates } from './builtin-templates.js';
import { labelDataSchema } from './label-data.js';
import { describeMissing, labelElements } from './label-elements.js';
import { fillPlaceholders } from './placeholders.js';
import { type LabelItemInput, type LabelTemplateInput, labelTemplateSchema } from './template.js';

const data = labelDataSchema.parse({
  sscc: '106141411234567897',
  gtin: '9506000134352',
  count: 40,
  lot: 'L2405A',
  expiry: '2027-01-31',
  shipTo: { name: 'Metro DC North', address: ['Dock 4'], gln: '9506000000022' },
});

const pallet = (items: LabelTemplateInput['items']): LabelTemplateInput => ({
  key: 'test',
  name: 'Test',
  kind: 'pallet_sscc',
  width: 100,
  height: 150,
  items,
});

describe('label data', () => {
  it('pads a GTIN-13 to the 14 digits (01) and (02) carry', () => {
    expect(data.gtin).toBe('09506000134352');
  });

  it('refuses wrong check digits, dates and characters outside CSET 82', () => {
    const result = labelDataSchema.safeParse({
      sscc: '106141411234567890',
      bestBefore: '2026-02-30',
      lot: 'L 24',
      shipFrom: { name: 'X', gln: '9506000000012' },
    });
    expect(result.success).toBe(false);
    const messages = Object.fromEntries(
      result.error?.issues.map((issue) => [issue.path.join('.'), issue.message]) ?? [],
    );
    expect(messages).toEqual({
      sscc: 'SSCC check digit is wrong',
      bestBefore: 'not a calendar date',
      lot: `Lot may hold letters, digits and !"%&'()*+,-./:;<=>?_ only (GS1 CSET 82)`,
      'shipFrom.gln': 'GLN check digit is wrong',
    });
  });
});

describe('location label data', () => {
  const location = { code: 'A-01-02', name: 'Rack A, bay 1', kind: 'bin', gln: '9506000000015' };

  it('carries (414) the GLN and (254) the code, and fills the location and plant placeholders', () => {
    const bin = labelDataSchema.parse({ location, plant: { code: 'P1', name: 'Riverside' } });
    expect(labelElements([{ ai: '414' }, { ai: '254' }], bin).elements).toEqual([
      { ai: '414', value: '9506000000015' },
      { ai: '254', value: 'A-01-02' },
    ]);
    expect(fillPlaceholders('{location.code} {location.kind} {plant.code} {location.path}', bin)).toEqual({
      text: 'A-01-02 bin P1 ',
      missing: ['location.path'],
    });
  });

  it('refuses a code (254) cannot hold and a GLN with a wrong check digit', () => {
    const result = labelDataSchema.safeParse({
      location: { ...location, code: 'A'.repeat(21), gln: '9506000000012' },
    });
    expect(result.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['location.code', 'Location code is at most 20 characters'],
      ['location.gln', 'GLN check digit is wrong'],
    ]);
  });
});

describe('labelElements', () => {
  it('draws each AI from its field, dates as YYMMDD, and takes the first present of alternatives', () => {
    const { elements, missing } = labelElements(
      [{ ai: '02' }, { ai: '37' }, { ai: ['15', '17'] }, { ai: '400', optional: true }, { ai: '410' }],
      data,
    );
    expect(elements).toEqual([
      { ai: '02', value: '09506000134352' },
      { ai: '37', value: '40' },
      { ai: '17', value: '270131' },
      { ai: '410', value: '9506000000022' },
    ]);
    expect(missing).toEqual([]);
  });

  it('names the fields a required element lacks', () => {
    const { missing } = labelElements([{ ai: '00' }, { ai: ['15', '11'] }], { count: 1 } as never);
    expect(missing.map(describeMissing)).toEqual([
      'sscc for (00)',
      'bestBefore or productionDate for (15) or (11)',
    ]);
  });
});

describe('fillPlaceholders', () => {
  it('fills paths into the data and reports those without a value', () => {
    expect(fillPlaceholders('{shipTo.name}, {shipTo.address.0} ({count})', data)).toEqual({
      text: 'Metro DC North, Dock 4 (40)',
      missing: [],
    });
    expect(fillPlaceholders('ORDER {po}', data).missing).toEqual(['po']);
  });
});

describe('labelTemplateSchema', () => {
  type Symbol128 = Extract<LabelItemInput, { type: 'gs1_128' }>;
  const sscc: Symbol128 = { type: 'gs1_128', x: 0, y: 110, width: 100, height: 32, elements: [{ ai: '00' }] };

  it('accepts every built-in template', () => {
    expect(builtinLabelTemplates.map((template) => template.key)).toEqual([
      'pallet-4x6',
      'pallet-a6',
      'pallet-a5',
      'pallet-mixed-4x6',
      'carton-4x3',
      'product-lot',
      'location-4x3',
    ]);
    expect(builtinLabelTemplate('pallet-a6')?.kind).toBe('pallet_sscc');
    expect(builtinLabelTemplate('location-4x3')?.kind).toBe('location');
    expect(builtinLabelTemplate('pallet-a5')?.kind).toBe('pallet_sscc');
  });

  it('refuses an unknown placeholder and an item past the label edge', () => {
    const result = labelTemplateSchema.safeParse(
      pallet([
        { type: 'text', x: 3, y: 3, text: 'TO {shipTo.city}', size: 10 },
        { ...sscc, width: 120 },
      ]),
    );
    expect(result.error?.issues.map((issue) => issue.message)).toEqual([
      'unknown placeholder {shipTo.city}',
      'the item reaches past the label',
    ]);
  });

  it('keeps the SSCC in its own symbol below every other barcode of a pallet label', () => {
    const content: Symbol128 = { ...sscc, y: 70, height: 30, elements: [{ ai: '02' }, { ai: '37' }] };
    expect(labelTemplateSchema.safeParse(pallet([content, sscc])).success).toBe(true);
    const above = labelTemplateSchema.safeParse(
      pallet([
        { ...content, y: 115 },
        { ...sscc, y: 60 },
      ]),
    );
    expect(above.error?.issues[0]?.message).toBe(
      'a pallet label has the SSCC alone in a GS1-128 symbol below every other barcode',
    );
    const shared = labelTemplateSchema.safeParse(
      pallet([{ ...sscc, elements: [{ ai: '00' }, { ai: '02' }] }]),
    );
    expect(shared.success).toBe(false);
  });
});
