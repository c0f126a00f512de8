import {
  definitionSchema,
  type WorkflowDefinition,
  type WorkflowDefinitionInput,
} from '@plantline/schema/workflow';
import type { CatalogueField, FieldCatalogue } from './types.js';

/*
 * Shared inputs of the engine's unit tests: an NCR-like field catalogue and the default NCR process
 * (docs/workflows.md), so each test file starts with what it tests.
 */

export const USERS = {
  alice: '00000000-0000-4000-8000-00000000000a',
  bob: '00000000-0000-4000-8000-00000000000b',
  carol: '00000000-0000-4000-8000-00000000000c',
  dave: '00000000-0000-4000-8000-00000000000d',
  erin: '00000000-0000-4000-8000-00000000000e',
  frank: '00000000-0000-4000-8000-00000000000f',
} as const;

const field = (
  ref: string,
  kind: CatalogueField['kind'],
  more: Partial<CatalogueField> = {},
): CatalogueField => ({
  ref,
  label: ref.replace(/^custom\./, '').replaceAll('_', ' '),
  kind,
  settable: true,
  ...more,
});

export const DISPOSITIONS = ['use_as_is', 'rework', 'scrap', 'return_to_supplier', 'false_nc'] as const;

export const catalogue: FieldCatalogue = new Map(
  [
    field('title', 'text'),
    field('number', 'text'),
    field('quantity', 'number'),
    field('critical', 'boolean'),
    field('due_on', 'date'),
    field('detected_at', 'datetime', { settable: false }),
    field('closed_at', 'datetime'),
    field('disposition', 'choice', { choices: DISPOSITIONS }),
    field('owner_id', 'user'),
    field('reviewer_id', 'user'),
    field('product_id', 'reference', { settable: false }),
    field('custom.tags', 'choices', { choices: ['paint', 'weld', 'assembly'] }),
    field('custom.batch', 'text'),
  ].map((f) => [f.ref, f]),
);

export const known = {
  roleKeys: new Set(['quality', 'engineering', 'supervisor']),
  userIds: new Set<string>(Object.values(USERS)),
  sequences: new Set(['ncr', 'change_order']),
};

export const define = (input: WorkflowDefinitionInput): WorkflowDefinition => definitionSchema.parse(input);

/** The default NCR process: Draft → Submitted → Under review → Disposition (MRB) → Rework/verify → Closed. */
export const ncrInput: WorkflowDefinitionInput = {
  states: [
    {
      key: 'draft',
      label: 'Draft',
      kind: 'initial',
      onEnter: [{ type: 'take_number', field: 'number', sequence: 'ncr' }],
    },
    { key: 'submitted', label: 'Submitted', kind: 'normal', required: ['title', 'quantity'] },
    {
      key: 'under_review',
      label: 'Under review',
      kind: 'normal',
      readOnly: ['quantity'],
      onEnter: [{ type: 'start_sla', hours: 48, remindBeforeHours: 8, escalateToRole: 'supervisor' }],
    },
    { key: 'disposition', label: 'Disposition', kind: 'normal', required: ['disposition'] },
    { key: 'rework', label: 'Rework/verify', kind: 'normal' },
    {
      key: 'closed',
      label: 'Closed',
      kind: 'final',
      locked: true,
      onEnter: [{ type: 'set_field', field: 'closed_at', from: 'now' }],
    },
    { key: 'cancelled', label: 'Cancelled', kind: 'final', locked: true },
  ],
  transitions: [
    { key: 'submit', label: 'Submit', from: 'draft', to: 'submitted', actors: { initiator: true } },
    {
      key: 'review',
      label: 'Start review',
      from: 'submitted',
      to: 'under_review',
      actors: { roles: ['quality'] },
    },
    {
      key: 'propose',
      label: 'Propose disposition',
      from: 'under_review',
      to: 'disposition',
      actors: { roles: ['quality'] },
    },
    {
      key: 'approve',
      label: 'Approve disposition',
      from: 'disposition',
      to: 'rework',
      signature: { meaning: 'approval' },
      approval: {
        rejectTo: 'under_review',
        groups: [
          { label: 'Quality', role: 'quality', minimum: 2 },
          {
            label: 'Engineering',
            role: 'engineering',
            when: { field: 'disposition', op: 'eq', value: 'use_as_is' },
          },
        ],
      },
    },
    {
      key: 'close',
      label: 'Close',
      from: 'rework',
      to: 'closed',
      actors: { permissions: ['quality.manage'] },
      guard: { field: 'disposition', op: 'is_set' },
      comment: 'required',
      signature: { meaning: 'responsibility' },
    },
    {
      key: 'cancel',
      label: 'Cancel',
      from: 'draft',
      to: 'cancelled',
      actors: { initiator: true, roles: ['quality'] },
    },
  ],
};

export const ncrDefinition = define(ncrInput);
