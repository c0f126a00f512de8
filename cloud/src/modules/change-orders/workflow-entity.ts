import { tables } from '@plantline/schema';
import type { WorkflowEntity } from '../workflow/index.js';
import { implementationInstant, implementChangeOrder } from './implementation.js';

/*
 * Change orders as the workflow engine sees them (docs/workflows.md, "Adding a record type"). The
 * default change order workflow's approved state sets `implemented_at` from now; that write is the
 * domain's own (`apply`): it implements the change order in the transition's transaction
 * (docs/change-orders.md, "Implementation"). The effectivity and its date and lot are not settable by
 * a workflow: they are checked together (a `date` needs its date), which one field at a time cannot be.
 */
export const changeOrderWorkflowEntity: WorkflowEntity = {
  key: 'change_order',
  label: 'Change order',
  table: 'change_orders',
  codeColumn: 'number',
  titleColumn: 'title',
  plantColumn: 'plant_id',
  statusColumn: 'status',
  createdByColumn: 'raised_by',
  versionColumn: 'version',
  updatedAtColumn: 'updated_at',
  readPermission: 'changes.read',
  fields: [
    { key: 'title', label: 'Title', kind: 'text', column: 'title', settable: true },
    { key: 'reason', label: 'Reason', kind: 'text', column: 'reason', settable: true },
    { key: 'description', label: 'Description', kind: 'text', column: 'description', settable: true },
    {
      key: 'urgency',
      label: 'Urgency',
      kind: 'choice',
      column: 'urgency',
      choices: tables.changeUrgencies,
      settable: true,
    },
    {
      key: 'effectivity',
      label: 'Effectivity',
      kind: 'choice',
      column: 'effectivity',
      choices: tables.changeEffectivities,
      settable: false,
    },
    {
      key: 'effective_date',
      label: 'Effective date',
      kind: 'date',
      column: 'effective_date',
      settable: false,
    },
    { key: 'effective_lot', label: 'Effective lot', kind: 'text', column: 'effective_lot', settable: false },
    { key: 'owner', label: 'Owner', kind: 'user', column: 'owner_id', settable: true },
    {
      key: 'implemented_at',
      label: 'Implemented at',
      kind: 'datetime',
      column: 'implemented_at',
      settable: true,
      apply: async (tx, actor, entityId, value) => {
        await implementChangeOrder(tx, actor, entityId, implementationInstant(value));
      },
    },
  ],
  link: (entityId) => `/change-orders/${encodeURIComponent(entityId)}`,
};
