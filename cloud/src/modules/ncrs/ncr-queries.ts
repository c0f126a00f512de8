import { tables } from '@plantline/schema';
import { and, asc, desc, eq, ilike, inArray, or, type SQL, sql } from 'drizzle-orm';
import { type AnyPgColumn, alias } from 'drizzle-orm/pg-core';
import type { Sql } from '../../db/index.js';
import { notFound } from '../../platform/index.js';

/*
 * Reading NCRs (docs/ncrs.md): one row shape for lists and the record page, with the names of what
 * it points at so neither needs a second call. Row-level security keeps each caller to the plants
 * they reach: an NCR of another plant is "not found".
 */

const n = tables.ncrs;
const owner = alias(tables.users, 'ncr_owner');
const raiser = alias(tables.users, 'ncr_raiser');

const ncrColumns = {
  id: n.id,
  plantId: n.plantId,
  plantCode: tables.plants.code,
  number: n.number,
  title: n.title,
  status: n.status,
  lineId: n.lineId,
  lineCode: tables.lines.code,
  machineId: n.machineId,
  machineCode: tables.machines.code,
  machineName: tables.machines.name,
  productId: n.productId,
  productCode: tables.products.code,
  productName: tables.products.name,
  productionOrderId: n.productionOrderId,
  orderNumber: tables.productionOrders.number,
  lot: n.lot,
  serial: n.serial,
  defectCodeId: n.defectCodeId,
  defectCode: tables.defectCodes.code,
  defectName: tables.defectCodes.name,
  quantityAffected: n.quantityAffected,
  description: n.description,
  containment: n.containment,
  rootCause: n.rootCause,
  disposition: n.disposition,
  cost: n.cost,
  ownerId: n.ownerId,
  ownerName: owner.displayName,
  raisedBy: n.raisedBy,
  raisedByName: raiser.displayName,
  version: n.version,
  createdAt: n.createdAt,
  updatedAt: n.updatedAt,
};

/** The joined row of the NCR's tenant whose id is in `column`. */
const sameTenant = (t: { tenantId: AnyPgColumn; id: AnyPgColumn }, column: AnyPgColumn) =>
  and(eq(t.tenantId, n.tenantId), eq(t.id, column));

function selectNcrs(tx: Sql) {
  return tx
    .select(ncrColumns)
    .from(n)
    .innerJoin(tables.plants, sameTenant(tables.plants, n.plantId))
    .leftJoin(tables.lines, sameTenant(tables.lines, n.lineId))
    .leftJoin(tables.machines, sameTenant(tables.machines, n.machineId))
    .leftJoin(tables.products, sameTenant(tables.products, n.productId))
    .leftJoin(tables.productionOrders, sameTenant(tables.productionOrders, n.productionOrderId))
    .leftJoin(tables.defectCodes, sameTenant(tables.defectCodes, n.defectCodeId))
    .leftJoin(owner, sameTenant(owner, n.ownerId))
    .leftJoin(raiser, sameTenant(raiser, n.raisedBy));
}

type Row = Awaited<ReturnType<ReturnType<typeof selectNcrs>['where']>>[number];

/** Quantities and costs are numeric in the database; the API speaks numbers. */
const asNcr = (row: Row) => ({
  ...row,
  quantityAffected: row.quantityAffected === null ? null : Number(row.quantityAffected),
  cost: row.cost === null ? null : Number(row.cost),
});

export type Ncr = ReturnType<typeof asNcr>;

export async function findNcr(tx: Sql, id: string): Promise<Ncr> {
  const [row] = await selectNcrs(tx).where(eq(n.id, id));
  if (row === undefined) throw notFound('NCR');
  return asNcr(row);
}

/** The inspections an NCR is about, oldest first. */
export async function linkedInspections(tx: Sql, ncr: { id: string; plantId: string }) {
  const i = tables.inspections;
  const l = tables.ncrInspections;
  return tx
    .select({
      id: i.id,
      inspectedAt: i.inspectedAt,
      result: i.result,
      serial: i.serial,
      lot: i.lot,
      quantity: i.quantity,
      attempt: i.attempt,
      productCode: tables.products.code,
      operationCode: tables.routingOperations.code,
      operationName: tables.routingOperations.name,
      linkedAt: l.createdAt,
    })
    .from(l)
    .innerJoin(i, and(eq(i.tenantId, l.tenantId), eq(i.plantId, l.plantId), eq(i.id, l.inspectionId)))
    .innerJoin(
      tables.products,
      and(eq(tables.products.tenantId, i.tenantId), eq(tables.products.id, i.productId)),
    )
    .innerJoin(
      tables.routingOperations,
      and(eq(tables.routingOperations.tenantId, i.tenantId), eq(tables.routingOperations.id, i.operationId)),
    )
    .where(and(eq(l.plantId, ncr.plantId), eq(l.ncrId, ncr.id)))
    .orderBy(asc(i.inspectedAt), asc(i.id));
}

export interface NcrFilter {
  plantId?: string | undefined;
  /** Workflow state keys. */
  status?: readonly string[] | undefined;
  machineId?: string | undefined;
  productId?: string | undefined;
  /** Words in the number, title, lot or serial number. */
  text?: string | undefined;
  limit: number;
  /** The id of the last NCR of the previous page. */
  cursor?: string | undefined;
}

/** `%` and `_` typed by a user are literal characters, not wildcards. */
const literal = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * NCRs, newest first, a page at a time; the cursor is the last NCR's id, compared by
 * (created_at, id) in the database, as the order list pages.
 */
export async function listNcrs(tx: Sql, input: NcrFilter) {
  const conditions: (SQL | undefined)[] = [];
  if (input.plantId !== undefined) conditions.push(eq(n.plantId, input.plantId));
  if (input.status !== undefined && input.status.length > 0)
    conditions.push(inArray(n.status, [...input.status]));
  if (input.machineId !== undefined) conditions.push(eq(n.machineId, input.machineId));
  if (input.productId !== undefined) conditions.push(eq(n.productId, input.productId));
  for (const word of (input.text ?? '').split(/\s+/).filter(Boolean)) {
    const pattern = `%${literal(word)}%`;
    conditions.push(
      or(ilike(n.number, pattern), ilike(n.title, pattern), ilike(n.lot, pattern), ilike(n.serial, pattern)),
    );
  }
  if (input.cursor !== undefined)
    conditions.push(
      sql`(${n.createdAt}, ${n.id}) < (select c.created_at, c.id from ${n} c where c.id = ${input.cursor})`,
    );
  const found = await selectNcrs(tx)
    .where(and(...conditions))
    .orderBy(desc(n.createdAt), desc(n.id))
    .limit(input.limit + 1);
  const items = found.slice(0, input.limit).map(asNcr);
  return { items, nextCursor: found.length > input.limit ? (items.at(-1)?.id ?? null) : null };
}

/** Who changed an NCR last and when, from the audit trail: what a stale edit did not see. */
export async function lastChange(tx: Sql, id: string): Promise<{ actorName: string; at: Date } | null> {
  const a = tables.auditLog;
  const [entry] = await tx
    .select({ actorName: a.actorName, at: a.recordedAt })
    .from(a)
    .where(and(eq(a.entityType, 'ncr'), eq(a.entityId, id)))
    .orderBy(desc(a.seq))
    .limit(1);
  return entry ?? null;
}
