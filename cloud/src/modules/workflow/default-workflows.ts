import { tables } from '@plantline/schema';
import type { WorkflowDefinitionInput } from '@plantline/schema/workflow';
import { and, eq } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import type { Scope } from '../../platform/index.js';
import { createWorkflow } from './definitions.js';
import type { WorkflowEntities } from './entities.js';
import { publishVersion } from './publish.js';

/*
 * The workflows a tenant starts with (docs/workflows.md, "Default workflows"), as data: the same
 * document the designer edits, so a tenant changes them like any other. They name the built-in roles
 * (quality, engineer, supervisor; schema/src/permissions.ts) and the fields of the NCR and change
 * order record types (docs/ncrs.md, docs/change-orders.md).
 */

const cancel = (
  from: string,
  label: string,
  actors: WorkflowDefinitionInput['transitions'][number]['actors'],
) => ({
  key: `cancel_${from}`,
  label,
  from,
  to: 'cancelled',
  actors,
  comment: 'required' as const,
});

/**
 * NCR: Draft → Submitted → Under review → Disposition → Rework / verify → Closed, or Cancelled
 * from any open state. The disposition is approved by the material review board: two of Quality,
 * and one of Engineering as well when the material is to be used as is; one rejection sends the NCR
 * back to review with the reason. A closed NCR is read-only and cannot close without a disposition.
 */
export const NCR_WORKFLOW: WorkflowDefinitionInput = {
  states: [
    { key: 'draft', label: 'Draft', kind: 'initial', position: { x: 0, y: 0 } },
    {
      key: 'submitted',
      label: 'Submitted',
      kind: 'normal',
      position: { x: 260, y: 0 },
      onEnter: [
        {
          type: 'notify',
          to: { role: 'quality' },
          title: 'NCR submitted for review',
          body: 'A non-conformance report waits for Quality to start its review.',
        },
      ],
    },
    {
      key: 'under_review',
      label: 'Under review',
      kind: 'normal',
      position: { x: 520, y: 0 },
      onEnter: [{ type: 'start_sla', hours: 48, remindBeforeHours: 8, escalateToRole: 'supervisor' }],
    },
    {
      key: 'disposition',
      label: 'Disposition',
      kind: 'normal',
      position: { x: 780, y: 0 },
      required: ['disposition', 'root_cause'],
      // The board signs this disposition: changing it means a new review (reject back to it).
      readOnly: ['disposition'],
    },
    { key: 'rework', label: 'Rework / verify', kind: 'normal', position: { x: 1040, y: 0 } },
    {
      key: 'closed',
      label: 'Closed',
      kind: 'final',
      position: { x: 1300, y: 0 },
      locked: true,
      required: ['disposition'],
    },
    { key: 'cancelled', label: 'Cancelled', kind: 'final', position: { x: 650, y: 260 }, locked: true },
  ],
  transitions: [
    {
      key: 'submit',
      label: 'Submit',
      from: 'draft',
      to: 'submitted',
      actors: { permissions: ['ncrs.raise'], initiator: true },
    },
    {
      key: 'start_review',
      label: 'Start review',
      from: 'submitted',
      to: 'under_review',
      actors: { permissions: ['quality.manage'] },
    },
    {
      key: 'propose_disposition',
      label: 'Propose disposition',
      from: 'under_review',
      to: 'disposition',
      actors: { permissions: ['quality.manage'], userFields: ['owner'] },
    },
    {
      key: 'approve_disposition',
      label: 'Approve disposition',
      from: 'disposition',
      to: 'rework',
      signature: { meaning: 'approval' },
      approval: {
        groups: [
          { label: 'Quality', role: 'quality', minimum: 2 },
          {
            label: 'Engineering',
            role: 'engineer',
            minimum: 1,
            when: { field: 'disposition', op: 'eq', value: 'use_as_is' },
          },
        ],
        rejectTo: 'under_review',
      },
    },
    {
      key: 'close',
      label: 'Verify and close',
      from: 'rework',
      to: 'closed',
      actors: { permissions: ['quality.manage'] },
    },
    cancel('draft', 'Cancel', { permissions: ['quality.manage'], initiator: true }),
    cancel('submitted', 'Cancel', { permissions: ['quality.manage'] }),
    cancel('under_review', 'Cancel', { permissions: ['quality.manage'] }),
    cancel('disposition', 'Cancel', { permissions: ['quality.manage'] }),
    cancel('rework', 'Cancel', { permissions: ['quality.manage'] }),
  ],
};

/**
 * Change order: Draft → Screening → Change board → Approved, or Rejected at screening or by the
 * board, or Cancelled before a decision. The board is two engineers and one of Quality, each
 * signing; entering Approved sets implemented_at, which applies the new product revisions
 * (docs/change-orders.md).
 */
export const CHANGE_ORDER_WORKFLOW: WorkflowDefinitionInput = {
  states: [
    { key: 'draft', label: 'Draft', kind: 'initial', position: { x: 0, y: 0 } },
    { key: 'screening', label: 'Screening', kind: 'normal', position: { x: 260, y: 0 } },
    {
      key: 'change_board',
      label: 'Change board',
      kind: 'normal',
      position: { x: 520, y: 0 },
      onEnter: [
        {
          type: 'notify',
          to: { role: 'engineer' },
          title: 'Change order for the change board',
          body: 'A change order waits for the change board’s decision.',
        },
        {
          type: 'notify',
          to: { role: 'quality' },
          title: 'Change order for the change board',
          body: 'A change order waits for the change board’s decision.',
        },
      ],
    },
    {
      key: 'approved',
      label: 'Approved',
      kind: 'final',
      position: { x: 780, y: 0 },
      locked: true,
      onEnter: [{ type: 'set_field', field: 'implemented_at', from: 'now' }],
    },
    { key: 'rejected', label: 'Rejected', kind: 'final', position: { x: 520, y: 260 }, locked: true },
    { key: 'cancelled', label: 'Cancelled', kind: 'final', position: { x: 260, y: 260 }, locked: true },
  ],
  transitions: [
    {
      key: 'submit',
      label: 'Submit',
      from: 'draft',
      to: 'screening',
      actors: { permissions: ['changes.manage'], initiator: true },
    },
    {
      key: 'send_to_board',
      label: 'Send to change board',
      from: 'screening',
      to: 'change_board',
      actors: { permissions: ['changes.manage'], userFields: ['owner'] },
    },
    {
      key: 'reject',
      label: 'Reject',
      from: 'screening',
      to: 'rejected',
      actors: { permissions: ['changes.manage'] },
      comment: 'required',
    },
    {
      key: 'approve',
      label: 'Approve change',
      from: 'change_board',
      to: 'approved',
      signature: { meaning: 'approval' },
      approval: {
        groups: [
          { label: 'Engineering', role: 'engineer', minimum: 2 },
          { label: 'Quality', role: 'quality', minimum: 1 },
        ],
        rejectTo: 'rejected',
      },
    },
    cancel('draft', 'Cancel', { permissions: ['changes.manage'], initiator: true }),
    cancel('screening', 'Cancel', { permissions: ['changes.manage'] }),
    cancel('change_board', 'Cancel', { permissions: ['changes.manage'] }),
  ],
};

export interface DefaultWorkflow {
  key: string;
  name: string;
  entityType: string;
  description: string;
  definition: WorkflowDefinitionInput;
}

export const DEFAULT_WORKFLOWS: readonly DefaultWorkflow[] = [
  {
    key: 'ncr',
    name: 'Non-conformance report',
    entityType: 'ncr',
    description: 'Review, material review board disposition, rework and verification of an NCR.',
    definition: NCR_WORKFLOW,
  },
  {
    key: 'change_order',
    name: 'Engineering change order',
    entityType: 'change_order',
    description: 'Screening and change board approval of an engineering change order.',
    definition: CHANGE_ORDER_WORKFLOW,
  },
];

/**
 * Creates and publishes the default workflows the tenant lacks, for the record types this app has
 * (`entities`, the app's registry: a type whose module is absent gets none). A record type that
 * already has a workflow keeps it, so running this again, or after a tenant changed its own, does
 * nothing. Both the creation and the publication are audited, by `actor` (the system at tenant
 * creation).
 */
export async function installDefaultWorkflows(
  tx: Sql,
  actor: Scope,
  entities: WorkflowEntities,
): Promise<{ installed: string[] }> {
  const installed: string[] = [];
  for (const workflow of DEFAULT_WORKFLOWS) {
    if (!entities.has(workflow.entityType)) continue;
    const [existing] = await tx
      .select({ id: tables.workflows.id })
      .from(tables.workflows)
      .where(
        and(
          eq(tables.workflows.tenantId, actor.tenantId),
          eq(tables.workflows.entityType, workflow.entityType),
        ),
      );
    if (existing !== undefined) continue;
    const { draftVersionId } = await createWorkflow(tx, actor, entities, workflow);
    await publishVersion(tx, actor, entities, {
      versionId: draftVersionId,
      revision: 1,
      note: 'Default workflow',
    });
    installed.push(workflow.key);
  }
  return { installed };
}
