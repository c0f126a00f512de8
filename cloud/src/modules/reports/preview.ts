import { rows, type Sql } from '../../db/index.js';
import type { Principal } from '../../platform/index.js';
import { cellsOf, rowPasses } from './filters.js';
import type { RunParameters } from './parameters.js';
import { prepareRun, type ReportRef } from './prepare.js';
import type { Cell, Row } from './sources.js';

/*
 * The first rows of a report on screen, read the way a run reads them (the same source, definition
 * and filters), before anyone writes a file (docs/reports.md, "Runs").
 */

export const PREVIEW_ROWS = 500;

export async function previewReport(
  tx: Sql,
  principal: Principal,
  ref: ReportRef,
  parameters: RunParameters,
  now = Date.now(),
) {
  const prepared = await prepareRun(tx, principal, ref, parameters, now);
  const { report, context, columns } = prepared;
  const { source, definition } = report;
  let found: Row[];
  if (source.kind === 'computed') found = await source.load(tx, context);
  else {
    const raw = await rows<Record<string, unknown>>(tx, source.query(context, null, PREVIEW_ROWS + 1));
    found = raw.map((r) => source.map(r));
  }
  const passing = found.filter((r) => rowPasses(r, definition.filters));
  const shown: Cell[][] = passing.slice(0, PREVIEW_ROWS).map((r) => cellsOf(r, definition.columns));
  return {
    name: report.name,
    columns,
    rows: shown,
    truncated: passing.length > PREVIEW_ROWS || found.length > PREVIEW_ROWS,
    period: context.period,
    plant: context.plant,
    chart: definition.chart,
  };
}
