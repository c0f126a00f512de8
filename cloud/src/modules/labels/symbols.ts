import { bracketedString } from '@plantline/schema/gs1';
import type { BarcodePool, BarcodeRequest } from './barcode-pool.js';
import { bwipShapes, type SymbolShapes } from './bwip-shapes.js';
import type { LabelLayout, PlacedItem, Symbology } from './layout.js';

export type PlacedSymbol = Extract<PlacedItem, { kind: 'symbol' }>;

/** Quiet zones in modules: GS1 DataMatrix one (ISO/IEC 16022), QR Code four (ISO/IEC 18004). */
export const QUIET_MODULES: Record<Exclude<Symbology, 'gs1-128'>, number> = {
  'gs1-datamatrix': 1,
  qrcode: 4,
};

/** bwip-js draws a linear module one unit wide at scale 1, a 2D module two. */
const UNITS_PER_MODULE: Record<Symbology, number> = { 'gs1-128': 1, 'gs1-datamatrix': 2, qrcode: 2 };

/** Error correction of the Digital Link QR: M, the level GS1 recommends for it on packaging. */
export const QR_ERROR_CORRECTION = 'M';

export function barcodeRequest(symbol: PlacedSymbol): BarcodeRequest {
  switch (symbol.symbology) {
    case 'gs1-128':
      return {
        bcid: 'gs1-128',
        text: bracketedString(symbol.elements, { escape: 'bwipp' }),
        parse: true,
        scale: 1,
        height: 10,
      };
    case 'gs1-datamatrix':
      return {
        bcid: 'gs1datamatrix',
        text: bracketedString(symbol.elements, { escape: 'bwipp' }),
        parse: true,
        scale: 1,
      };
    case 'qrcode':
      return { bcid: 'qrcode', text: symbol.content, eclevel: QR_ERROR_CORRECTION, scale: 1 };
  }
}

export interface DrawnSymbol {
  symbol: PlacedSymbol;
  shapes: SymbolShapes;
  /** Modules across the symbol, quiet zone not included. */
  modules: number;
}

/** Every symbol of the layout drawn by the pool, in the layout's order. */
export async function drawSymbols(pool: BarcodePool, layout: LabelLayout): Promise<DrawnSymbol[]> {
  const symbols = layout.items.filter((item): item is PlacedSymbol => item.kind === 'symbol');
  return Promise.all(
    symbols.map(async (symbol) => {
      const shapes = bwipShapes(await pool.render(barcodeRequest(symbol)));
      return { symbol, shapes, modules: shapes.width / UNITS_PER_MODULE[symbol.symbology] };
    }),
  );
}

export interface SymbolFrame {
  x: number;
  y: number;
  /** mm per bwip-js unit, across and down. */
  scaleX: number;
  scaleY: number;
}

/**
 * Where a drawn symbol's shapes go on the label, in mm. A GS1-128 symbol fills the place the layout
 * gave it (its width is its modules at the chosen X-dimension); a 2D symbol is centred in its square
 * with its quiet zone around it.
 */
export function symbolFrame({ symbol, shapes, modules }: DrawnSymbol): SymbolFrame {
  if (symbol.symbology === 'gs1-128') {
    return {
      x: symbol.x,
      y: symbol.y,
      scaleX: symbol.width / shapes.width,
      scaleY: symbol.height / shapes.height,
    };
  }
  const module = symbol.width / (modules + 2 * QUIET_MODULES[symbol.symbology]);
  const side = modules * module;
  const scale = side / shapes.width;
  return {
    x: symbol.x + (symbol.width - side) / 2,
    y: symbol.y + (symbol.height - side) / 2,
    scaleX: scale,
    scaleY: scale,
  };
}
