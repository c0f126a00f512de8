import type { Sql } from '../db/database.js';

/*
 * Writes that must outlast the call making them. A refused attempt — a wrong signing password
 * (21 CFR 11.300(d), docs/workflows.md "Electronic signatures") — is recorded although the refusal
 * rolls the call's transaction back. The record cannot be written in a second transaction while the
 * call's is open: the embedded engine has one connection. So the work is registered on the call's
 * transaction and the access middleware (trpc/procedures.ts) runs it in a transaction of its own
 * once the call's has ended, committed or rolled back, before the caller gets the answer.
 */

/** One piece of kept work, given the transaction it runs in (scoped to the same caller). */
export type KeptWrite = (tx: Sql) => Promise<void>;

const kept = new WeakMap<Sql, KeptWrite[]>();

/** Called by whoever opens a transaction and will run its kept writes after it ends. */
export function acceptKeptWrites(tx: Sql): void {
  kept.set(tx, []);
}

/**
 * Registers `write` to run after `tx` ends, whatever its outcome. A transaction nobody will run
 * kept writes for refuses it: a record that would silently never be written is a bug.
 */
export function keepWrite(tx: Sql, write: KeptWrite): void {
  const list = kept.get(tx);
  if (list === undefined) throw new Error('keepWrite() needs the transaction of an API call');
  list.push(write);
}

/** The writes registered on `tx`, taken (a second call returns none). */
export function takeKeptWrites(tx: Sql): KeptWrite[] {
  const list = kept.get(tx) ?? [];
  kept.delete(tx);
  return list;
}
