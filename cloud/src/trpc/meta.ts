import type { Permission } from '@plantline/schema';

/**
 * Who may call a procedure. Every procedure declares one (tested in app-router.test.ts):
 * `public` — anyone, `signed-in` — any user or API key, or the permission it needs.
 */
export type Access = 'public' | 'signed-in' | Permission;

export interface ProcedureMeta {
  access?: Access;
  /**
   * Why a mutation may change data without an audit entry (reading a notification, machine events
   * that are records themselves). Without it, a mutation that writes and records nothing is refused
   * (procedures.ts) and fails app-router.audit.test.ts.
   */
  unaudited?: string;
  /**
   * The call waits before it answers (a long poll): it runs without a call transaction and opens its
   * own per unit of work (procedures.ts, `permittedWaitingProcedure`).
   */
  waits?: true;
  /**
   * A query that may read data a moment old (`permittedLaggingProcedure`): with a read server
   * configured its work runs there (docs/architecture.md, "The database").
   */
  lagging?: true;
  /**
   * A query whose work runs in a reading transaction (`permittedReadingProcedure`), where its parts
   * may run side by side; like a lagging one, on the read server when one is configured.
   */
  reading?: true;
}
