import { loadPdfKit } from '../../platform/index.js';
import type { LabelLayout } from './layout.js';
import { type DrawnSymbol, symbolFrame } from './symbols.js';

/*
 * The label as a one-page PDF of its own size, for office printers and archives. Everything is
 * vector: text in the standard Helvetica fonts, barcodes as bwip-js's filled outlines, so a symbol
 * prints at the printer's full resolution and its bars keep their widths.
 */

const PT_PER_MM = 72 / 25.4;

/** The standard PDF fonts encode WinAnsi only; other characters would print as something else. */
const winAnsi = (text: string) =>
  text.replace(/[^\u0020-\u007e\u00a0-\u00ff€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]/g, '?');

/** The page as a PDF; `compress: false` leaves the content streams readable (tests read them). */
export async function labelPdf(
  layout: LabelLayout,
  symbols: readonly DrawnSymbol[],
  options: { compress?: boolean; title?: string } = {},
): Promise<Buffer> {
  const PDFDocument = await loadPdfKit();
  const doc = new PDFDocument({
    size: [layout.width * PT_PER_MM, layout.height * PT_PER_MM],
    margin: 0,
    compress: options.compress ?? true,
    info: { Title: winAnsi(options.title ?? `Label ${layout.template}`), Creator: 'Plantline' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const drawn = new Map(symbols.map((entry) => [entry.symbol, entry]));
  // Millimetres from here on: one user unit is one mm, as in the layout.
  doc.scale(PT_PER_MM);
  for (const item of layout.items) {
    switch (item.kind) {
      case 'text':
        doc
          .font(item.bold ? 'Helvetica-Bold' : 'Helvetica')
          .fontSize(item.size / PT_PER_MM)
          .fillColor('#000')
          .text(winAnsi(item.text), item.x, item.y, {
            lineBreak: false,
            ...(item.width === null ? {} : { width: item.width, align: 'center' }),
          });
        break;
      case 'rect':
        if (item.border === null) doc.rect(item.x, item.y, item.width, item.height).fill('#000');
        else {
          const inset = item.border / 2;
          doc
            .lineWidth(item.border)
            .rect(item.x + inset, item.y + inset, item.width - item.border, item.height - item.border)
            .stroke('#000');
        }
        break;
      case 'symbol': {
        const entry = drawn.get(item);
        if (!entry) throw new Error('a symbol of the layout was not drawn');
        const frame = symbolFrame(entry);
        doc.save().translate(frame.x, frame.y).scale(frame.scaleX, frame.scaleY);
        for (const d of entry.shapes.fills) doc.path(d).fill('#000');
        doc.restore();
        break;
      }
    }
  }
  doc.end();
  return done;
}
