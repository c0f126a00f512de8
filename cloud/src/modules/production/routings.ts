import { tables } from '@plantline/schema';
import { and, asc, eq, inArray, notInArray, sql } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import {
  auditCreate,
  auditDelete,
  auditUpdate,
  DomainError,
  notFound,
  takenCode,
  uniqueCode,
} from '../../platform/index.js';

/*
 * Routings: the ordered operations a product goes through. RTY is the
 * product of the FPY of a routing's operations (docs/kpis.md), and inspections name the operation
 * they belong to.
 */

export interface OperationFields {
  sequence: number;
  code: string;
  name: string;
  lineId?: string | null | undefined;
}

const routingColumns = {
  id: tables.routings.id,
  productId: tables.routings.productId,
  code: tables.routings.code,
  name: tables.routings.name,
  isActive: tables.routings.isActive,
};

const operationColumns = {
  id: tables.routingOperations.id,
  routingId: tables.routingOperations.routingId,
  sequence: tables.routingOperations.sequence,
  code: tables.routingOperations.code,
  name: tables.routingOperations.name,
  lineId: tables.routingOperations.lineId,
  lineCode: tables.lines.code,
};

export async function listRoutings(
  tx: Sql,
  input: { productId?: string | undefined; includeInactive?: boolean | undefined; id?: string | undefined },
) {
  const routings = await tx
    .select(routingColumns)
    .from(tables.routings)
    .where(
      and(
        input.id === undefined ? undefined : eq(tables.routings.id, input.id),
        input.productId === undefined ? undefined : eq(tables.routings.productId, input.productId),
        input.includeInactive === true ? undefined : eq(tables.routings.isActive, true),
      ),
    )
    .orderBy(asc(tables.routings.code));
  if (routings.length === 0) return [];
  const operations = await tx
    .select(operationColumns)
    .from(tables.routingOperations)
    .leftJoin(tables.lines, eq(tables.lines.id, tables.routingOperations.lineId))
    .where(
      inArray(
        tables.routingOperations.routingId,
        routings.map((r) => r.id),
      ),
    )
    .orderBy(asc(tables.routingOperations.sequence));
  return routings.map((r) => ({ ...r, operations: operations.filter((o) => o.routingId === r.id) }));
}

async function routingWithOperations(tx: Sql, id: string) {
  const [routing] = await listRoutings(tx, { id, includeInactive: true });
  if (routing === undefined) throw notFound('Routing');
  return routing;
}

type Routing = Awaited<ReturnType<typeof routingWithOperations>>;

/**
 * Records a routing's creation or change in the audit trail: the routing's own fields, then each
 * operation created, changed or removed as a record of its own (matched by id, which a kept code
 * keeps), named by the routing's code as it now is.
 */
function auditRouting(tx: Sql, productCode: string, before: Routing | null, after: Routing) {
  const routingOf = ({ operations: _, ...routing }: Routing) => ({ ...routing, productCode });
  const operationOf = ({ routingId: _, ...operation }: Routing['operations'][number]) => ({
    ...operation,
    routingCode: after.code,
  });
  const labelOf = (operation: { code: string }) => ({ label: `${after.code}/${operation.code}` });
  if (before === null) auditCreate(tx, 'routing', routingOf(after), { label: after.code });
  else auditUpdate(tx, 'routing', routingOf(before), routingOf(after), { label: after.code });
  const was = new Map((before?.operations ?? []).map((op) => [op.id, operationOf(op)]));
  for (const operation of after.operations) {
    const previous = was.get(operation.id);
    if (previous === undefined)
      auditCreate(tx, 'routing_operation', operationOf(operation), labelOf(operation));
    else auditUpdate(tx, 'routing_operation', previous, operationOf(operation), labelOf(operation));
    was.delete(operation.id);
  }
  for (const removed of was.values()) auditDelete(tx, 'routing_operation', removed, labelOf(removed));
}

async function checkOperations(tx: Sql, operations: OperationFields[]) {
  const sequences = new Set(operations.map((o) => o.sequence));
  const codes = new Set(operations.map((o) => o.code));
  if (sequences.size !== operations.length || codes.size !== operations.length)
    throw new DomainError('invalid', 'Each operation needs its own sequence number and code', {
      operations: 'Duplicate sequence or code',
    });
  const lineIds = [...new Set(operations.flatMap((o) => (o.lineId == null ? [] : [o.lineId])))];
  if (lineIds.length > 0) {
    const found = await tx
      .select({ id: tables.lines.id })
      .from(tables.lines)
      .where(inArray(tables.lines.id, lineIds));
    if (found.length !== lineIds.length) throw notFound('Line');
  }
}

/** Replaces the operations, matched by code so that inspections keep pointing at theirs. */
async function replaceOperations(
  tx: Sql,
  tenantId: string,
  routingId: string,
  operations: OperationFields[],
) {
  await checkOperations(tx, operations);
  const codes = operations.map((o) => o.code);
  const removed = await tx
    .select({ id: tables.routingOperations.id })
    .from(tables.routingOperations)
    .where(
      and(
        eq(tables.routingOperations.routingId, routingId),
        codes.length === 0 ? undefined : notInArray(tables.routingOperations.code, codes),
      ),
    );
  if (removed.length > 0) {
    const [used] = await tx
      .select({ id: tables.inspections.id })
      .from(tables.inspections)
      .where(
        inArray(
          tables.inspections.operationId,
          removed.map((r) => r.id),
        ),
      )
      .limit(1);
    if (used !== undefined)
      throw new DomainError(
        'conflict',
        'An operation with inspections cannot be removed; deactivate the routing instead',
        {
          operations: 'In use',
        },
      );
    await tx.delete(tables.routingOperations).where(
      inArray(
        tables.routingOperations.id,
        removed.map((r) => r.id),
      ),
    );
  }
  // Sequences may swap between operations: park the kept ones out of the way first.
  await tx
    .update(tables.routingOperations)
    .set({ sequence: sql`${tables.routingOperations.sequence} + 1000000` })
    .where(eq(tables.routingOperations.routingId, routingId));
  for (const operation of operations) {
    await tx
      .insert(tables.routingOperations)
      .values({ ...operation, lineId: operation.lineId ?? null, tenantId, routingId })
      .onConflictDoUpdate({
        target: [
          tables.routingOperations.tenantId,
          tables.routingOperations.routingId,
          tables.routingOperations.code,
        ],
        set: { sequence: operation.sequence, name: operation.name, lineId: operation.lineId ?? null },
      });
  }
}

export async function createRouting(
  tx: Sql,
  tenantId: string,
  input: { productId: string; code: string; name: string; operations: OperationFields[] },
) {
  const [product] = await tx
    .select({ id: tables.products.id, code: tables.products.code })
    .from(tables.products)
    .where(eq(tables.products.id, input.productId));
  if (product === undefined) throw notFound('Product');
  await checkOperations(tx, input.operations);
  const [routing] = await tx
    .insert(tables.routings)
    .values({ tenantId, productId: input.productId, code: input.code, name: input.name })
    .onConflictDoNothing()
    .returning(routingColumns);
  if (routing === undefined) throw takenCode();
  await replaceOperations(tx, tenantId, routing.id, input.operations);
  const created = await routingWithOperations(tx, routing.id);
  auditRouting(tx, product.code, null, created);
  return created;
}

export async function updateRouting(
  tx: Sql,
  tenantId: string,
  id: string,
  patch: {
    code?: string | undefined;
    name?: string | undefined;
    isActive?: boolean | undefined;
    operations?: OperationFields[] | undefined;
  },
) {
  const [locked] = await tx
    .select({ productCode: tables.products.code })
    .from(tables.routings)
    .innerJoin(tables.products, eq(tables.products.id, tables.routings.productId))
    .where(eq(tables.routings.id, id))
    .for('update', { of: tables.routings });
  if (locked === undefined) throw notFound('Routing');
  const before = await routingWithOperations(tx, id);
  const { operations, ...fields } = patch;
  if (Object.values(fields).some((v) => v !== undefined))
    await uniqueCode(tx.update(tables.routings).set(fields).where(eq(tables.routings.id, id)));
  if (operations !== undefined) await replaceOperations(tx, tenantId, id, operations);
  const after = await routingWithOperations(tx, id);
  auditRouting(tx, locked.productCode, before, after);
  return after;
}
