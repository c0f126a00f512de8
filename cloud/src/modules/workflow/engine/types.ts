import type { Condition, Scalar, WorkflowDefinition } from '@plantline/schema/workflow';

/*
 * The vocabulary of the pure workflow engine (docs/workflows.md): what it knows of a record's fields,
 * of votes and of the people voting. Nothing here touches the database; the module's database code
 * loads these shapes and hands them to the engine's functions.
 */

/** How a guard may compare a field: the kinds every built-in and custom field maps to. */
export type FieldKind =
  | 'text'
  | 'number'
  | 'boolean'
  | 'date'
  | 'datetime'
  | 'choice'
  | 'choices'
  | 'user'
  | 'reference';

/** One field a definition may name: `disposition`, or a custom field as `custom.batch`. */
export interface CatalogueField {
  ref: string;
  label: string;
  kind: FieldKind;
  /** For `choice` and `choices`: the allowed values (a built-in enum's values, a type list's option keys). */
  choices?: readonly string[];
  /** What people read for each choice, when it differs from the value (a type list option's label). */
  choiceLabels?: Readonly<Record<string, string>>;
  /** Whether a `set_field` action may write it. */
  settable: boolean;
}

/** The fields of one entity type, by ref. Publishing checks every reference against it. */
export type FieldCatalogue = ReadonlyMap<string, CatalogueField>;

/** A record's current values by field ref (`custom.x` for custom fields); missing means empty. */
export type RecordFields = Readonly<Record<string, Scalar | readonly Scalar[] | undefined>>;

/** A problem found when publishing, located so the designer can draw it on the graph. */
export interface ValidationIssue {
  /** Where: the definition as a whole, a state or a transition (by key). */
  at: { kind: 'definition' } | { kind: 'state'; key: string } | { kind: 'transition'; key: string };
  /** A JSON path inside the located part (`guard.all.0.field`), or '' for the part itself. */
  path: string;
  message: string;
}

/** Someone who may vote: the user, their roles (by key) and whether they reach the record's plant. */
export interface Voter {
  userId: string;
  roleKeys: ReadonlySet<string>;
}

/** One stored vote (a row of `approvals` not voided). */
export interface CastVote {
  voterId: string;
  /** Whose vote it is: the voter, or the delegator under a delegation. */
  countsForId: string;
  decision: 'approve' | 'reject';
  comment: string | null;
  /** When it was cast; votes of the same instant are taken in the order given. */
  at: Date;
}

/** Everything the quorum rules need besides the votes. */
export interface ApprovalContext {
  /** Who started the instance: never an approver (separation of duties). */
  initiatorId: string | null;
  /** Who edited the record since the instance started (excluded when the approval says so). */
  editorIds: ReadonlySet<string>;
  /** The record's fields, for groups with a `when` condition. */
  record: RecordFields;
  /**
   * Members of each role named by a group, by role key (for percentages and eligibility), at the
   * record's plant. The tally counts a role vote only for a listed member, so this must agree with
   * the `roleKeys` given to `voteEligibility` (docs/workflows.md, "Approvals and quorum").
   */
  roleMembers: ReadonlyMap<string, readonly string[]>;
}

export type { Condition, Scalar, WorkflowDefinition };
