import type { Sql } from '../db/database.js';
import type { Scope } from './principal.js';

/*
 * Edits of records that may run under a workflow (docs/workflows.md, "Field locks and signatures").
 * The workflow module implements this; modules that the workflow module itself builds on (the
 * configuration engine's custom values) reach it through the app's dependencies rather than by
 * import, which would make a cycle.
 */

/** Which fields an edit changes: built-in keys and custom fields as `custom.<key>`. */
export interface RecordEdit {
  entityType: string;
  entityId: string;
  fields: readonly string[];
}

export interface RecordEditGuard {
  /** Refuses (DomainError 'conflict') an edit that the record's current workflow state locks. */
  check(tx: Sql, actor: Scope, edit: RecordEdit): Promise<void>;
  /**
   * After the edit is written, in the same transaction: voids pending signatures bound to the old
   * content and remembers the editor (for "no one who edited the record" approvals).
   */
  edited(tx: Sql, actor: Scope, edit: RecordEdit): Promise<void>;
}
