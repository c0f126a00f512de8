import type { CellValue } from 'exceljs';
import { loadExcelJs } from '../../platform/index.js';
import type { ColumnSpec } from './definition.js';
import type { Cell } from './sources.js';
import { headerOf, type ReportWriter, RowCapError, type WriterInput } from './writers.js';

/*
 * XLSX with exceljs's streaming writer (docs/reports.md, "Formats"): each row is committed and
 * leaves memory as it is written. Shared strings are off — the shared-string table would hold every
 * distinct text until the end — and still the writer keeps per-row bookkeeping, so a sheet is capped
 * at XLSX_ROW_CAP rows: a larger result fails with a message pointing to CSV, which has no cap.
 * Numbers stay numbers with a display format (percentages as 0.0 %), instants are dates in UTC.
 */

export const XLSX_ROW_CAP = 200_000;

export const xlsxCapMessage = (rows: string, cap = XLSX_ROW_CAP) =>
  `The result has ${rows} rows, more than an XLSX report holds (${cap.toLocaleString('en')}); run it as CSV, which has no row cap`;

function numFmt(column: ColumnSpec): string | undefined {
  const decimals = column.decimals ?? 0;
  const fraction = decimals > 0 ? `.${'0'.repeat(decimals)}` : '';
  switch (column.type) {
    case 'percent':
      return `0${fraction}%`;
    case 'duration':
    case 'number':
      return decimals > 0 ? `0${fraction}` : undefined;
    case 'integer':
      return '0';
    case 'datetime':
      return 'yyyy-mm-dd hh:mm:ss';
    default:
      return undefined;
  }
}

function value(column: ColumnSpec, cell: Cell): CellValue {
  if (cell === null) return null;
  if (column.type === 'datetime' && typeof cell === 'string') {
    const ms = Date.parse(cell);
    return Number.isNaN(ms) ? cell : new Date(ms);
  }
  return cell;
}

export async function xlsxWriter({
  columns,
  meta,
  out,
  rowCap = XLSX_ROW_CAP,
}: WriterInput & { rowCap?: number }): Promise<ReportWriter> {
  const ExcelJS = await loadExcelJs();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useSharedStrings: false,
    useStyles: true,
  });
  workbook.creator = 'Plantline';
  workbook.created = meta.generatedAt;
  const sheet = workbook.addWorksheet(meta.title.slice(0, 31).replace(/[\\/?*[\]:]/g, ' '), {
    views: [{ state: 'frozen', ySplit: 1 }],
  });
  sheet.columns = columns.map((c) => {
    const fmt = numFmt(c);
    return {
      header: headerOf(c, 'table'),
      key: c.key,
      width: Math.max(10, Math.min(40, headerOf(c, 'table').length + 2)),
      ...(fmt === undefined ? {} : { style: { numFmt: fmt } }),
    };
  });
  sheet.getRow(1).font = { bold: true };
  let written = 0;
  return {
    async write(rows) {
      if (written + rows.length > rowCap) throw new RowCapError(xlsxCapMessage(`over ${rowCap}`, rowCap));
      for (const row of rows) {
        sheet.addRow(row.map((cell, i) => value(columns[i] as ColumnSpec, cell))).commit();
      }
      written += rows.length;
    },
    async end() {
      sheet.commit();
      await workbook.commit();
    },
  };
}
