import { z } from 'zod';
import { labelKinds } from './kinds.js';
import { labelAis } from './label-elements.js';
import { placeholderPaths, placeholdersIn } from './placeholders.js';

/*
 * A label template: its size and the items placed on it, all in millimetres from the top-left
 * corner. The same template renders to SVG, PDF and ZPL (docs/labels.md, "Templates").
 */

const position = z.number().min(0).max(500);
const extent = z.number().positive().max(500);
const thickness = z.number().positive().max(10).default(0.5);

export const elementRefSchema = z.object({
  ai: z.union([z.enum(labelAis), z.array(z.enum(labelAis)).min(2)]),
  optional: z.boolean().optional(),
});

const textItem = z.object({
  type: z.literal('text'),
  x: position,
  /** The top of the line. */
  y: position,
  text: z.string().min(1).max(200),
  /** Em size in points (1 pt = 25.4 / 72 mm). */
  size: z.number().min(4).max(96),
  bold: z.boolean().default(false),
  /** Left out when a placeholder has no value, instead of refusing the label. */
  optional: z.boolean().default(false),
  /** The line's room in mm: a filled line estimated longer is set smaller to fit (a bin's code). */
  width: extent.optional(),
});

const lineItem = z.object({
  type: z.literal('line'),
  x: position,
  y: position,
  length: extent,
  /** Only straight lines along an axis: what every label printer draws natively (ZPL ^GB). */
  direction: z.enum(['horizontal', 'vertical']),
  thickness,
});

const boxItem = z.object({
  type: z.literal('box'),
  x: position,
  y: position,
  width: extent,
  height: extent,
  thickness,
});

/**
 * GS1-128 symbols with their human-readable line under each, in the box x, y, width, height (quiet
 * zones included). Elements that do not fit one symbol (48 data characters, or the box's width at the
 * smallest X-dimension) go on to the next symbol below, up to `maxSymbols`.
 */
const gs1_128Item = z.object({
  type: z.literal('gs1_128'),
  x: position,
  y: position,
  width: extent,
  height: extent,
  elements: z.array(elementRefSchema).min(1).max(10),
  maxSymbols: z.number().int().min(1).max(4).default(1),
});

/** A square 2D symbol, `size` wide and high. */
const squareSymbol = <T extends string>(type: T) =>
  z.object({
    type: z.literal(type),
    x: position,
    y: position,
    size: extent,
    elements: z.array(elementRefSchema).min(1).max(10),
  });

export const labelItemSchema = z.discriminatedUnion('type', [
  textItem,
  lineItem,
  boxItem,
  gs1_128Item,
  squareSymbol('gs1_datamatrix'),
  /** A QR code carrying a GS1 Digital Link URI of the elements; its first element is the key, (01) or (00). */
  squareSymbol('digital_link_qr'),
]);

export type LabelItem = z.output<typeof labelItemSchema>;
export type LabelItemInput = z.input<typeof labelItemSchema>;

function extentOf(item: LabelItem): { right: number; bottom: number } {
  switch (item.type) {
    case 'text':
      return { right: item.x + (item.width ?? 0), bottom: item.y + (item.size * 25.4) / 72 };
    case 'line':
      return item.direction === 'horizontal'
        ? { right: item.x + item.length, bottom: item.y + item.thickness }
        : { right: item.x + item.thickness, bottom: item.y + item.length };
    case 'box':
    case 'gs1_128':
      return { right: item.x + item.width, bottom: item.y + item.height };
    case 'gs1_datamatrix':
    case 'digital_link_qr':
      return { right: item.x + item.size, bottom: item.y + item.size };
  }
}

const isSsccSymbol = (item: LabelItem) =>
  item.type === 'gs1_128' && item.elements.length === 1 && item.elements[0]?.ai === '00';

export const labelTemplateSchema = z
  .object({
    key: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'lower-case letters, digits, - and _'),
    name: z.string().trim().min(1).max(100),
    kind: z.enum(labelKinds),
    width: extent,
    height: extent,
    items: z.array(labelItemSchema).min(1).max(100),
  })
  .superRefine((template, ctx) => {
    template.items.forEach((item, index) => {
      const { right, bottom } = extentOf(item);
      if (right > template.width + 1e-9 || bottom > template.height + 1e-9)
        ctx.addIssue({ code: 'custom', path: ['items', index], message: 'the item reaches past the label' });
      if (item.type === 'text')
        for (const path of placeholdersIn(item.text))
          if (!placeholderPaths.has(path))
            ctx.addIssue({
              code: 'custom',
              path: ['items', index, 'text'],
              message: `unknown placeholder {${path}}`,
            });
    });
    if (template.kind === 'pallet_sscc') {
      // GS1 Logistic Label Guideline: the SSCC has a symbol of its own, in the label's lowest section.
      const symbols = template.items.filter((item) => 'elements' in item);
      const sscc = symbols.find(isSsccSymbol);
      const lowest = Math.max(...symbols.map((item) => extentOf(item).bottom));
      if (sscc === undefined || extentOf(sscc).bottom < lowest)
        ctx.addIssue({
          code: 'custom',
          path: ['items'],
          message: 'a pallet label has the SSCC alone in a GS1-128 symbol below every other barcode',
        });
    }
  });

export type LabelTemplate = z.output<typeof labelTemplateSchema>;
export type LabelTemplateInput = z.input<typeof labelTemplateSchema>;
