import type { Sql } from '../../db/index.js';
import { recallRows } from '../materials/index.js';
import type { ColumnSpec } from './definition.js';
import type { ComputedSource, Row, SourceContext } from './sources.js';

/*
 * The recall (docs/materials.md, "Recall"; docs/reports.md, "The catalogue"): every customer
 * shipment and inter-plant transfer that carries a lot made from the recalled lot, however many
 * steps down, with the quantity packed. The rows come from the materials module's forward trace, so
 * the report and the trace page never disagree; row-level security shows each reader only the
 * shipments of the plants they reach.
 */

const columns: ColumnSpec[] = [
  { key: 'destinationKind', label: 'To', type: 'text' },
  { key: 'destinationCode', label: 'Customer or plant', type: 'text' },
  { key: 'destination', label: 'Name', type: 'text' },
  { key: 'document', label: 'Shipment or transfer', type: 'text' },
  { key: 'status', label: 'Status', type: 'text' },
  { key: 'shippedAt', label: 'Shipped', type: 'datetime' },
  { key: 'fromPlant', label: 'From plant', type: 'text' },
  { key: 'material', label: 'Material', type: 'text' },
  { key: 'lot', label: 'Lot', type: 'text' },
  { key: 'quantity', label: 'Quantity', type: 'number', decimals: 3 },
  { key: 'unit', label: 'Unit', type: 'text' },
  { key: 'depth', label: 'Steps from the recalled lot', type: 'integer' },
];

async function load(tx: Sql, context: SourceContext): Promise<Row[]> {
  const lotId = context.params.lotId ?? '';
  return recallRows(tx, { lotId });
}

export const recallSource: ComputedSource = {
  kind: 'computed',
  key: 'recall',
  permission: 'logistics.read',
  columns,
  grouping: {},
  parameters: ['lotId'],
  requires: ['lotId'],
  needsPeriod: false,
  load,
};
