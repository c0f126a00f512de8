import type { ScopedWork, Sql } from './database.js';

/*
 * Reads that run beside a transaction (docs/architecture.md, "The database"). A report's OEE sums
 * its state time and its counts in two independent statements; on a PostgreSQL server they can run
 * on two connections at once, each on its own core, if both read the same instant of the database.
 * The transaction opened by `Database.transactReading` exports its snapshot (pg_export_snapshot),
 * and each read alongside it opens a sibling transaction on another connection that imports that
 * snapshot (SET TRANSACTION SNAPSHOT) and the same scope, so the two see exactly the same rows.
 *
 * Everywhere else — the embedded engine's one connection, or any transaction not opened that way —
 * the read runs on the transaction itself: the same rows, one statement after another.
 */

const siblings = new WeakMap<Sql, <T>(read: ScopedWork<T>) => Promise<T>>();

/** Called by the engine that opened `tx` with an exported snapshot. */
export function allowReadsAlongside(tx: Sql, open: <T>(read: ScopedWork<T>) => Promise<T>): void {
  siblings.set(tx, open);
}

/**
 * `read` on a sibling transaction that sees what `tx` sees, when `tx` allows it; otherwise on `tx`.
 * It must be awaited before `tx`'s own work ends: the snapshot lives only as long as `tx`.
 */
export function readAlongside<T>(tx: Sql, read: ScopedWork<T>): Promise<T> {
  const open = siblings.get(tx);
  return open === undefined ? read(tx) : open(read);
}

/**
 * `first` on `tx` and `second` beside it at the same time, when `tx` allows reads alongside;
 * otherwise both on `tx`, one after the other. Both have ended, failed or not, before it answers,
 * so that neither outlives the transaction's snapshot.
 */
export async function readSideBySide<A, B>(
  tx: Sql,
  first: ScopedWork<A>,
  second: ScopedWork<B>,
): Promise<[A, B]> {
  const open = siblings.get(tx);
  if (open === undefined) return [await first(tx), await second(tx)];
  const [a, b] = await Promise.allSettled([first(tx), open(second)]);
  if (a.status === 'rejected') throw a.reason;
  if (b.status === 'rejected') throw b.reason;
  return [a.value, b.value];
}
