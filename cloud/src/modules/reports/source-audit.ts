import { type SQL, sql } from 'drizzle-orm';
import { entryConditions } from '../audit/index.js';
import type { ColumnSpec } from './definition.js';
import type { ExtractSource, Row, SourceContext } from './sources.js';

/*
 * The audit extract (docs/reports.md): the entries of the period, newest first, as the audit trail's
 * CSV export writes them (docs/audit.md, "Exporting") — the same conditions (entryConditions) and the
 * same "field: old → new" text (the entry's changes_text, kept by the database). Row-level security
 * shows the tenant-wide entries and those of the run's plant. It has no row cap: it is written as it
 * is read (runner.ts), and as CSV on a PostgreSQL server by the server itself (csv-copy.ts).
 */

const columns: ColumnSpec[] = [
  { key: 'recordedAt', label: 'Time', type: 'datetime' },
  { key: 'actor', label: 'Actor', type: 'text' },
  { key: 'action', label: 'Action', type: 'text' },
  { key: 'entityType', label: 'Entity type', type: 'text' },
  { key: 'entityId', label: 'Entity', type: 'text' },
  { key: 'label', label: 'Label', type: 'text' },
  { key: 'plant', label: 'Plant', type: 'text' },
  { key: 'changes', label: 'Changes', type: 'text' },
  { key: 'reason', label: 'Reason', type: 'text' },
  { key: 'requestId', label: 'Request ID', type: 'text' },
  { key: 'clientAddress', label: 'Client address', type: 'text' },
  { key: 'seq', label: 'Seq', type: 'integer' },
  { key: 'hash', label: 'Hash', type: 'text' },
];

function where(context: SourceContext): SQL {
  const period = context.period;
  return entryConditions(context.tenantId, {
    ...(period === null ? {} : { from: new Date(period.start), to: new Date(period.end) }),
    ...(context.params.plantId === undefined ? {} : { plantId: context.params.plantId }),
  });
}

const fromWhere = (context: SourceContext): SQL =>
  sql`from audit_log
      left join plants p on p.tenant_id = audit_log.tenant_id and p.id = audit_log.plant_id
      where ${where(context)}`;

// As Date.prototype.toISOString writes an instant: never empty, never the start of a formula.
const TIME_FORMAT = sql.raw(`'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`);

/** A text column as a cell of the server's CSV (plantline.csv_cell: what csvField does to text). */
const cell = (expression: SQL): SQL => sql`plantline.csv_cell(${expression})`;

/** Each column as the CSV cell `map` below and csvField make of it, for the server's own CSV. */
const csvCells: Record<string, SQL> = {
  recordedAt: sql`to_char(audit_log.recorded_at at time zone 'UTC', ${TIME_FORMAT})`,
  actor: cell(sql`case when audit_log.actor_kind = 'user' then audit_log.actor_name
                       else audit_log.actor_name || ' (' || audit_log.actor_kind || ')' end`),
  action: cell(sql`audit_log.action`),
  entityType: cell(sql`audit_log.entity_type`),
  entityId: cell(sql`audit_log.entity_id`),
  label: cell(sql`audit_log.entity_label`),
  plant: cell(sql`p.code`),
  changes: cell(sql`audit_log.changes_text`),
  reason: cell(sql`audit_log.reason`),
  requestId: cell(sql`audit_log.request_id`),
  clientAddress: cell(sql`audit_log.client_address`),
  seq: sql`audit_log.seq`,
  hash: cell(sql`audit_log.hash`),
};

const text = (value: unknown): string => (value === null || value === undefined ? '' : String(value));

export const auditSource: ExtractSource = {
  kind: 'extract',
  key: 'audit',
  permission: 'audit.read',
  columns,
  grouping: {},
  parameters: ['plantId', 'period'],
  requires: [],
  needsPeriod: false,
  query: (context, after, limit) =>
    sql`select audit_log.seq::float8 as seq,
               to_char(audit_log.recorded_at at time zone 'UTC', ${TIME_FORMAT}) as recorded_at,
               audit_log.actor_kind, audit_log.actor_name, audit_log.action, audit_log.entity_type,
               audit_log.entity_id, audit_log.entity_label, p.code as plant_code, audit_log.changes_text,
               audit_log.reason, audit_log.request_id, audit_log.client_address, audit_log.hash
          ${fromWhere(context)} ${after === null ? sql`` : sql`and audit_log.seq < ${after}`}
         order by audit_log.seq desc ${limit === null ? sql`` : sql`limit ${limit}`}`,
  copyQuery: (context, keys) =>
    sql`select ${sql.join(
      keys.map((key) => csvCells[key] ?? sql`null`),
      sql`, `,
    )} ${fromWhere(context)} order by audit_log.seq desc`,
  count: (context) => sql`select count(*)::float8 as n from audit_log where ${where(context)}`,
  keyOf: (raw) => Number(raw.seq),
  map: (raw): Row => ({
    recordedAt: text(raw.recorded_at),
    actor:
      raw.actor_kind === 'user' ? text(raw.actor_name) : `${text(raw.actor_name)} (${text(raw.actor_kind)})`,
    action: text(raw.action),
    entityType: text(raw.entity_type),
    entityId: text(raw.entity_id),
    label: text(raw.entity_label),
    plant: text(raw.plant_code),
    changes: text(raw.changes_text),
    reason: text(raw.reason),
    requestId: text(raw.request_id),
    clientAddress: text(raw.client_address),
    seq: Number(raw.seq),
    hash: text(raw.hash),
  }),
};
