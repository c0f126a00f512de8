import { sql } from 'drizzle-orm';
import { rows, type Sql } from '../../db/index.js';
import { notFound } from '../../platform/index.js';
import type { ParameterKey, RunParameters } from './parameters.js';

/*
 * The codes and names of a run's parameters (docs/reports.md, "Formats"): a PDF is read by people,
 * who know plant A1 and machine M3, not their uuids. They are read once, when the run is asked for,
 * with the requester's rights, and kept with the run, so the PDF names things as they were called
 * then and the job reads no master data of its own.
 */

export interface Label {
  readonly code: string;
  readonly name: string;
}

export type ParameterLabels = Partial<Record<ParameterKey, Label>>;

const tables = {
  plantId: { table: sql`plants`, what: 'Plant', title: 'Plant' },
  lineId: { table: sql`lines`, what: 'Line', title: 'Line' },
  machineId: { table: sql`machines`, what: 'Machine', title: 'Machine' },
  productId: { table: sql`products`, what: 'Product', title: 'Product' },
  customerId: { table: sql`customers`, what: 'Customer', title: 'Customer' },
  routingId: { table: sql`routings`, what: 'Routing', title: 'Routing' },
  // A lot is named by its material and lot code: "RES-1 L2405A".
  lotId: {
    table: sql`(select l.id, l.lot_code as code, m.code || ' ' || l.lot_code as name
      from material_lots l join materials m on m.tenant_id = l.tenant_id and m.id = l.material_id) lots`,
    what: 'Lot',
    title: 'Lot',
  },
} as const satisfies Partial<Record<ParameterKey, unknown>>;

type LabelledKey = keyof typeof tables;

export const labelledKeys = Object.keys(tables) as LabelledKey[];

/** The title a labelled parameter is printed under ("Machine"). */
export const titleOf = (key: LabelledKey): string => tables[key].title;

export const isLabelled = (key: string): key is LabelledKey => key in tables;

/** Each id parameter's code and name; an id that names nothing the requester sees is "not found". */
export async function resolveLabels(tx: Sql, parameters: RunParameters): Promise<ParameterLabels> {
  const labels: ParameterLabels = {};
  for (const key of labelledKeys) {
    const id = parameters[key];
    if (id === undefined) continue;
    const { table, what } = tables[key];
    const [row] = await rows<Label>(tx, sql`select code, name from ${table} where id = ${id}::uuid`);
    if (row === undefined) throw notFound(what);
    labels[key] = { code: row.code, name: row.name };
  }
  return labels;
}

/** "M3 — Press 3", or the id itself for a run asked for before labels were kept. */
export function labelText(label: Label | undefined, id: string): string {
  if (label === undefined) return id;
  return label.name === label.code ? label.code : `${label.code} — ${label.name}`;
}
