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
