import {
  bracketedString,
  digitalLinkUri,
  type Gs1Element,
  hasPredefinedLength,
  parseGs1,
} from '@plantline/schema/gs1';
import {
  aiSources,
  describeMissing,
  fillPlaceholders,
  GS1_LOGISTIC_BAR_HEIGHT_MM,
  type LabelData,
  type LabelItem,
  type LabelTemplate,
  labelElements,
} from '@plantline/schema/labels';
import { DomainError } from '../../platform/index.js';
import { GS1_128_MAX_DATA_CHARACTERS, gs1_128DataCharacters, gs1_128Modules } from './gs1-128-width.js';

/*
 * A template and a label's data become a layout: every item at its final place in millimetres, with
 * its text filled and its barcodes' data decided. The SVG, PDF and ZPL renderers only draw a layout,
 * so the three agree on what is printed where (docs/labels.md, "Rendering").
 */

/**
 * GS1-128 X-dimension on logistic units, in mm (GS1 General Specifications §5.12, the symbol
 * specification table for logistic labels: 0.495 minimum, 0.940 maximum).
 */
export const GS1_128_MIN_X = 0.495;
export const GS1_128_MAX_X = 0.94;
/** Code 128 quiet zone: ten X-dimensions on each side (ISO/IEC 15417). */
export const GS1_128_QUIET_MODULES = 10;
/** The human-readable line under each GS1-128 symbol, which the GS1 rules make mandatory. */
export const HRI_SIZE_PT = 9;
const HRI_GAP_MM = 0.8;
/** Below this no template's GS1-128 is drawn; a logistic (pallet) label needs GS1_LOGISTIC_BAR_HEIGHT_MM. */
const MIN_BAR_HEIGHT_MM = 5;

export const ptToMm = (pt: number) => (pt * 25.4) / 72;

/**
 * An estimate of a line's advance per character, in em: Helvetica Bold's capitals and digits are
 * 0.56–0.78 em (its AFM metrics), a code's hyphens and dots less. Renderers set text in their own
 * fonts (ZPL's font 0 is narrower still), so the layout estimates rather than measures.
 */
const TEXT_EM_PER_CHARACTER = 0.72;
const MIN_TEXT_PT = 4;

/** The size a line is set in: its template size, or smaller so it fits the item's `width`. */
export function fittedTextSize(text: string, size: number, width: number | undefined): number {
  if (width === undefined || text.length === 0) return size;
  const fitting = width / (text.length * TEXT_EM_PER_CHARACTER * ptToMm(1));
  return Math.max(MIN_TEXT_PT, Math.min(size, Math.floor(fitting * 10) / 10));
}

export type Symbology = 'gs1-128' | 'gs1-datamatrix' | 'qrcode';

export type PlacedItem =
  | { kind: 'text'; x: number; y: number; width: number | null; text: string; size: number; bold: boolean }
  /** A filled rectangle when `border` is null, else a frame of that thickness. */
  | { kind: 'rect'; x: number; y: number; width: number; height: number; border: number | null }
  | {
      kind: 'symbol';
      symbology: Symbology;
      x: number;
      y: number;
      width: number;
      height: number;
      /** The X-dimension of a GS1-128 symbol (its width is `width` / `module`); null for 2D symbols. */
      module: number | null;
      elements: Gs1Element[];
      /** A QR code's Digital Link URI; for GS1 symbols, the same elements in bracketed form. */
      content: string;
    };

export interface LabelLayout {
  template: string;
  width: number;
  height: number;
  items: PlacedItem[];
}

export interface LayoutOptions {
  /** A printer's dot pitch in mm: GS1-128 X-dimensions become whole dots, as ZPL's ^BY takes them. */
  dotMm?: number;
}

interface Problems {
  missing: Map<string, string>;
  invalid: string[];
}

/** Lays the label out, or throws one `invalid` DomainError naming everything the data lacks. */
export function layoutLabel(
  template: LabelTemplate,
  data: LabelData,
  options: LayoutOptions = {},
): LabelLayout {
  const problems: Problems = { missing: new Map(), invalid: [] };
  const elementsOf = new Map<LabelItem, Gs1Element[]>();
  for (const item of template.items) {
    if (!('elements' in item)) continue;
    const { elements, missing } = labelElements(item.elements, data);
    for (const gap of missing) problems.missing.set(gap.fields[0] ?? '', describeMissing(gap));
    elementsOf.set(item, elements);
  }
  if (problems.missing.size === 0) checkElements([...elementsOf.values()].flat(), problems);
  // GS1 General Specifications §5.12: GS1-128 on a logistic label is at least 31.75 mm high.
  const minBarHeight = template.kind === 'pallet_sscc' ? GS1_LOGISTIC_BAR_HEIGHT_MM : MIN_BAR_HEIGHT_MM;
  const items = template.items.flatMap((item) =>
    place(item, data, elementsOf.get(item) ?? [], { ...options, minBarHeight }, problems),
  );
  if (problems.missing.size > 0 || problems.invalid.length > 0) {
    const missing = [...problems.missing.values()];
    const sentences = [
      ...(missing.length > 0 ? [`The ${template.name} label needs ${missing.join('; ')}.`] : []),
      ...problems.invalid,
    ];
    throw new DomainError(
      'invalid',
      sentences.join(' '),
      Object.fromEntries(
        [...problems.missing.keys()].map((field) => [field, 'Required by the label template']),
      ),
    );
  }
  return { template: template.key, width: template.width, height: template.height, items };
}

/**
 * The label's elements checked as GS1 data, all symbols together: values, check digits, and the
 * combination rules, which hold for the label as a whole ((37) on a pallet label goes with the
 * (00) in the symbol below it and the (02) in the one above).
 */
function checkElements(elements: Gs1Element[], problems: Problems): void {
  const distinct = [
    ...new Map(elements.map((element) => [`${element.ai}=${element.value}`, element])).values(),
  ];
  const parsed = parseGs1(bracketedString(distinct, { escape: 'backslash' }));
  for (const error of parsed.errors) {
    const source = error.ai === undefined ? undefined : aiSources[error.ai as keyof typeof aiSources];
    problems.invalid.push(`${source ? `${source.field}: ` : ''}${error.message}.`);
  }
}

type PlaceOptions = LayoutOptions & { minBarHeight: number };

function place(
  item: LabelItem,
  data: LabelData,
  elements: Gs1Element[],
  options: PlaceOptions,
  problems: Problems,
): PlacedItem[] {
  switch (item.type) {
    case 'text': {
      const filled = fillPlaceholders(item.text, data);
      if (filled.missing.length > 0) {
        if (!item.optional)
          for (const path of filled.missing)
            if (!problems.missing.has(path)) problems.missing.set(path, path);
        return [];
      }
      return [
        {
          kind: 'text',
          x: item.x,
          y: item.y,
          width: null,
          text: filled.text,
          size: fittedTextSize(filled.text, item.size, item.width),
          bold: item.bold,
        },
      ];
    }
    case 'line': {
      const horizontal = item.direction === 'horizontal';
      const [width, height] = horizontal ? [item.length, item.thickness] : [item.thickness, item.length];
      return [{ kind: 'rect', x: item.x, y: item.y, width, height, border: null }];
    }
    case 'box':
      return [
        {
          kind: 'rect',
          x: item.x,
          y: item.y,
          width: item.width,
          height: item.height,
          border: item.thickness,
        },
      ];
    case 'gs1_128':
      return elements.length === 0 ? [] : placeGs1_128(item, elements, options, problems);
    case 'gs1_datamatrix':
    case 'digital_link_qr': {
      if (elements.length === 0) return [];
      let content = bracketedString(elements);
      if (item.type === 'digital_link_qr') {
        try {
          content = digitalLinkUri(elements, data.digitalLinkBase ? { base: data.digitalLinkBase } : {});
        } catch (error) {
          if (!(error instanceof RangeError)) throw error;
          problems.invalid.push(`${error.message}.`);
          return [];
        }
      }
      const symbology = item.type === 'digital_link_qr' ? 'qrcode' : 'gs1-datamatrix';
      return [
        {
          kind: 'symbol',
          symbology,
          x: item.x,
          y: item.y,
          width: item.size,
          height: item.size,
          module: null,
          elements,
          content,
        },
      ];
    }
  }
}

/**
 * Splits the elements over as few GS1-128 symbols as hold them — at most 48 data characters each,
 * and no wider than the box at the smallest X-dimension with its quiet zones — stacked in the box,
 * each with its human-readable line under it.
 */
function placeGs1_128(
  item: Extract<LabelItem, { type: 'gs1_128' }>,
  elements: Gs1Element[],
  options: PlaceOptions,
  problems: Problems,
): PlacedItem[] {
  const minX = options.dotMm
    ? Math.ceil(GS1_128_MIN_X / options.dotMm - 1e-9) * options.dotMm
    : GS1_128_MIN_X;
  const fits = (group: Gs1Element[]) =>
    gs1_128DataCharacters(group) <= GS1_128_MAX_DATA_CHARACTERS &&
    (gs1_128Modules(group) + 2 * GS1_128_QUIET_MODULES) * minX <= item.width + 1e-9;
  const ordered = [
    ...elements.filter((element) => hasPredefinedLength(element.ai)),
    ...elements.filter((element) => !hasPredefinedLength(element.ai)),
  ];
  const symbols: Gs1Element[][] = [];
  for (const element of ordered) {
    const current = symbols.at(-1);
    if (current && fits([...current, element])) current.push(element);
    else if (fits([element])) symbols.push([element]);
    else {
      problems.invalid.push(
        `(${element.ai}) ${element.value} does not fit a GS1-128 symbol ${item.width} mm wide.`,
      );
      return [];
    }
  }
  if (symbols.length > item.maxSymbols) {
    problems.invalid.push(
      `${bracketedString(elements)} needs ${symbols.length} GS1-128 symbols; the template has room for ${item.maxSymbols}.`,
    );
    return [];
  }
  const slot = item.height / symbols.length;
  const hriHeight = ptToMm(HRI_SIZE_PT);
  const barHeight = slot - HRI_GAP_MM - hriHeight - HRI_GAP_MM;
  if (barHeight < options.minBarHeight - 1e-9) {
    problems.invalid.push(
      `${symbols.length} GS1-128 symbols do not fit a box ${item.height} mm high with bars of ${options.minBarHeight} mm.`,
    );
    return [];
  }
  return symbols.flatMap((group, index): PlacedItem[] => {
    const modules = gs1_128Modules(group);
    let module = Math.min(GS1_128_MAX_X, item.width / (modules + 2 * GS1_128_QUIET_MODULES));
    if (options.dotMm) module = Math.max(minX, Math.floor(module / options.dotMm + 1e-9) * options.dotMm);
    const width = modules * module;
    const x = item.x + (item.width - width) / 2;
    const y = item.y + index * slot;
    const content = bracketedString(group);
    return [
      {
        kind: 'symbol',
        symbology: 'gs1-128',
        x,
        y,
        width,
        height: barHeight,
        module,
        elements: group,
        content,
      },
      {
        kind: 'text',
        x: item.x,
        y: y + barHeight + HRI_GAP_MM,
        width: item.width,
        text: content,
        size: HRI_SIZE_PT,
        bold: false,
      },
    ];
  });
}
