import { z } from 'zod';
import { permissionSchema } from '../permissions.js';

/*
 * A workflow definition is data (docs/workflows.md): states, the transitions between them, who may
 * take each, the guard over the record's fields, and the approval a transition waits for. The web
 * designer edits this document, the cloud validates it against the entity type's fields when it is
 * published and then freezes it as a version. Nothing in it is code: guards are typed conditions,
 * actions come from a fixed catalogue.
 */

/** Keys of states and transitions: stable names the history and the instances refer to. */
export const WORKFLOW_KEY_PATTERN = /^[a-z][a-z0-9_]{0,39}$/;
export const workflowKeySchema = z
  .string()
  .regex(WORKFLOW_KEY_PATTERN, 'Use 1–40 lower-case letters, digits and _ , starting with a letter');

/**
 * A field of the record: a built-in one by its key (`disposition`) or a custom field as
 * `custom.<key>`. Which fields exist depends on the entity type; publishing checks every reference.
 */
export const FIELD_REF_PATTERN = /^(custom\.)?[a-z][a-z0-9_]{0,62}$/;
export const fieldRefSchema = z
  .string()
  .regex(FIELD_REF_PATTERN, 'Name a field such as disposition or custom.batch');
export const CUSTOM_FIELD_PREFIX = 'custom.';

export const scalarSchema = z.union([z.string().max(500), z.number().finite(), z.boolean(), z.null()]);
export type Scalar = z.infer<typeof scalarSchema>;

export const comparisonOps = [
  'eq',
  'ne',
  'gt',
  'gte',
  'lt',
  'lte',
  'in',
  'not_in',
  'is_set',
  'is_empty',
  'contains',
] as const;
export type ComparisonOp = (typeof comparisonOps)[number];

/** One comparison of a field with a constant. `in`/`not_in` take a list; `is_set`/`is_empty` none. */
export interface FieldCondition {
  field: string;
  op: ComparisonOp;
  value?: Scalar | Scalar[] | undefined;
}
export type Condition = FieldCondition | { all: Condition[] } | { any: Condition[] } | { not: Condition };

export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.object({ all: z.array(conditionSchema).max(20) }).strict(),
    z.object({ any: z.array(conditionSchema).max(20) }).strict(),
    z.object({ not: conditionSchema }).strict(),
    z
      .object({
        field: fieldRefSchema,
        op: z.enum(comparisonOps),
        value: z.union([scalarSchema, z.array(scalarSchema).max(50)]).optional(),
      })
      .strict(),
  ]),
);

/** Who hears about something: a role's members, a user named by a field of the record, holders of a permission, or whoever started the instance. */
export const audienceSchema = z.union([
  z.object({ role: z.string().min(1).max(63) }).strict(),
  z.object({ userField: fieldRefSchema }).strict(),
  z.object({ permission: permissionSchema }).strict(),
  z.object({ initiator: z.literal(true) }).strict(),
]);
export type Audience = z.infer<typeof audienceSchema>;

/** What happens when an instance enters a state: the fixed catalogue (docs/workflows.md, "On entering"). */
export const enterActionSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('set_field'),
      field: fieldRefSchema,
      /** A constant, or the moment of entering (`now`) or the acting user (`actor`). */
      value: scalarSchema.optional(),
      from: z.enum(['now', 'actor']).optional(),
    })
    .strict(),
  z
    .object({ type: z.literal('take_number'), field: fieldRefSchema, sequence: z.string().min(1).max(63) })
    .strict(),
  z
    .object({
      type: z.literal('notify'),
      to: audienceSchema,
      title: z.string().min(1).max(200),
      body: z.string().max(2000).optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal('start_sla'),
      /** Time allowed in the state. */
      hours: z
        .number()
        .positive()
        .max(24 * 365),
      /** Remind the people who can act this long before it is due; none when absent. */
      remindBeforeHours: z
        .number()
        .positive()
        .max(24 * 365)
        .optional(),
      /** Who is told, and given a task, once it is overdue. */
      escalateToRole: z.string().min(1).max(63).optional(),
    })
    .strict(),
]);
export type EnterAction = z.infer<typeof enterActionSchema>;

export const stateKinds = ['initial', 'normal', 'final'] as const;
export type StateKind = (typeof stateKinds)[number];

export const stateSchema = z
  .object({
    key: workflowKeySchema,
    label: z.string().min(1).max(80),
    kind: z.enum(stateKinds),
    /** The whole record is read-only in this state (a closed NCR). */
    locked: z.boolean().default(false),
    /** Fields that cannot change while in this state. */
    readOnly: z.array(fieldRefSchema).max(200).default([]),
    /** Fields that must have a value to enter this state. */
    required: z.array(fieldRefSchema).max(200).default([]),
    onEnter: z.array(enterActionSchema).max(20).default([]),
    /** Where the designer draws it. */
    position: z.object({ x: z.number().finite(), y: z.number().finite() }).default({ x: 0, y: 0 }),
  })
  .strict();
export type WorkflowState = z.infer<typeof stateSchema>;

/**
 * One group of an approval: who may vote in it and how many votes it needs. Named `users` must all
 * approve; `minimum` counts every approval in the group (named or from the role); `percent` is of
 * the role's members at the time the vote is counted. A group with a `when` condition applies only
 * to records that meet it (use-as-is also needs Engineering).
 */
export const approvalGroupSchema = z
  .object({
    label: z.string().min(1).max(80),
    role: z.string().min(1).max(63).optional(),
    users: z.array(z.uuid()).max(50).default([]),
    minimum: z.number().int().min(1).max(100).optional(),
    percent: z.number().min(1).max(100).optional(),
    when: conditionSchema.optional(),
  })
  .strict();
export type ApprovalGroup = z.infer<typeof approvalGroupSchema>;

export const approvalSchema = z
  .object({
    groups: z.array(approvalGroupSchema).min(1).max(10),
    /** In sequence, a group votes only once the groups before it are satisfied. */
    order: z.enum(['parallel', 'sequence']).default('parallel'),
    /** Nobody who edited the record since the workflow started may approve it. */
    excludeEditors: z.boolean().default(false),
    /** Where one rejection sends the instance. */
    rejectTo: workflowKeySchema,
  })
  .strict();
export type Approval = z.infer<typeof approvalSchema>;

/** The meaning a signature carries (21 CFR 11.50(a)(3)): review, approval, responsibility, authorship. */
export const signatureMeanings = ['review', 'approval', 'responsibility', 'authorship'] as const;
export type SignatureMeaning = (typeof signatureMeanings)[number];

export const transitionSchema = z
  .object({
    key: workflowKeySchema,
    /** The action's name on the button: Submit, Approve disposition, Close. */
    label: z.string().min(1).max(80),
    from: workflowKeySchema,
    to: workflowKeySchema,
    /**
     * Who may take it: anyone matching one of these. An approval transition's voters are its groups;
     * these then say who may see it and act on the outcome.
     */
    actors: z
      .object({
        permissions: z.array(permissionSchema).max(20).default([]),
        roles: z.array(z.string().min(1).max(63)).max(20).default([]),
        userFields: z.array(fieldRefSchema).max(10).default([]),
        initiator: z.boolean().default(false),
      })
      .strict()
      .default({ permissions: [], roles: [], userFields: [], initiator: false }),
    guard: conditionSchema.nullable().default(null),
    comment: z.enum(['none', 'optional', 'required']).default('optional'),
    signature: z
      .object({ meaning: z.enum(signatureMeanings) })
      .strict()
      .nullable()
      .default(null),
    approval: approvalSchema.nullable().default(null),
  })
  .strict();
export type WorkflowTransition = z.infer<typeof transitionSchema>;

export const definitionSchema = z
  .object({
    states: z.array(stateSchema).min(1).max(60),
    transitions: z.array(transitionSchema).max(200),
  })
  .strict();
export type WorkflowDefinition = z.infer<typeof definitionSchema>;
/** A definition as the designer holds it before defaults are filled in. */
export type WorkflowDefinitionInput = z.input<typeof definitionSchema>;
