import { elementString } from '@plantline/schema/gs1';
import { DomainError } from '../../platform/index.js';
import { type LabelLayout, ptToMm } from './layout.js';
import { type DrawnSymbol, QR_ERROR_CORRECTION, QUIET_MODULES } from './symbols.js';

/*
 * The label in ZPL II for Zebra printers (docs/labels.md, "ZPL"). The printer draws the barcodes
 * itself from their data, so a symbol is as sharp as the printhead allows: GS1-128 with ^BC in mode D
 * (the printer reads the AIs in parentheses, starts with FNC1 and puts FNC1 after variable-length
 * elements), GS1 DataMatrix with ^BX at ECC 200 with `_` declared as its escape character and `_1` for
 * FNC1, the Digital Link QR with ^BQ. Text is font 0, lines and frames ^GB. Positions come from the
 * layout's millimetres at the printer's dots per mm.
 */

/** Zebra printheads: 203 dpi is 8 dots/mm, 300 dpi 12, 600 dpi 24. */
export const zplDensities = { 203: 8, 300: 12, 600: 24 } as const;
export type ZplDensity = keyof typeof zplDensities;

/** Field data goes through ^FH: `_` then two hex digits stands for a byte, so ^, ~ and _ print as text. */
const fieldText = (text: string) =>
  text.replace(/[\^~_]/g, (char) => `_${char.charCodeAt(0).toString(16).toUpperCase()}`);

/** Mode D strips parentheses and reads `>` as a code set switch: such a value cannot go through it. */
const MODE_D_UNSAFE = /[()>]/;

export function labelZpl(
  layout: LabelLayout,
  symbols: readonly DrawnSymbol[],
  density: ZplDensity,
  options: { copies?: number } = {},
): string {
  const perMm = zplDensities[density];
  const dots = (mm: number) => Math.round(mm * perMm);
  const drawn = new Map(symbols.map((entry) => [entry.symbol, entry]));
  const lines = ['^XA', '^CI28', `^PW${dots(layout.width)}`, `^LL${dots(layout.height)}`, '^LH0,0'];
  for (const item of layout.items) {
    switch (item.kind) {
      case 'text': {
        const height = dots(ptToMm(item.size));
        // Font 0 has no bold face: a bold line is a slightly wider font of the same height.
        const width = item.bold ? Math.round(height * 1.1) : height;
        const block = item.width === null ? '' : `^FB${dots(item.width)},1,0,C,0`;
        lines.push(
          `^FO${dots(item.x)},${dots(item.y)}${block}^A0N,${height},${width}^FH^FD${fieldText(item.text)}^FS`,
        );
        break;
      }
      case 'rect': {
        const thickness =
          item.border === null ? Math.min(dots(item.width), dots(item.height)) : dots(item.border);
        lines.push(
          `^FO${dots(item.x)},${dots(item.y)}^GB${dots(item.width)},${dots(item.height)},${Math.max(1, thickness)}^FS`,
        );
        break;
      }
      case 'symbol': {
        const entry = drawn.get(item);
        if (!entry) throw new Error('a symbol of the layout was not drawn');
        lines.push(symbolZpl(entry, perMm, dots));
        break;
      }
    }
  }
  // ^PQ: how many of this format to print (ZPL II Programming Guide, ^PQ); without it, one.
  const { copies } = options;
  if (copies !== undefined) {
    if (!Number.isInteger(copies) || copies < 1 || copies > 99_999_999)
      throw new RangeError(`Copies are a whole number from 1, not ${copies}`);
    lines.push(`^PQ${copies}`);
  }
  lines.push('^XZ');
  return `${lines.join('\n')}\n`;
}

function symbolZpl({ symbol, modules }: DrawnSymbol, perMm: number, dots: (mm: number) => number): string {
  if (symbol.symbology === 'gs1-128') {
    const bad = symbol.elements.find((element) => MODE_D_UNSAFE.test(element.value));
    if (bad)
      throw new DomainError('invalid', `(${bad.ai}) ${bad.value}: ZPL's GS1-128 cannot carry (, ) or >.`);
    const module = Math.round((symbol.module ?? 0) * perMm);
    // Whole dots, rounded up: the printed bars are never lower than the layout's (a logistic label's
    // 31.75 mm minimum, docs/labels.md).
    const barHeight = Math.ceil(symbol.height * perMm - 1e-9);
    return `^FO${dots(symbol.x)},${dots(symbol.y)}^BY${module}^BCN,${barHeight},N,N,N,D^FD${symbol.content}^FS`;
  }
  const quiet = QUIET_MODULES[symbol.symbology];
  const module = Math.floor((symbol.width * perMm) / (modules + 2 * quiet));
  if (module < 1)
    throw new DomainError(
      'invalid',
      `A ${symbol.width} mm square is too small for this ${symbol.symbology}.`,
    );
  const offset = (symbol.width * perMm - modules * module) / 2;
  const origin = `^FO${Math.round(symbol.x * perMm + offset)},${Math.round(symbol.y * perMm + offset)}`;
  if (symbol.symbology === 'gs1-datamatrix') {
    // `_` doubles inside values; `_1` first makes it GS1 DataMatrix, `_1` between elements is FNC1.
    const escaped = symbol.elements.map(({ ai, value }) => ({ ai, value: value.replaceAll('_', '__') }));
    return `${origin}^BXN,${module},200,0,0,6,_,1^FD_1${elementString(escaped, { separator: '_1' })}^FS`;
  }
  // ^BQ draws modules of at most 10 dots; the data is "<error correction>A,<text>" (A: automatic mode).
  return `${origin}^BQN,2,${Math.min(10, module)}^FH^FD${QR_ERROR_CORRECTION}A,${fieldText(symbol.content)}^FS`;
}
