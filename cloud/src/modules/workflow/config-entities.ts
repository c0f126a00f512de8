import { tables } from '@plantline/schema';
import { sql } from 'drizzle-orm';
import { rows, type Sql } from '../../db/index.js';
import { DomainError } from '../../platform/index.js';
import { entityTypes } from '../config/index.js';
import type { BuiltinField, WorkflowEntity } from './entities.js';

/*
 * The configuration engine's record types as the workflow engine sees them (docs/workflows.md,
 * "Adding a record type"): every entity type that carries custom fields can run a workflow. Their
 * built-in fields are read-only to workflows unless writing them cannot break the owning domain's
 * rules: codes appear in MQTT topics, a product's revision belongs to change orders, an order's
 * status and quantity to its own life cycle. Domains that describe their own records (NCRs, change
 * orders) pass their descriptions in; a key given there is not described again here.
 */

const text = (key: string, label: string, column = key): BuiltinField => ({
  key,
  label,
  kind: 'text',
  column,
  settable: false,
});

const codeAndName = [text('code', 'Code'), text('name', 'Name')];

/**
 * An order's note is the one field a workflow may write, and only while the order is open: a
 * completed or cancelled order refuses every change (production-orders.ts), its note included.
 */
async function setOrderNote(tx: Sql, _actor: unknown, orderId: string, value: unknown) {
  const note = value === null ? null : String(value);
  const written = await rows<{ id: string }>(
    tx,
    sql`update production_orders set note = ${note}, updated_at = now()
         where id = ${orderId}::uuid and status not in ('completed', 'cancelled')
         returning id`,
  );
  if (written.length === 0)
    throw new DomainError('conflict', 'The production order is closed; its note no longer changes');
}

/** Built-in fields and columns beyond what the configuration engine's registry says of each type. */
const described: Record<string, Pick<WorkflowEntity, 'fields' | 'updatedAtColumn' | 'createdByColumn'>> = {
  product: {
    fields: [...codeAndName, text('unit', 'Unit'), text('revision', 'Revision')],
    updatedAtColumn: null,
    createdByColumn: null,
  },
  production_order: {
    fields: [
      text('number', 'Number'),
      { ...text('note', 'Note'), settable: true, apply: setOrderNote },
      { key: 'quantity', label: 'Quantity', kind: 'number', column: 'quantity', settable: false },
      { key: 'due_at', label: 'Due', kind: 'datetime', column: 'due_at', settable: false },
      {
        key: 'status',
        label: 'Status',
        kind: 'choice',
        column: 'status',
        choices: tables.productionOrderStatuses,
        settable: false,
      },
    ],
    updatedAtColumn: 'updated_at',
    createdByColumn: null,
  },
  machine: { fields: codeAndName, updatedAtColumn: null, createdByColumn: null },
  line: { fields: codeAndName, updatedAtColumn: null, createdByColumn: null },
};

/** The record's page: the configuration engine's record view, or a machine's own page. */
const linkOf = (key: string) => (entityId: string) =>
  key === 'machine'
    ? `/machines/${encodeURIComponent(entityId)}`
    : `/config/records/${key}/${encodeURIComponent(entityId)}`;

/**
 * `list` and a description of every configuration entity type it lacks. A type this file does not
 * know yet gets its code and name, read-only, so a new entry in the configuration engine's registry
 * can run a workflow at once.
 */
export function withConfigEntities(list: readonly WorkflowEntity[]): WorkflowEntity[] {
  const given = new Set(list.map((e) => e.key));
  const added = entityTypes
    .filter((type) => !given.has(type.key))
    .map((type): WorkflowEntity => {
      const extra = described[type.key] ?? {
        fields: [
          text('code', 'Code', type.codeColumn),
          ...(type.nameColumn === null ? [] : [text('name', 'Name', type.nameColumn)]),
        ],
        updatedAtColumn: null,
        createdByColumn: null,
      };
      return {
        key: type.key,
        label: type.label,
        table: type.table,
        codeColumn: type.codeColumn,
        titleColumn: type.nameColumn,
        plantColumn: type.plantColumn,
        // The record's own status (an order's) is its domain's; the workflow's state is not mirrored.
        statusColumn: null,
        versionColumn: null,
        readPermission: type.readPermission,
        link: linkOf(type.key),
        ...extra,
      };
    });
  return [...list, ...added];
}
