/*
 * bwip-js's SVG of one symbol as filled outlines, so the SVG and PDF renderers draw the very same
 * vector shapes: bars come as stroked vertical lines (`M x y1 L x y2` with a stroke width), 2D
 * modules as filled polygons (`M … L … Z`). Nothing is rasterised on the way.
 */

export interface SymbolShapes {
  /** The symbol's extent in bwip-js units (scale 1: one unit per linear module, two per 2D module). */
  width: number;
  height: number;
  /** SVG path data to fill with the nonzero rule, in the same units. */
  fills: string[];
}

const VIEW_BOX = /viewBox="0 0 ([\d.]+) ([\d.]+)"/;
const PATH = /<path ([^>]*?)\/?>/g;
const attribute = (attributes: string, name: string) => new RegExp(`${name}="([^"]*)"`).exec(attributes)?.[1];

export function bwipShapes(svg: string): SymbolShapes {
  const box = VIEW_BOX.exec(svg);
  if (!box) throw new Error('bwip-js drew no viewBox');
  const fills: string[] = [];
  for (const match of svg.matchAll(PATH)) {
    const attributes = match[1] ?? '';
    const d = attribute(attributes, 'd');
    if (d === undefined) continue;
    const stroke = attribute(attributes, 'stroke-width');
    fills.push(stroke === undefined ? checkedPolygons(d) : barsOf(d, Number(stroke)));
  }
  return { width: Number(box[1]), height: Number(box[2]), fills };
}

/** Vertical strokes become rectangles of the stroke's width centred on the line. */
function barsOf(d: string, strokeWidth: number): string {
  const segments = [...d.matchAll(/M([\d.]+) ([\d.]+)L([\d.]+) ([\d.]+)/g)];
  if (segments.length === 0) throw new Error(`unexpected bar path from bwip-js: ${d.slice(0, 40)}`);
  return segments
    .map(([, x1, y1, x2, y2]) => {
      if (x1 !== x2) throw new Error('bwip-js drew a bar that is not vertical');
      const left = Number(x1) - strokeWidth / 2;
      const top = Math.min(Number(y1), Number(y2));
      const height = Math.abs(Number(y2) - Number(y1));
      return `M${left} ${top}h${strokeWidth}v${height}h${-strokeWidth}Z`;
    })
    .join('');
}

function checkedPolygons(d: string): string {
  if (!/^[MLZ\d. -]*$/.test(d)) throw new Error('bwip-js drew a shape other than polygons');
  return d;
}
