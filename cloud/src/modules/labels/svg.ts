import { type LabelLayout, type PlacedItem, ptToMm } from './layout.js';
import { type DrawnSymbol, symbolFrame } from './symbols.js';

/*
 * The label as one SVG document in millimetres, for the screen: a preview before printing and the
 * picture of a printed label. Text uses the fonts of the browser; barcodes are bwip-js's vector shapes.
 */

const escapeXml = (text: string) =>
  text.replace(
    /[<>&"']/g,
    (char) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', '"': 'quot', "'": 'apos' }[char]};`,
  );

const number = (value: number) => Number(value.toFixed(3)).toString();

/** The baseline of a line whose top is `y`: Helvetica's ascender is about 0.77 of the em. */
const baseline = (y: number, sizePt: number) => y + ptToMm(sizePt) * 0.77;

export function labelSvg(layout: LabelLayout, symbols: readonly DrawnSymbol[]): string {
  const drawn = new Map(symbols.map((entry) => [entry.symbol, entry]));
  const parts = layout.items.map((item) => svgItem(item, drawn));
  const { width, height } = layout;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${number(width)}mm" height="${number(height)}mm" viewBox="0 0 ${number(width)} ${number(height)}">`,
    `<rect width="${number(width)}" height="${number(height)}" fill="#fff"/>`,
    '<g fill="#000" font-family="Helvetica, Arial, sans-serif">',
    ...parts,
    '</g>',
    '</svg>',
  ].join('\n');
}

function svgItem(item: PlacedItem, drawn: ReadonlyMap<PlacedItem, DrawnSymbol>): string {
  switch (item.kind) {
    case 'text': {
      const centred = item.width !== null;
      const x = centred ? item.x + (item.width ?? 0) / 2 : item.x;
      return `<text x="${number(x)}" y="${number(baseline(item.y, item.size))}" font-size="${number(ptToMm(item.size))}"${
        item.bold ? ' font-weight="bold"' : ''
      }${centred ? ' text-anchor="middle"' : ''}>${escapeXml(item.text)}</text>`;
    }
    case 'rect':
      if (item.border === null)
        return `<rect x="${number(item.x)}" y="${number(item.y)}" width="${number(item.width)}" height="${number(item.height)}"/>`;
      return `<rect x="${number(item.x + item.border / 2)}" y="${number(item.y + item.border / 2)}" width="${number(
        item.width - item.border,
      )}" height="${number(item.height - item.border)}" fill="none" stroke="#000" stroke-width="${number(item.border)}"/>`;
    case 'symbol': {
      const entry = drawn.get(item);
      if (!entry) throw new Error('a symbol of the layout was not drawn');
      const frame = symbolFrame(entry);
      const paths = entry.shapes.fills.map((d) => `<path d="${d}"/>`).join('');
      return `<g class="symbol" data-symbology="${item.symbology}" data-content="${escapeXml(item.content)}" transform="translate(${number(
        frame.x,
      )} ${number(frame.y)}) scale(${frame.scaleX} ${frame.scaleY})">${paths}</g>`;
    }
  }
}
