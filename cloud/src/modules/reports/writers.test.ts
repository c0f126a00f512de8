import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { csvWriter } from './csv-writer.js';
import type { ColumnSpec } from './definition.js';
import { cellText, pdfWriter } from './pdf-writer.js';
import { RowCapError } from './writers.js';
import { xlsxWriter } from './xlsx-writer.js';

/*
 * The formats' edges (docs/reports.md, "Formats"): CSV neutralises cells a spreadsheet would run as
 * formulas and writes "no data" as an empty cell; XLSX refuses more rows than its cap with a message
 * that points to CSV; the PDF table formats percentages, durations and instants.
 */

const columns: ColumnSpec[] = [
  { key: 'name', label: 'Name', type: 'text' },
  { key: 'oee', label: 'OEE', type: 'percent', unit: '%', decimals: 1 },
];
const meta = {
  title: 'Test',
  parameterLines: [],
  generatedAt: new Date(0),
  chart: { kind: 'none' as const, y: [] },
};

describe('report writers', () => {
  it('writes CSV with a BOM, fractions as computed, empty "no data", and formulas defused', async () => {
    const out = new PassThrough();
    const written = buffer(out);
    const writer = csvWriter({ columns, meta, out });
    await writer.write([
      ['=HYPERLINK("x")', 0.8125],
      ['M2', null],
    ]);
    await writer.end();
    expect((await written).toString('utf8')).toBe(
      '\uFEFFName,OEE (0–1)\n"\'=HYPERLINK(""x"")",0.8125\nM2,\n',
    );
  });

  it('refuses an XLSX past its row cap and says to run it as CSV', async () => {
    const out = new PassThrough();
    out.resume();
    const writer = await xlsxWriter({ columns, meta, out, rowCap: 3 });
    await writer.write([
      ['a', 0.1],
      ['b', 0.2],
      ['c', 0.3],
    ]);
    const refused = writer.write([['d', 0.4]]);
    await expect(refused).rejects.toBeInstanceOf(RowCapError);
    await expect(refused).rejects.toThrow(/run it as CSV, which has no row cap/);
  });

  it('formats PDF cells by column type', () => {
    expect(cellText(columns[1]!, 0.81256)).toBe('81.3 %');
    expect(cellText(columns[1]!, null)).toBe('–');
    expect(cellText({ key: 't', label: 'T', type: 'datetime' }, '2026-03-29T06:00:00.000Z')).toBe(
      '2026-03-29 06:00',
    );
    expect(cellText({ key: 'd', label: 'D', type: 'duration', decimals: 1 }, 90)).toBe('90.0');
    expect(cellText({ key: 'n', label: 'N', type: 'text' }, 'Straße ✓')).toBe('Straße ?');
  });

  it('charts only the rows with values, and says when it charted the first 40 of them', async () => {
    const out = new PassThrough();
    const written = buffer(out);
    const writer = pdfWriter({
      columns,
      meta: { ...meta, chart: { kind: 'bars' as const, x: 'name', y: ['oee'] } },
      out,
    });
    // A week whose first rows are before the data, then 50 rows with values.
    await writer.write([
      ...Array.from({ length: 30 }, (_, n) => [`empty ${n}`, null] as const),
      ...Array.from({ length: 50 }, (_, n) => [`M${n}`, 0.5] as const),
    ]);
    await writer.end();
    const file = join(await mkdtemp(join(tmpdir(), 'plantline-chart-')), 'chart.pdf');
    await writeFile(file, await written);
    const { stdout } = await promisify(execFile)('pdftotext', ['-f', '1', '-l', '1', file, '-']);
    expect(stdout).toContain('The first 40 of 50 rows with values; the table has them all');
  });

  it('wraps a long column header in the PDF table instead of cutting it', async () => {
    const out = new PassThrough();
    const written = buffer(out);
    const narrow = Array.from({ length: 11 }, (_, n) => ({
      key: `c${n}`,
      label: n === 3 ? 'Availability after planned downtime' : `Col ${n}`,
      type: 'percent' as const,
      decimals: 1,
    }));
    const writer = pdfWriter({ columns: narrow, meta, out });
    await writer.write([narrow.map(() => 0.5)]);
    await writer.end();
    const file = join(await mkdtemp(join(tmpdir(), 'plantline-header-')), 'header.pdf');
    await writeFile(file, await written);
    const { stdout } = await promisify(execFile)('pdftotext', ['-f', '1', '-l', '1', file, '-']);
    // Every word of the header is on the page, on lines of its own, and none is cut.
    for (const word of ['Availability', 'after', 'planned', 'downtime']) expect(stdout).toContain(word);
    expect(stdout).not.toContain('…');
  });

  it('names the group under chart labels that repeat, such as each machine once per line and shift', async () => {
    const out = new PassThrough();
    const written = buffer(out);
    const shiftColumns = [
      { key: 'period', label: 'Period', type: 'text' as const },
      { key: 'shift', label: 'Shift', type: 'text' as const },
      { key: 'line', label: 'Line', type: 'text' as const },
      { key: 'machine', label: 'Machine', type: 'text' as const },
      { key: 'oee', label: 'OEE', type: 'percent' as const, decimals: 1 },
    ];
    const writer = pdfWriter({
      columns: shiftColumns,
      meta: { ...meta, chart: { kind: 'bars' as const, x: 'machine', y: ['oee'] } },
      out,
    });
    await writer.write(
      ['Early', 'Late'].flatMap((shift) =>
        ['L1', 'L2'].flatMap((line) =>
          ['M1', 'M2'].map((m) => [`03-12 ${shift}`, shift, line, m, 0.6] as const),
        ),
      ),
    );
    await writer.end();
    const file = join(await mkdtemp(join(tmpdir(), 'plantline-groups-')), 'groups.pdf');
    await writeFile(file, await written);
    const { stdout } = await promisify(execFile)('pdftotext', ['-f', '1', '-l', '1', '-layout', file, '-']);
    // The chart's own text, above the table (whose header starts with "Period"). The shift column
    // adds nothing the period does not say, so the group is the period and the line.
    const chart = stdout.slice(0, stdout.indexOf('Period'));
    expect(chart.match(/M1/g)).toHaveLength(4);
    expect(chart).toMatch(
      /03-12 Early · L1[\s\S]*03-12 Early · L2[\s\S]*03-12 Late · L1[\s\S]*03-12 Late · L2/,
    );
  });
});
