import {
  builtinLabelTemplate,
  builtinLabelTemplates,
  GS1_LOGISTIC_BAR_HEIGHT_MM,
  type LabelTemplate,
  labelTemplateSchema,
} from '@plantline/schema/labels';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../platform/index.js';
import { GS1_128_MAX_DATA_CHARACTERS, gs1_128DataCharacters, gs1_128Modules } from './gs1-128-width.js';
import { labelData } from './label-fixtures.js';
import {
  GS1_128_MAX_X,
  GS1_128_MIN_X,
  GS1_128_QUIET_MODULES,
  type LabelLayout,
  layoutLabel,
  type PlacedItem,
  ptToMm,
} from './layout.js';

type Symbol = Extract<PlacedItem, { kind: 'symbol' }>;
const symbolsOf = (layout: LabelLayout) =>
  layout.items.filter((item): item is Symbol => item.kind === 'symbol');
const pallet = builtinLabelTemplate('pallet-4x6') as LabelTemplate;

function thrown(work: () => unknown): DomainError {
  try {
    work();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('nothing was thrown');
}

describe('layoutLabel', () => {
  it('lays the pallet label out with the SSCC alone in the lowest symbol, each with its HRI line', () => {
    const layout = layoutLabel(pallet, labelData());
    const symbols = symbolsOf(layout);
    expect(symbols.map((symbol) => symbol.content)).toEqual([
      '(02)09506000134352(15)261231',
      '(37)40(10)L2405A',
      '(00)106141411234567897',
    ]);
    // The order is in the text section; only the A5 label has room for its symbol.
    const texts = layout.items.flatMap((item) => (item.kind === 'text' ? [item.text] : []));
    expect(texts).toContain('ORDER  4500012345');
    const a5 = symbolsOf(layoutLabel(builtinLabelTemplate('pallet-a5') as LabelTemplate, labelData()));
    expect(a5.map((symbol) => symbol.content)).toEqual([
      '(02)09506000134352(15)261231(37)40',
      '(10)L2405A(400)4500012345',
      '(00)106141411234567897',
    ]);
    const lowest = Math.max(...symbols.map((symbol) => symbol.y));
    expect(symbols.at(-1)?.y).toBe(lowest);
    for (const symbol of symbols) {
      const hri = layout.items.find((item) => item.kind === 'text' && item.text === symbol.content);
      expect(hri?.kind === 'text' && hri.y > symbol.y + symbol.height).toBe(true);
    }
  });

  it('keeps every GS1-128 symbol within 48 data characters, its X-dimension and its quiet zones', () => {
    for (const symbol of symbolsOf(layoutLabel(pallet, labelData()))) {
      expect(gs1_128DataCharacters(symbol.elements)).toBeLessThanOrEqual(GS1_128_MAX_DATA_CHARACTERS);
      expect(symbol.module).toBeGreaterThanOrEqual(GS1_128_MIN_X);
      const quiet = GS1_128_QUIET_MODULES * (symbol.module ?? 0);
      expect(symbol.x - quiet).toBeGreaterThanOrEqual(-1e-9);
      expect(symbol.x + symbol.width + quiet).toBeLessThanOrEqual(pallet.width + 1e-9);
    }
  });

  it('splits at 48 data characters even where the label is wide enough for more', () => {
    const wide = labelTemplateSchema.parse({
      key: 'wide',
      name: 'Wide',
      kind: 'carton',
      width: 400,
      height: 100,
      items: [
        {
          type: 'gs1_128',
          x: 0,
          y: 0,
          width: 400,
          height: 100,
          elements: [{ ai: '02' }, { ai: '37' }, { ai: '10' }, { ai: '15' }, { ai: '400' }, { ai: '00' }],
          maxSymbols: 3,
        },
      ],
    });
    const data = labelData({ lot: 'LOT-2024-0001-ABCDEF', po: 'PO-2024-000000000123' });
    const symbols = symbolsOf(layoutLabel(wide, data));
    expect(symbols).toHaveLength(2);
    for (const symbol of symbols) expect(gs1_128DataCharacters(symbol.elements)).toBeLessThanOrEqual(48);
    expect(symbols.flatMap((symbol) => symbol.elements.map((element) => element.ai)).sort()).toEqual(
      ['00', '02', '10', '15', '37', '400'].sort(),
    );
  });

  it('gives a printer whole dots: X is a multiple of the dot pitch, never below the minimum', () => {
    for (const dotMm of [1 / 8, 1 / 12]) {
      for (const symbol of symbolsOf(layoutLabel(pallet, labelData(), { dotMm }))) {
        const dots = (symbol.module ?? 0) / dotMm;
        expect(Math.abs(dots - Math.round(dots))).toBeLessThan(1e-9);
        expect(symbol.module).toBeGreaterThanOrEqual(GS1_128_MIN_X);
        expect(symbol.width).toBeCloseTo(gs1_128Modules(symbol.elements) * (symbol.module ?? 0), 9);
      }
    }
  });

  it('leaves out optional text and elements the data does not have', () => {
    const layout = layoutLabel(pallet, labelData({ lot: undefined, po: undefined, bestBefore: undefined }));
    const texts = layout.items.flatMap((item) => (item.kind === 'text' ? [item.text] : []));
    expect(texts.some((text) => text.startsWith('BATCH/LOT') || text.startsWith('ORDER'))).toBe(false);
    expect(symbolsOf(layout).map((symbol) => symbol.content)).toEqual([
      '(02)09506000134352(17)270131',
      '(37)40',
      '(00)106141411234567897',
    ]);
  });

  it('names everything the template needs and the data lacks, in one error', () => {
    const error = thrown(() =>
      layoutLabel(pallet, labelData({ sscc: undefined, count: undefined, shipTo: undefined })),
    );
    expect(error.code).toBe('invalid');
    expect(error.message).toBe(
      'The GS1 logistic label 4×6″ label needs count for (37); sscc for (00); shipTo.name.',
    );
    expect(error.fieldErrors).toEqual({
      'shipTo.name': 'Required by the label template',
      count: 'Required by the label template',
      sscc: 'Required by the label template',
    });
  });

  it('refuses data that breaks the GS1 rules of the label as a whole', () => {
    const both = labelTemplateSchema.parse({
      key: 'both',
      name: 'Both',
      kind: 'carton',
      width: 100,
      height: 40,
      items: [
        {
          type: 'gs1_datamatrix',
          x: 0,
          y: 0,
          size: 20,
          elements: [{ ai: '01' }, { ai: '02' }, { ai: '37' }],
        },
      ],
    });
    expect(thrown(() => layoutLabel(both, labelData())).message).toMatch(/^gtin: .*\(01\).*\(02\)/);
    const noRoom = labelTemplateSchema.parse({
      ...pallet,
      key: 'narrow',
      items: pallet.items.map((item) =>
        item.type === 'gs1_128' && item.maxSymbols === 2 ? { ...item, maxSymbols: 1 } : item,
      ),
    });
    expect(thrown(() => layoutLabel(noRoom, labelData())).message).toBe(
      '(02)09506000134352(37)40(10)L2405A(15)261231 needs 2 GS1-128 symbols; the template has room for 1.',
    );
  });

  describe('a location label', () => {
    const bin = builtinLabelTemplate('location-4x3') as LabelTemplate;
    const location = (code: string) =>
      labelData({ location: { code, name: 'Rack A, bay 1', kind: 'bin', gln: '9506000000015' } });
    const codeLine = (layout: LabelLayout, code: string) =>
      layout.items.find((item) => item.kind === 'text' && item.text === code);

    it('carries (414) and (254) in a GS1 DataMatrix, the code in 40 pt while it fits', () => {
      const layout = layoutLabel(bin, location('A-01-02'));
      expect(symbolsOf(layout).map((symbol) => [symbol.symbology, symbol.content])).toEqual([
        ['gs1-datamatrix', '(414)9506000000015(254)A-01-02'],
      ]);
      expect(codeLine(layout, 'A-01-02')).toMatchObject({ size: 40, bold: true });
    });

    it('sets a long code smaller so it stays on the label', () => {
      for (const code of ['RM-A-01-02-03', 'WH2-A-12-03-LEVEL-04']) {
        const line = codeLine(layoutLabel(bin, location(code)), code);
        if (line?.kind !== 'text') throw new Error(`no line for ${code}`);
        expect(line.size).toBeLessThan(40);
        // The estimate: 0.72 em per character (layout.ts), within the label's margins.
        expect(line.x + code.length * 0.72 * ptToMm(line.size)).toBeLessThanOrEqual(bin.width - 3 + 1e-9);
      }
    });
  });

  describe('a pallet (logistic) label', () => {
    const pallets = builtinLabelTemplates.filter((template) => template.kind === 'pallet_sscc');
    const full = labelData({ lot: 'L2405A', po: '4500012345' });
    // Long lot and order: as many content symbols as the widest label holds.
    const long = labelData({ lot: 'LOT-2024-0001-AB', po: 'PO-2024-000000000123456789' });

    it.each(pallets.map((template) => [template.key, template] as const))(
      '%s draws every GS1-128 symbol with bars at least 31.75 mm high, on screen and at each printer density',
      (_key, template) => {
        const room = template.items.reduce(
          (sum, item) => sum + (item.type === 'gs1_128' ? item.maxSymbols : 0),
          0,
        );
        let most = 0;
        for (const data of [full, long])
          for (const dotMm of [undefined, 1 / 8, 1 / 12, 1 / 24]) {
            let symbols: Symbol[];
            try {
              symbols = symbolsOf(layoutLabel(template, data, dotMm === undefined ? {} : { dotMm }));
            } catch (error) {
              // More symbols than the template has room for: refused, never drawn lower.
              expect(error).toBeInstanceOf(DomainError);
              continue;
            }
            most = Math.max(most, symbols.length);
            for (const symbol of symbols) {
              expect(symbol.height).toBeGreaterThanOrEqual(GS1_LOGISTIC_BAR_HEIGHT_MM);
              expect(symbol.module).toBeGreaterThanOrEqual(GS1_128_MIN_X);
              expect(symbol.module).toBeLessThanOrEqual(GS1_128_MAX_X + 1e-9);
            }
          }
        // The test reached the template's tightest case: every symbol it has room for.
        expect(most).toBe(room);
      },
    );

    it.each(pallets.map((template) => [template.key, template] as const))(
      '%s keeps its text above the barcodes and everything on the label',
      (_key, template) => {
        const layout = layoutLabel(template, full);
        const symbols = symbolsOf(layout);
        const barcodesTop = Math.min(...symbols.map((symbol) => symbol.y));
        const hri = new Set(symbols.map((symbol) => symbol.content));
        for (const item of layout.items) {
          if (item.kind === 'text') {
            const bottom = item.y + ptToMm(item.size);
            expect(bottom).toBeLessThanOrEqual(layout.height);
            if (!hri.has(item.text)) expect(bottom).toBeLessThan(barcodesTop);
          } else {
            expect(item.x + item.width).toBeLessThanOrEqual(layout.width + 1e-9);
            expect(item.y + item.height).toBeLessThanOrEqual(layout.height + 1e-9);
          }
        }
      },
    );

    it('refuses a pallet template whose box leaves its bars under 31.75 mm', () => {
      const low = labelTemplateSchema.parse({
        ...pallet,
        key: 'low',
        items: pallet.items.map((item) =>
          item.type === 'gs1_128' && item.maxSymbols === 2 ? { ...item, height: item.height - 2 } : item,
        ),
      });
      expect(thrown(() => layoutLabel(low, full)).message).toMatch(
        /^2 GS1-128 symbols do not fit a box [\d.]+ mm high with bars of 31\.75 mm\.$/,
      );
      // The same box on a carton label is no logistic label: it is drawn.
      expect(() => layoutLabel({ ...low, kind: 'carton' }, full)).not.toThrow();
    });
  });
});
