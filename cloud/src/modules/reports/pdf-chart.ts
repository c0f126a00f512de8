import type { ColumnSpec, ReportChart } from './definition.js';
import type { Cell } from './sources.js';

/*
 * The chart of a report's PDF, drawn as vectors from the rows (docs/reports.md, "Formats"): grouped
 * bars, a Pareto (bars of the first measure, the cumulative share as a line on a 0–100 % axis on the
 * right) or lines over the periods. Percent columns are drawn on a 0–100 % axis.
 */

const palette = ['#1f4e79', '#d9822b', '#3a9d5d', '#8e44ad'];

/** More categories than this do not fit a page's width legibly. */
const MAX_CATEGORIES = 40;

interface ChartInput {
  readonly columns: readonly ColumnSpec[];
  readonly rows: readonly (readonly Cell[])[];
  readonly chart: ReportChart;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/**
 * Draws the chart and returns the y below it. Rows with no value to draw (a machine's shift with no
 * data) are left out, so a week that starts before the data does not chart as empty; of the rest the
 * first MAX_CATEGORIES are drawn, and the legend says so when more were left out.
 */
export function drawChart(doc: PDFKit.PDFDocument, input: ChartInput): number {
  const { columns, chart } = input;
  const index = (key: string | undefined) =>
    key === undefined ? -1 : columns.findIndex((c) => c.key === key);
  const xi = index(chart.x);
  const series = chart.y.map((key) => ({ key, i: index(key) })).filter((s) => s.i >= 0);
  if (series.length === 0) return input.y;
  const value = (row: readonly Cell[], i: number) => {
    const v = row[i];
    return typeof v === 'number' ? v : null;
  };
  const withValues = input.rows.filter((r) => series.some((s) => value(r, s.i) !== null));
  const rows = withValues.slice(0, MAX_CATEGORIES);
  const labels = rows.map((r, n) => (xi >= 0 ? String(r[xi] ?? '') : String(n + 1)));
  const groups = groupLabels(columns, rows, labels, xi);
  const isPercent = (i: number) => columns[i]?.type === 'percent';
  const plot = { left: input.x + 40, top: input.y + 8, width: input.width - 80, height: input.height - 40 };
  const bottom = plot.top + plot.height;
  const leftSeries = chart.kind === 'pareto' ? series.slice(0, 1) : series;
  const max = Math.max(
    1e-9,
    ...leftSeries.flatMap((s) => rows.map((r) => (isPercent(s.i) ? 1 : (value(r, s.i) ?? 0)))),
  );
  const scale = (v: number, i: number) => bottom - (isPercent(i) ? v : v / max) * plot.height;
  doc.save();
  doc
    .lineWidth(0.5)
    .strokeColor('#999')
    .moveTo(plot.left, plot.top)
    .lineTo(plot.left, bottom)
    .lineTo(plot.left + plot.width, bottom)
    .stroke();
  doc.font('Helvetica').fontSize(6).fillColor('#444');
  const leftPercent = leftSeries.every((s) => isPercent(s.i));
  for (let k = 0; k <= 4; k++) {
    const yy = bottom - (k / 4) * plot.height;
    const text = leftPercent ? `${k * 25} %` : ((max * k) / 4).toFixed(max >= 10 ? 0 : 1);
    doc.text(text, input.x, yy - 3, { width: 36, align: 'right', lineBreak: false });
  }
  const step = plot.width / Math.max(1, labels.length);
  if (chart.kind === 'lines') {
    series.forEach((s, n) => {
      const colour = palette[n % palette.length] ?? '#000';
      let started = false;
      rows.forEach((r, j) => {
        const v = value(r, s.i);
        if (v === null) {
          started = false;
          return;
        }
        const px = plot.left + step * (j + 0.5);
        const py = scale(v, s.i);
        if (started) doc.lineTo(px, py);
        else doc.moveTo(px, py);
        started = true;
      });
      doc.lineWidth(1.2).strokeColor(colour).stroke();
    });
  } else {
    const bars = chart.kind === 'pareto' ? series.slice(0, 1) : series;
    const barWidth = (step * 0.8) / bars.length;
    bars.forEach((s, n) => {
      const colour = palette[n % palette.length] ?? '#000';
      rows.forEach((r, j) => {
        const v = value(r, s.i);
        if (v === null) return;
        const top = scale(v, s.i);
        doc.rect(plot.left + step * j + step * 0.1 + n * barWidth, top, barWidth, bottom - top).fill(colour);
      });
    });
    const cumulative = chart.kind === 'pareto' ? series[1] : undefined;
    if (cumulative !== undefined) {
      rows.forEach((r, j) => {
        const v = value(r, cumulative.i) ?? 0;
        const px = plot.left + step * (j + 0.5);
        const py = bottom - v * plot.height;
        if (j === 0) doc.moveTo(px, py);
        else doc.lineTo(px, py);
      });
      doc
        .lineWidth(1.2)
        .strokeColor(palette[1] ?? '#000')
        .stroke();
      doc.fillColor('#444');
      for (let k = 0; k <= 4; k++) {
        const yy = bottom - (k / 4) * plot.height;
        doc.text(`${k * 25} %`, plot.left + plot.width + 4, yy - 3, { width: 36, lineBreak: false });
      }
    }
  }
  doc.font('Helvetica').fontSize(6).fillColor('#444');
  const fit = (text: string) => text.replace(/[^\u0020-\u00ff]/g, '?');
  labels.forEach((label, j) => {
    doc.text(fit(label), plot.left + step * j, bottom + 3, {
      width: step,
      height: 8,
      align: 'center',
      ellipsis: true,
      lineBreak: false,
    });
  });
  // Under repeated labels, the group each run of them belongs to, with a tick where a group ends.
  for (const run of groups) {
    const left = plot.left + step * run.from;
    const width = step * (run.to - run.from);
    doc.text(fit(run.label), left, bottom + 11, {
      width,
      height: 8,
      align: 'center',
      ellipsis: true,
      lineBreak: false,
    });
    if (run.from > 0)
      doc
        .lineWidth(0.5)
        .strokeColor('#999')
        .moveTo(left, bottom)
        .lineTo(left, bottom + 18)
        .stroke();
  }
  const legendY = bottom + (groups.length > 0 ? 22 : 16);
  // The legend: which colour is which column.
  let lx = plot.left;
  series.forEach((s, n) => {
    const label = columns[s.i]?.label ?? s.key;
    doc.rect(lx, legendY, 6, 6).fill(palette[n % palette.length] ?? '#000');
    doc.fillColor('#000').text(label, lx + 9, legendY, { lineBreak: false });
    lx += 12 + doc.widthOfString(label) + 10;
  });
  if (withValues.length > rows.length)
    doc
      .fillColor('#444')
      .text(
        `The first ${rows.length} of ${withValues.length} rows with values; the table has them all`,
        lx,
        legendY,
        {
          lineBreak: false,
        },
      );
  doc.restore();
  return input.y + input.height;
}

/**
 * When the x labels repeat (OEE by shift charts each machine once per line and shift), the runs of
 * rows that belong together, one run per stretch of rows with the same group. The group is made of
 * the other text columns, in column order, each taken only when it tells more rows apart, until every
 * (group, label) pair is one row — for OEE by shift, the period and the line. Empty when the labels are
 * unique already or no such group exists.
 */
function groupLabels(
  columns: readonly ColumnSpec[],
  rows: readonly (readonly Cell[])[],
  labels: readonly string[],
  xi: number,
): { label: string; from: number; to: number }[] {
  const distinct = (parts: readonly number[]) =>
    new Set(rows.map((r, j) => [...parts.map((i) => String(r[i] ?? '')), labels[j]].join('\u0000'))).size;
  let parts: number[] = [];
  let seen = distinct(parts);
  for (const [i, column] of columns.entries()) {
    if (seen === rows.length) break;
    if (i === xi || column.type !== 'text') continue;
    const more = distinct([...parts, i]);
    if (more > seen) [parts, seen] = [[...parts, i], more];
  }
  if (parts.length === 0 || seen < rows.length) return [];
  const runs: { label: string; from: number; to: number }[] = [];
  rows.forEach((r, j) => {
    const label = parts.map((i) => String(r[i] ?? '')).join(' · ');
    const last = runs[runs.length - 1];
    if (last !== undefined && last.label === label) last.to = j + 1;
    else runs.push({ label, from: j, to: j + 1 });
  });
  return runs;
}
