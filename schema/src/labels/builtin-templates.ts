import { type LabelItemInput, type LabelTemplate, labelTemplateSchema } from './template.js';

/*
 * The templates every tenant has from the start. The pallet label follows the GS1 Logistic Label
 * Guideline: a free-format section (from, to) at the top, a text section with data titles, and the
 * barcode section at the bottom with the SSCC in its own GS1-128 symbol, lowest on the label.
 */

const MARGIN = 3;

/**
 * The bar height GS1-128 symbols on a logistic label need (GS1 General Specifications §5.12, symbol
 * specification table for logistic units; GS1 Logistic Label Guideline): 31.75 mm.
 */
export const GS1_LOGISTIC_BAR_HEIGHT_MM = 31.75;

/**
 * A pallet label's symbol slot: the bar height above, then its human-readable line (9 pt, 3.175 mm
 * with a 0.8 mm gap above and below, cloud/src/modules/labels/layout.ts), with a little to spare so
 * rounding to printer dots never takes a bar under the minimum.
 */
const PALLET_SYMBOL_SLOT = 36.6;
const PALLET_BOTTOM_MARGIN = 2;

/** From or To: the party's name, two address lines and its GLN, in the free-format section. */
const party = (role: 'From' | 'To', x: number): LabelItemInput[] => {
  const key = role === 'From' ? 'shipFrom' : 'shipTo';
  return [
    { type: 'text', x, y: 1.5, text: role.toUpperCase(), size: 6 },
    { type: 'text', x, y: 3.8, text: `{${key}.name}`, size: 9, bold: true },
    { type: 'text', x, y: 7.3, text: `{${key}.address.0}`, size: 7, optional: true },
    { type: 'text', x, y: 10.1, text: `{${key}.address.1}`, size: 7, optional: true },
    { type: 'text', x, y: 12.9, text: `GLN {${key}.gln}`, size: 7, optional: true },
  ];
};

/**
 * The GS1 logistic label for a homogeneous pallet: (02) content and (37) count are required, (10) and
 * (15) or (17) are printed when the data has them. Every GS1-128 symbol gets the full 31.75 mm bar
 * height, so a 4×6″ or A6 label holds the SSCC and two content symbols; the renderer splits the content
 * at 48 data characters or the label's width. The order (400) needs a third content symbol, which
 * only the A5 label has room for: on the smaller labels it is printed in the text section only.
 */
function palletLabel(key: string, name: string, width: number, height: number, contentSymbols: 2 | 3) {
  const half = width / 2;
  const ssccTop = height - PALLET_BOTTOM_MARGIN - PALLET_SYMBOL_SLOT;
  const contentTop = ssccTop - contentSymbols * PALLET_SYMBOL_SLOT;
  // The text section: the SSCC in words, then the contents two to a row.
  const row = (index: number) => 20.2 + index * 3.4;
  const items: LabelItemInput[] = [
    ...party('From', MARGIN),
    ...party('To', half + MARGIN),
    { type: 'line', x: half, y: 1, length: 14.6, direction: 'vertical', thickness: 0.3 },
    { type: 'line', x: 0, y: 15.8, length: width, direction: 'horizontal', thickness: 0.4 },
    { type: 'text', x: MARGIN, y: 16.4, text: 'SSCC  {sscc}', size: 9, bold: true },
    { type: 'text', x: MARGIN, y: row(0), text: 'CONTENT  {gtin}', size: 8, bold: true },
    { type: 'text', x: half, y: row(0), text: 'COUNT  {count}', size: 8, bold: true },
    { type: 'text', x: MARGIN, y: row(1), text: '{description}', size: 7, optional: true },
    { type: 'text', x: MARGIN, y: row(2), text: 'BATCH/LOT  {lot}', size: 8, bold: true, optional: true },
    { type: 'text', x: half, y: row(2), text: 'USE BY  {expiry}', size: 8, bold: true, optional: true },
    { type: 'text', x: MARGIN, y: row(3), text: 'ORDER  {po}', size: 8, bold: true, optional: true },
    {
      type: 'text',
      x: half,
      y: row(3),
      text: 'BEST BEFORE  {bestBefore}',
      size: 8,
      bold: true,
      optional: true,
    },
    { type: 'line', x: 0, y: contentTop - 0.8, length: width, direction: 'horizontal', thickness: 0.4 },
    {
      type: 'gs1_128',
      x: 0,
      y: contentTop,
      width,
      height: contentSymbols * PALLET_SYMBOL_SLOT,
      elements: [
        { ai: '02' },
        { ai: '37' },
        { ai: '10', optional: true },
        { ai: ['15', '17'], optional: true },
        ...(contentSymbols === 3 ? [{ ai: '400' as const, optional: true }] : []),
      ],
      maxSymbols: contentSymbols,
    },
    { type: 'gs1_128', x: 0, y: ssccTop, width, height: PALLET_SYMBOL_SLOT, elements: [{ ai: '00' }] },
  ];
  return labelTemplateSchema.parse({ key, name, kind: 'pallet_sscc', width, height, items });
}

/**
 * The GS1 logistic label for a mixed pallet, whose contents are more than one GTIN: no (02) content
 * and (37) count describe it, so the SSCC alone identifies it (the GS1 Logistic Label Guideline's
 * minimum). The order is printed in words only: a customer's PO of letters and digits is often wider
 * than a 4-inch label allows a GS1-128 symbol at GS1's smallest X-dimension, and a label that cannot
 * be issued for its PO helps nobody.
 */
function mixedPalletLabel(): LabelTemplate {
  const width = 101.6;
  const height = 152.4;
  const ssccTop = height - PALLET_BOTTOM_MARGIN - PALLET_SYMBOL_SLOT;
  const items: LabelItemInput[] = [
    ...party('From', MARGIN),
    ...party('To', width / 2 + MARGIN),
    { type: 'line', x: width / 2, y: 2, length: 20, direction: 'vertical', thickness: 0.3 },
    { type: 'line', x: 0, y: 23, length: width, direction: 'horizontal', thickness: 0.5 },
    { type: 'text', x: MARGIN, y: 25, text: 'SSCC', size: 7 },
    { type: 'text', x: MARGIN, y: 28, text: '{sscc}', size: 18, bold: true },
    { type: 'text', x: MARGIN, y: 37, text: 'CONTENT  MIXED', size: 10, bold: true },
    { type: 'text', x: MARGIN, y: 42, text: 'ORDER  {po}', size: 10, bold: true, optional: true },
    { type: 'line', x: 0, y: 62, length: width, direction: 'horizontal', thickness: 0.5 },
    { type: 'gs1_128', x: 0, y: ssccTop, width, height: PALLET_SYMBOL_SLOT, elements: [{ ai: '00' }] },
  ];
  return labelTemplateSchema.parse({
    key: 'pallet-mixed-4x6',
    name: 'GS1 logistic label 4×6″, mixed pallet',
    kind: 'pallet_sscc',
    width,
    height,
    items,
  });
}

/** A case of one trade item: (01) with its lot and date in GS1-128, and the same in a GS1 DataMatrix. */
function cartonLabel(): LabelTemplate {
  const width = 101.6;
  const height = 76.2;
  const trade = [
    { ai: '01' as const },
    { ai: '10' as const, optional: true },
    { ai: ['15' as const, '17' as const], optional: true },
  ];
  const items: LabelItemInput[] = [
    { type: 'text', x: MARGIN, y: 3, text: '{shipFrom.name}', size: 8, optional: true },
    { type: 'text', x: MARGIN, y: 7, text: '{description}', size: 12, bold: true },
    { type: 'text', x: MARGIN, y: 13, text: 'GTIN  {gtin}', size: 10 },
    { type: 'text', x: MARGIN, y: 18, text: 'BATCH/LOT  {lot}', size: 10, optional: true },
    { type: 'text', x: MARGIN, y: 23, text: 'BEST BEFORE  {bestBefore}', size: 10, optional: true },
    { type: 'text', x: MARGIN, y: 28, text: 'USE BY  {expiry}', size: 10, optional: true },
    { type: 'gs1_datamatrix', x: width - MARGIN - 20, y: 3, size: 20, elements: trade },
    { type: 'line', x: 0, y: 34, length: width, direction: 'horizontal', thickness: 0.5 },
    { type: 'gs1_128', x: 0, y: 36, width, height: height - 36 - MARGIN, elements: trade, maxSymbols: 2 },
  ];
  return labelTemplateSchema.parse({
    key: 'carton-4x3',
    name: 'Carton label 4×3″',
    kind: 'carton',
    width,
    height,
    items,
  });
}

/** A product or lot label: a GS1 Digital Link QR (a phone opens the product's page) and the lot in words. */
function productLotLabel(): LabelTemplate {
  const width = 60;
  const height = 40;
  const items: LabelItemInput[] = [
    { type: 'box', x: 0.5, y: 0.5, width: width - 1, height: height - 1, thickness: 0.3 },
    { type: 'text', x: MARGIN, y: 3, text: '{description}', size: 8, bold: true },
    { type: 'text', x: MARGIN, y: 9, text: 'GTIN', size: 6 },
    { type: 'text', x: MARGIN, y: 11.5, text: '{gtin}', size: 8 },
    { type: 'text', x: MARGIN, y: 17, text: 'LOT  {lot}', size: 8, bold: true },
    { type: 'text', x: MARGIN, y: 22, text: 'EXP  {expiry}', size: 8, optional: true },
    { type: 'text', x: MARGIN, y: 27, text: 'SN  {serial}', size: 8, optional: true },
    {
      type: 'digital_link_qr',
      x: width - 26,
      y: 12,
      size: 24,
      elements: [{ ai: '01' }, { ai: '10' }, { ai: '21', optional: true }, { ai: '17', optional: true }],
    },
  ];
  return labelTemplateSchema.parse({
    key: 'product-lot',
    name: 'Product lot label',
    kind: 'product_lot',
    width,
    height,
    items,
  });
}

/**
 * A bin or rack label (docs/labels.md, "Built-in templates"): the location's code large enough to read
 * from a forklift (40 pt, set smaller only as far as a long code needs to fit), the plant, and a GS1 DataMatrix of (414) the plant's GLN and (254) the code. A
 * DataMatrix, not GS1-128: (254) holds up to 20 characters, and a 20-character code with the GLN is
 * about twice as wide as a 4-inch label allows GS1-128 at GS1's smallest X-dimension.
 */
function locationLabel(): LabelTemplate {
  const width = 101.6;
  const height = 76.2;
  const symbol = 40;
  const items: LabelItemInput[] = [
    {
      type: 'text',
      x: MARGIN,
      y: 2.5,
      text: '{location.code}',
      size: 40,
      bold: true,
      width: width - 2 * MARGIN,
    },
    { type: 'line', x: 0, y: 19, length: width, direction: 'horizontal', thickness: 0.5 },
    { type: 'text', x: MARGIN, y: 22, text: '{location.name}', size: 12, bold: true },
    { type: 'text', x: MARGIN, y: 28, text: '{location.path}', size: 9, optional: true },
    { type: 'text', x: MARGIN, y: 33, text: '{location.kind}', size: 9 },
    { type: 'text', x: MARGIN, y: 42, text: 'PLANT', size: 6 },
    { type: 'text', x: MARGIN, y: 44.5, text: '{plant.code}  {plant.name}', size: 10, bold: true },
    { type: 'text', x: MARGIN, y: 50, text: 'GLN  {location.gln}', size: 8 },
    {
      type: 'gs1_datamatrix',
      x: width - MARGIN - symbol,
      y: 22,
      size: symbol,
      elements: [{ ai: '414' }, { ai: '254' }],
    },
    { type: 'text', x: MARGIN, y: 67, text: '(414){location.gln}(254){location.code}', size: 8 },
  ];
  return labelTemplateSchema.parse({
    key: 'location-4x3',
    name: 'Location label 4×3″',
    kind: 'location',
    width,
    height,
    items,
  });
}

export const builtinLabelTemplates: readonly LabelTemplate[] = [
  palletLabel('pallet-4x6', 'GS1 logistic label 4×6″', 101.6, 152.4, 2),
  palletLabel('pallet-a6', 'GS1 logistic label A6', 105, 148, 2),
  palletLabel('pallet-a5', 'GS1 logistic label A5', 148, 210, 3),
  mixedPalletLabel(),
  cartonLabel(),
  productLotLabel(),
  locationLabel(),
];

export function builtinLabelTemplate(key: string): LabelTemplate | undefined {
  return builtinLabelTemplates.find((template) => template.key === key);
}
