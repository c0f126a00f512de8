import {
  builtinLabelTemplate,
  builtinLabelTemplates,
  GS1_LOGISTIC_BAR_HEIGHT_MM,
  type LabelTemplate,
  labelTemplateSchema,
} from '@plantline/schema/labels';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../platform/index.js';
import { BarcodePool } from './barcode-pool.js';
import { labelData } from './label-fixtures.js';
import { parseLabelData, renderLabelSvg, renderLabelZpl } from './render.js';
import { zplDensities } from './zpl.js';

const pool = new BarcodePool({ size: 1 });
beforeAll(() => pool.start());
afterAll(() => pool.stop());

const pallet = builtinLabelTemplate('pallet-4x6') as LabelTemplate;

describe('ZPL', () => {
  it.each(builtinLabelTemplates.map((template) => [template.key, template] as const))(
    '%s at 203 dpi',
    async (key, template) => {
      const zpl = await renderLabelZpl(pool, template, labelData(), 203);
      await expect(zpl).toMatchFileSnapshot(`./__snapshots__/${key}.203dpi.zpl`);
    },
  );

  it.each(
    builtinLabelTemplates
      .filter((template) => template.kind === 'pallet_sscc')
      .flatMap((template) => ([203, 300, 600] as const).map((dpi) => [template.key, dpi, template] as const)),
  )(
    '%s at %i dpi: every ^BC bar at least 31.75 mm high, ^BY within 0.495–0.940 mm',
    async (_key, dpi, template) => {
      const perMm = zplDensities[dpi];
      const zpl = await renderLabelZpl(pool, template, labelData(), dpi);
      const symbols = [...zpl.matchAll(/\^BY(\d+)\^BCN,(\d+),/g)];
      // The SSCC and two content symbols; a mixed pallet's label has the SSCC alone (docs/labels.md).
      expect(symbols.length).toBeGreaterThanOrEqual(template.key === 'pallet-mixed-4x6' ? 1 : 3);
      for (const [, module, height] of symbols) {
        expect(Number(height) / perMm).toBeGreaterThanOrEqual(GS1_LOGISTIC_BAR_HEIGHT_MM);
        expect(Number(module) / perMm).toBeGreaterThanOrEqual(0.495);
        expect(Number(module) / perMm).toBeLessThanOrEqual(0.94);
      }
    },
  );

  it('pallet-4x6 at 300 dpi: the same label in 12 dots per mm', async () => {
    const zpl = await renderLabelZpl(pool, pallet, labelData(), 300);
    await expect(zpl).toMatchFileSnapshot('./__snapshots__/pallet-4x6.300dpi.zpl');
    expect(zpl).toContain('^PW1219\n^LL1829');
  });

  it('writes GS1-128 in mode D and GS1 DataMatrix with FNC1 as _1 under an explicit escape character', async () => {
    const carton = await renderLabelZpl(
      pool,
      builtinLabelTemplate('carton-4x3') as LabelTemplate,
      labelData(),
      203,
    );
    expect(carton).toMatch(/\^BCN,\d+,N,N,N,D\^FD\(01\)09506000134352\(15\)261231\^FS/);
    expect(carton).toContain('^BXN,7,200,0,0,6,_,1^FD_101095060001343521526123110L2405A^FS');
    const serialised = labelTemplateSchema.parse({
      key: 'dm',
      name: 'DataMatrix',
      kind: 'product_lot',
      width: 30,
      height: 30,
      items: [
        {
          type: 'gs1_datamatrix',
          x: 5,
          y: 5,
          size: 20,
          elements: [{ ai: '01' }, { ai: '10' }, { ai: '21' }],
        },
      ],
    });
    // Two variable-length elements: FNC1 (_1) ends the first.
    expect(await renderLabelZpl(pool, serialised, labelData(), 300)).toContain(
      '^FD_1010950600013435210L2405A_121SN1001^FS',
    );
  });

  it('escapes ^, ~ and _ in text, and doubles _ inside DataMatrix data', async () => {
    const zpl = await renderLabelZpl(
      pool,
      builtinLabelTemplate('carton-4x3') as LabelTemplate,
      labelData({ description: 'Jar ^A ~JA', lot: 'L_24' }),
      203,
    );
    expect(zpl).toContain('^FH^FDJar _5EA _7EJA^FS');
    expect(zpl).toContain('10L__24^FS');
  });

  it('refuses a GS1-128 value that mode D would change', async () => {
    const error = await renderLabelZpl(pool, pallet, labelData({ lot: 'L(24)' }), 203).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).message).toBe("(10) L(24): ZPL's GS1-128 cannot carry (, ) or >.");
  });
});

describe('SVG', () => {
  it('holds each symbol as vector paths with its data, and the text', async () => {
    const svg = await renderLabelSvg(pool, pallet, labelData());
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="101.6mm" height="152.4mm"')).toBe(
      true,
    );
    const symbols = [
      ...svg.matchAll(/<g class="symbol" data-symbology="([^"]+)" data-content="([^"]+)"[^>]*>(.*?)<\/g>/g),
    ];
    expect(symbols.map((match) => [match[1], match[2]])).toEqual([
      ['gs1-128', '(02)09506000134352(15)261231'],
      ['gs1-128', '(37)40(10)L2405A'],
      ['gs1-128', '(00)106141411234567897'],
    ]);
    for (const match of symbols) expect(match[3]).toMatch(/^(<path d="[MhvZ\d. -]+"\/>)+$/);
    expect(svg).toContain('>SSCC  106141411234567897</text>');
    expect(svg).toContain('>ORDER  4500012345</text>');
    expect(svg).toContain('text-anchor="middle">(00)106141411234567897</text>');
  });

  it('escapes text for XML', async () => {
    const svg = await renderLabelSvg(pool, pallet, labelData({ description: 'Nuts & <bolts>' }));
    expect(svg).toContain('>Nuts &amp; &lt;bolts&gt;</text>');
  });
});

describe('parseLabelData', () => {
  it('turns the contract problems into one invalid error with field errors', () => {
    let caught: unknown;
    try {
      parseLabelData({ sscc: '12', count: 0 });
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({
      code: 'invalid',
      message:
        'The label data is not valid: sscc: SSCC is 18 digits; count: Too small: expected number to be >=1.',
      fieldErrors: { sscc: 'SSCC is 18 digits', count: 'Too small: expected number to be >=1' },
    });
  });
});
