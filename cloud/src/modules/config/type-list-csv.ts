import Papa from 'papaparse';
import type { Sql } from '../../db/index.js';
import { colourInput, DomainError, type Scope } from '../../platform/index.js';
import {
  getTypeList,
  insertOption,
  listOptions,
  patchOption,
  recordListChange,
  writeOptionOrder,
} from './type-lists.js';

/*
 * Type lists to and from CSV (docs/configuration.md, "Type lists"), for lists kept in spreadsheets:
 * columns code, label, colour, active, order. Import matches options by code: new codes are added,
 * known ones updated, options missing from the file are left as they are (deactivate them
 * explicitly). A file with any bad row changes nothing; a dry run reports what an import would do.
 */

export const CSV_COLUMNS = ['code', 'label', 'colour', 'active', 'order'] as const;
export const MAX_IMPORT_ROWS = 5000;

const CODE = /^[A-Za-z0-9][A-Za-z0-9_.\-/]{0,63}$/;
/** The apostrophe that export puts before a cell that would start a formula (Papa's escapeFormulae). */
const FORMULA_ESCAPE = /^'(?=[=+\-@\t\r])/;
const TRUE = new Set(['', 'true', 'yes', 'y', '1', 'active']);
const FALSE = new Set(['false', 'no', 'n', '0', 'inactive']);

export async function exportTypeListCsv(tx: Sql, id: string) {
  const list = await getTypeList(tx, id);
  // A label such as "=HYPERLINK(…)" must not run as a formula where the file is opened: such cells
  // get a leading apostrophe, which the import takes off again.
  const csv = Papa.unparse(
    {
      fields: [...CSV_COLUMNS],
      data: list.options.map((o, i) => [
        o.code,
        o.label,
        o.colour ?? '',
        o.isActive ? 'true' : 'false',
        i + 1,
      ]),
    },
    { escapeFormulae: true },
  );
  return { filename: `${list.code}.csv`, csv: `${csv}\n` };
}

interface ImportRow {
  line: number;
  code: string;
  label: string;
  colour: string | null;
  isActive: boolean;
  order: number | null;
}

export interface ImportReport {
  rows: number;
  added: string[];
  updated: string[];
  unchanged: number;
  errors: { line: number; message: string }[];
  applied: boolean;
}

function parseRows(csv: string): { rows: ImportRow[]; errors: ImportReport['errors'] } {
  const parsed = Papa.parse<Record<string, string>>(csv.replace(/^\uFEFF/, ''), {
    header: true,
    skipEmptyLines: 'greedy',
    transformHeader: (h) => h.trim().toLowerCase(),
  });
  const errors = parsed.errors.map((e) => ({ line: (e.row ?? 0) + 2, message: e.message }));
  const headers = parsed.meta.fields ?? [];
  for (const required of ['code', 'label'])
    if (!headers.includes(required))
      errors.push({ line: 1, message: `The header needs a ${required} column` });
  if (parsed.data.length > MAX_IMPORT_ROWS)
    errors.push({ line: MAX_IMPORT_ROWS + 2, message: `At most ${MAX_IMPORT_ROWS} rows per file` });
  const rows: ImportRow[] = [];
  const seen = new Map<string, number>();
  parsed.data.slice(0, MAX_IMPORT_ROWS).forEach((raw, i) => {
    const line = i + 2;
    const code = (raw.code ?? '').trim();
    const label = (raw.label ?? '').trim().replace(FORMULA_ESCAPE, '');
    const colour = (raw.colour ?? '').trim();
    const active = (raw.active ?? '').trim().toLowerCase();
    const order = (raw.order ?? '').trim();
    const problems: string[] = [];
    if (!CODE.test(code)) problems.push('code: use 1–64 letters, digits and _ . - / (no spaces)');
    if (label === '' || label.length > 120) problems.push('label: 1–120 characters');
    if (colour !== '' && !colourInput.safeParse(colour).success)
      problems.push('colour: use a colour like #22c55e');
    if (!TRUE.has(active) && !FALSE.has(active)) problems.push('active: true or false');
    if (order !== '' && !/^\d{1,6}$/.test(order)) problems.push('order: a whole number');
    if (seen.has(code)) problems.push(`code ${code} is also on line ${seen.get(code)}`);
    seen.set(code, line);
    if (problems.length > 0) errors.push({ line, message: problems.join('; ') });
    else
      rows.push({
        line,
        code,
        label,
        colour: colour === '' ? null : colour.toLowerCase(),
        isActive: !FALSE.has(active),
        order: order === '' ? null : Number(order),
      });
  });
  return { rows, errors };
}

/** The options' order after an import: rows with an order first, as numbered; the rest after, as they were. */
function importedOrder(options: { id: string; code: string }[], rows: ImportRow[]): string[] {
  const fileOrder = new Map(rows.flatMap((r) => (r.order === null ? [] : [[r.code, r.order] as const])));
  const ordered = options.filter((o) => fileOrder.has(o.code));
  ordered.sort((a, b) => (fileOrder.get(a.code) ?? 0) - (fileOrder.get(b.code) ?? 0));
  return [...ordered, ...options.filter((o) => !fileOrder.has(o.code))].map((o) => o.id);
}

export async function importTypeListCsv(tx: Sql, actor: Scope, id: string, csv: string, dryRun: boolean) {
  const { rows, errors } = parseRows(csv);
  const list = await getTypeList(tx, id);
  const byCode = new Map(list.options.map((o) => [o.code, o]));
  const report: ImportReport = {
    rows: rows.length,
    added: [],
    updated: [],
    unchanged: 0,
    errors,
    applied: false,
  };
  const changes: (() => Promise<unknown>)[] = [];
  for (const row of rows) {
    const existing = byCode.get(row.code);
    if (existing === undefined) {
      report.added.push(row.code);
      changes.push(() => insertOption(tx, actor, list, row));
      continue;
    }
    const patch = {
      ...(existing.label === row.label ? {} : { label: row.label }),
      ...(existing.colour === row.colour ? {} : { colour: row.colour }),
      ...(existing.isActive === row.isActive ? {} : { isActive: row.isActive }),
    };
    if (Object.keys(patch).length === 0) report.unchanged += 1;
    else {
      report.updated.push(row.code);
      changes.push(() => patchOption(tx, existing.id, patch));
    }
  }
  if (dryRun || errors.length > 0) return report;
  if (rows.length === 0) throw new DomainError('invalid', 'The file has no rows', { csv: 'Empty' });
  for (const change of changes) await change();
  if (rows.some((r) => r.order !== null))
    await writeOptionOrder(tx, list, importedOrder(await listOptions(tx, id), rows));
  // One version for the whole import, however many options it touched.
  await recordListChange(
    tx,
    actor,
    id,
    'imported',
    `Imported CSV: ${report.added.length} added, ${report.updated.length} updated, ${report.unchanged} unchanged`,
  );
  report.applied = true;
  return report;
}
