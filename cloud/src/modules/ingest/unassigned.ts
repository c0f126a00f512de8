import { tables } from '@plantline/schema';
import { and, count, desc, eq, inArray } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import { audit, notFound } from '../../platform/index.js';
import { loadCodes } from './codes.js';
import { type IngestCaller, type IngestOutcome, ingestEvents } from './ingest.js';

/** Held events, newest first, with the total; row-level security limits them to the caller's plants. */
export async function listUnassigned(tx: Sql, input: { plantId?: string | undefined; limit: number }) {
  const t = tables.unassignedEvents;
  const where = input.plantId === undefined ? undefined : eq(t.plantId, input.plantId);
  const items = await tx
    .select({
      eventId: t.eventId,
      plantId: t.plantId,
      lineCode: t.lineCode,
      machineCode: t.machineCode,
      kind: t.kind,
      time: t.time,
      reason: t.reason,
      heldAt: t.createdAt,
    })
    .from(t)
    .where(where)
    .orderBy(desc(t.createdAt))
    .limit(input.limit);
  const [total] = await tx.select({ n: count() }).from(t).where(where);
  return { total: total?.n ?? 0, items };
}

/**
 * Re-ingests the events held for a machine that now exists in master data. Each event goes through
 * the same path as at first (so it is validated again and stays idempotent); the ones stored — or
 * already there — leave the holding table.
 */
export async function releaseUnassigned(
  tx: Sql,
  caller: IngestCaller,
  machineId: string,
): Promise<IngestOutcome & { released: number; stillHeld: number }> {
  const [machine] = await tx
    .select({ plantId: tables.machines.plantId, code: tables.machines.code, lineCode: tables.lines.code })
    .from(tables.machines)
    .innerJoin(
      tables.lines,
      and(eq(tables.lines.tenantId, tables.machines.tenantId), eq(tables.lines.id, tables.machines.lineId)),
    )
    .where(eq(tables.machines.id, machineId));
  if (machine === undefined) throw notFound('Machine');
  const t = tables.unassignedEvents;
  const heldRows = await tx
    .select({ eventId: t.eventId, envelope: t.envelope })
    .from(t)
    .where(
      and(eq(t.plantId, machine.plantId), eq(t.lineCode, machine.lineCode), eq(t.machineCode, machine.code)),
    )
    .orderBy(t.eventId);
  if (heldRows.length === 0)
    return {
      results: [],
      stored: [],
      commitSeq: null,
      held: new Set(),
      scans: [],
      counts: [],
      released: 0,
      stillHeld: 0,
    };
  // Fresh codes, not the cache: the machine may have been added a moment ago on another instance.
  const outcome = await ingestEvents(
    tx,
    caller,
    await loadCodes(tx),
    heldRows.map((r) => r.envelope),
  );
  const done = heldRows
    .filter((_, i) => !outcome.held.has(i) && outcome.results[i]?.status !== 'rejected')
    .map((r) => r.eventId);
  if (done.length > 0) await tx.delete(t).where(inArray(t.eventId, done));
  const counts = { released: done.length, stillHeld: heldRows.length - done.length };
  // The events keep their own ids and times; the entry says who assigned them to the machine, how
  // many, and where in the commit log they went in.
  audit(tx, {
    action: 'machine.release-held-events',
    entityType: 'machine',
    entityId: machineId,
    entityLabel: machine.code,
    plantId: machine.plantId,
    after: { line: machine.lineCode, ...counts, commitSeq: outcome.commitSeq },
  });
  return { ...outcome, ...counts };
}
