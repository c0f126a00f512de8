import type { Sql } from '../db/database.js';
import type { AfterCommit } from './bus.js';
import type { Principal } from './principal.js';

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

/**
 * The calling procedure's context: its transaction, its caller and the effects that run once it
 * commits (voiding a signature notifies the signer; record pages are told to look again). `Caller`
 * is what the implementation needs beyond these, which a procedure's own context carries.
 */
export interface RecordEditCaller {
  tx: Sql;
  principal: Principal;
  afterCommit: AfterCommit;
}

export interface RecordEditGuard<Caller extends RecordEditCaller = RecordEditCaller> {
  /** Refuses (DomainError 'conflict') an edit that the record's current workflow state locks. */
  check(caller: Caller, edit: RecordEdit): Promise<void>;
  /**
   * After the edit is written, in the same transaction: voids pending signatures bound to the old
   * content and remembers the editor (for "no one who edited the record" approvals).
   */
  edited(caller: Caller, edit: RecordEdit): Promise<void>;
}
