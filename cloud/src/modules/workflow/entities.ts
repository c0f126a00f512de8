import type { Permission } from '@plantline/schema';
import type { Sql } from '../../db/index.js';
import type { Scope } from '../../platform/index.js';
import type { FieldKind } from './engine/types.js';

/*
 * The record types workflows run on (docs/workflows.md, "Adding a record type"). A domain describes
 * its table and built-in fields once; the workflow engine reads and writes records only through these
 * descriptions, whose identifiers are constants, never caller input. Domains that import the workflow
 * module (NCRs, change orders) export their description and the composition root hands the list to
 * the app (AppDeps.workflowEntities), so the workflow module never imports them back. Custom fields
 * come from the configuration engine under the same entity type key.
 */

export interface BuiltinField {
  /** The field's ref in definitions: `disposition`. */
  key: string;
  label: string;
  kind: FieldKind;
  /** The SQL column on the entity's table. */
  column: string;
  /** For `choice`: the allowed values. */
  choices?: readonly string[];
  /** Whether a `set_field` or `take_number` action may write it. */
  settable: boolean;
  /**
   * A domain's own write of the field, in the acting transaction, instead of a plain column update:
   * setting a change order's `implemented_at` applies its product revisions.
   */
  apply?: (tx: Sql, actor: Scope, entityId: string, value: unknown) => Promise<void>;
}

export interface WorkflowEntity {
  /** The entity type key, as the configuration engine and search know it (`ncr`). */
  key: string;
  label: string;
  table: string;
  /** The record's number or code, and its title, for the inbox and notifications. */
  codeColumn: string;
  titleColumn: string | null;
  /** Null for tenant-wide records. */
  plantColumn: string | null;
  /** A column that mirrors the instance's state key, so lists filter without a join; null if none. */
  statusColumn: string | null;
  /** A column naming who created the record, used as the initiator when no one else is known. */
  createdByColumn: string | null;
  /** The record's row version, bumped when the workflow writes a field, so a stale form is refused. */
  versionColumn?: string | null;
  /** Set to now() when the workflow writes a field. */
  updatedAtColumn?: string | null;
  /** Who may see the record's workflow (its timeline, signatures and actions). */
  readPermission: Permission;
  fields: readonly BuiltinField[];
  /** The web page of a record. */
  link: (entityId: string) => string;
}

/** The record types of this app, by key. */
export type WorkflowEntities = ReadonlyMap<string, WorkflowEntity>;

/** The registry from the domains' descriptions; a key given twice is a programming error. */
export function workflowEntityMap(list: readonly WorkflowEntity[]): WorkflowEntities {
  const map = new Map<string, WorkflowEntity>();
  for (const entity of list) {
    if (map.has(entity.key)) throw new Error(`Workflow entity ${entity.key} is described twice`);
    map.set(entity.key, entity);
  }
  return map;
}
