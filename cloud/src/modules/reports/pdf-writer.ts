import { loadPdfKit } from '../../platform/index.js';
import type { ColumnSpec } from './definition.js';
import { drawChart } from './pdf-chart.js';
import type { Cell } from './sources.js';
import { headerOf, type ReportWriter, RowCapError, type WriterInput } from './writers.js';

/*
 * A data PDF (docs/reports.md, "Formats"): drawn from the rows, not a screenshot — the title, the
 * parameters as resolved (with the plant's time zone named), a chart for KPI reports as vectors, the
 * table with the columns' formats, the tenant's logo or else the mark, the generation time and page
 * numbers. Text is in the
 * standard Helvetica fonts. A table past PDF_ROW_CAP rows is not a document anyone reads: such a
 * run fails and says to choose XLSX or CSV.
 */

export const PDF_ROW_CAP = 5_000;

const PAGE = { width: 841.89, height: 595.28 };
const MARGIN = 36;
const ROW_HEIGHT = 13;
/** The most lines a table column's header wraps onto before it is cut with an ellipsis. */
const HEADER_LINES = 4;

/** The standard PDF fonts encode WinAnsi only; other characters would print as something else. */
export const winAnsi = (text: string) =>
  text.replace(/[^\u0020-\u007e\u00a0-\u00ff€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]/g, '?');

/** A cell as the table shows it: percentages ×100 with their decimals, instants as UTC minutes. */
export function cellText(column: ColumnSpec, cell: Cell): string {
  if (cell === null || cell === '') return column.type === 'text' ? '' : '–';
  if (typeof cell === 'number') {
    if (column.type === 'percent') return `${(cell * 100).toFixed(column.decimals ?? 1)} %`;
    if (column.type === 'integer') return String(Math.round(cell));
    return cell.toFixed(column.decimals ?? (Number.isInteger(cell) ? 0 : 2));
  }
  if (column.type === 'datetime' && typeof cell === 'string') return cell.replace('T', ' ').slice(0, 16);
  return winAnsi(String(cell));
}

/** The Plantline mark, as vectors: a rounded square with a rising line. */
function drawMark(doc: PDFKit.PDFDocument, x: number, y: number, size: number) {
  doc.save();
  doc.roundedRect(x, y, size, size, size * 0.18).fill('#1f4e79');
  doc
    .moveTo(x + size * 0.2, y + size * 0.72)
    .lineTo(x + size * 0.42, y + size * 0.48)
    .lineTo(x + size * 0.58, y + size * 0.6)
    .lineTo(x + size * 0.8, y + size * 0.3)
    .lineWidth(size * 0.09)
    .strokeColor('#ffffff')
    .stroke();
  doc.restore();
}

/** The box the tenant's logo is scaled into, keeping its aspect ratio: wide logos are common. */
export const LOGO_BOX = { width: 144, height: 32 };

/** Draws the logo at the top left, fitted to LOGO_BOX; returns the width it took. */
function drawLogo(doc: PDFKit.PDFDocument, logo: Buffer, x: number, y: number): number {
  const image = (doc as unknown as { openImage(src: Buffer): { width: number; height: number } }).openImage(
    logo,
  );
  const scale = Math.min(LOGO_BOX.width / image.width, LOGO_BOX.height / image.height);
  const width = image.width * scale;
  const height = image.height * scale;
  doc.image(image as never, x, y + (LOGO_BOX.height - height) / 2, { width, height });
  return width;
}

export function pdfWriter({ columns, meta, out }: WriterInput): ReportWriter {
  const rows: (readonly Cell[])[] = [];
  return {
    async write(batch) {
      if (rows.length + batch.length > PDF_ROW_CAP) {
        throw new RowCapError(
          `The result has more than ${PDF_ROW_CAP.toLocaleString('en')} rows, more than a PDF table is read; run it as XLSX or CSV`,
        );
      }
      rows.push(...batch);
    },
    async end() {
      const PDFDocument = await loadPdfKit();
      const doc = new PDFDocument({
        size: [PAGE.width, PAGE.height],
        margin: MARGIN,
        bufferPages: true,
        info: { Title: winAnsi(meta.title), Creator: 'Plantline' },
      });
      const done = new Promise<void>((resolve, reject) => {
        out.on('finish', resolve);
        out.on('error', reject);
        doc.on('error', reject);
      });
      doc.pipe(out);
      let titleX = MARGIN + 38;
      if (meta.logo) titleX = MARGIN + drawLogo(doc, meta.logo, MARGIN, MARGIN - 2) + 10;
      else drawMark(doc, MARGIN, MARGIN, 28);
      doc
        .font('Helvetica-Bold')
        .fontSize(16)
        .fillColor('#000')
        .text(winAnsi(meta.title), titleX, MARGIN + 6);
      doc.font('Helvetica').fontSize(8).fillColor('#444');
      let y = MARGIN + 40;
      for (const line of meta.parameterLines) {
        doc.text(winAnsi(line), MARGIN, y, { width: PAGE.width - 2 * MARGIN });
        y += 11;
      }
      doc.text(`Generated ${meta.generatedAt.toISOString().replace('T', ' ').slice(0, 19)} UTC`, MARGIN, y);
      y += 18;
      if (meta.chart.kind !== 'none' && rows.length > 0) {
        y = drawChart(doc, {
          columns,
          rows,
          chart: meta.chart,
          x: MARGIN,
          y,
          width: PAGE.width - 2 * MARGIN,
          height: 180,
        });
        y += 14;
      }
      drawTable(doc, columns, rows, y);
      const range = doc.bufferedPageRange();
      for (let i = range.start; i < range.start + range.count; i++) {
        doc.switchToPage(i);
        doc.font('Helvetica').fontSize(7).fillColor('#666');
        doc.text(
          `${winAnsi(meta.title)} · Page ${i + 1} of ${range.count}`,
          MARGIN,
          PAGE.height - MARGIN + 10,
          { width: PAGE.width - 2 * MARGIN, align: 'right', lineBreak: false },
        );
      }
      doc.end();
      await done;
    },
  };
}

function drawTable(
  doc: PDFKit.PDFDocument,
  columns: readonly ColumnSpec[],
  rows: readonly (readonly Cell[])[],
  top: number,
) {
  const width = PAGE.width - 2 * MARGIN;
  doc.font('Helvetica-Bold').fontSize(7);
  const headerTexts = columns.map((c) => winAnsi(headerOf(c, 'table')));
  const widths = columnWidths(
    width,
    columns.map((c) => (c.type === 'text' ? 2 : 1)),
    // A header wraps between words, never inside one: each column is at least its longest word wide
    // (measured with the space after it, as the line wrapper measures words) plus the cell's padding.
    headerTexts.map(
      (text) => Math.max(...text.split(/\s+/).map((word) => doc.widthOfString(`${word} `))) + 5,
    ),
  );
  const right = (c: ColumnSpec) => c.type !== 'text' && c.type !== 'datetime' && c.type !== 'date';
  // A column's header wraps onto up to four lines rather than losing its end ("Availab…"): a
  // narrow number column under a long label is common (OEE by shift has eleven columns).
  // Measured once in the header's font; every page repeats the same header.
  const textHeight = Math.min(
    HEADER_LINES * doc.currentLineHeight(true),
    Math.max(...headerTexts.map((text, i) => doc.heightOfString(text, { width: (widths[i] ?? 0) - 4 }))),
  );
  const height = Math.max(ROW_HEIGHT - 3, textHeight) + 7;
  const header = (y: number) => {
    doc.font('Helvetica-Bold').fontSize(7);
    doc.rect(MARGIN, y, width, height).fill('#e8eef5');
    doc.fillColor('#000');
    let x = MARGIN;
    columns.forEach((c, i) => {
      const w = widths[i] ?? 0;
      doc.text(headerTexts[i] ?? '', x + 2, y + 3, {
        width: w - 4,
        height: textHeight,
        ellipsis: true,
        align: right(c) ? 'right' : 'left',
      });
      x += w;
    });
    return y + height;
  };
  let y = header(top);
  doc.font('Helvetica').fontSize(7);
  if (rows.length === 0) {
    doc.fillColor('#444').text('No rows for these parameters.', MARGIN + 2, y + 3);
    return;
  }
  rows.forEach((row, r) => {
    if (y + ROW_HEIGHT > PAGE.height - MARGIN) {
      doc.addPage();
      y = header(MARGIN);
      doc.font('Helvetica').fontSize(7);
    }
    if (r % 2 === 1) doc.rect(MARGIN, y, width, ROW_HEIGHT).fill('#f6f6f6');
    doc.fillColor('#000');
    let x = MARGIN;
    columns.forEach((c, i) => {
      const w = widths[i] ?? 0;
      doc.text(cellText(c, row[i] ?? null), x + 2, y + 3, {
        width: w - 4,
        height: ROW_HEIGHT,
        ellipsis: true,
        lineBreak: false,
        align: right(c) ? 'right' : 'left',
      });
      x += w;
    });
    y += ROW_HEIGHT;
  });
}

/**
 * `total` shared by `weights`, each column at least its `minimum`: columns whose share falls short get
 * their minimum, and the rest share what is left, until every share suffices (or nothing is left).
 */
function columnWidths(total: number, weights: readonly number[], minimum: readonly number[]): number[] {
  const fixed = new Map<number, number>();
  for (;;) {
    const left = total - [...fixed.values()].reduce((a, b) => a + b, 0);
    const free = weights.map((w, i) => (fixed.has(i) ? 0 : w));
    const sum = free.reduce((a, b) => a + b, 0);
    const share = (i: number) => fixed.get(i) ?? (sum > 0 ? (free[i]! / sum) * Math.max(0, left) : 0);
    const short = weights.findIndex((_, i) => !fixed.has(i) && share(i) < (minimum[i] ?? 0));
    if (short < 0 || sum === 0) return weights.map((_, i) => share(i));
    fixed.set(short, minimum[short] ?? 0);
  }
}
