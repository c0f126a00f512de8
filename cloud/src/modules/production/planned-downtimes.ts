import { tables } from '@plantline/schema';
import { and, asc, eq, gt, lt, type SQL, sql } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import { auditCreate, auditDelete, auditUpdate, DomainError, notFound } from '../../platform/index.js';
import { visibleLine, visibleMachine, visiblePlant } from './visibility.js';

/*
 * Planned downtimes (ISO 22400-2: PBT = planned operation time − planned downtime) for a plant, a
 * line or one machine. Generated breaks carry their shift; the rest are entered by planners.
 */

const downtimeColumns = {
  id: tables.plannedDowntimes.id,
  plantId: tables.plannedDowntimes.plantId,
  lineId: tables.plannedDowntimes.lineId,
  machineId: tables.plannedDowntimes.machineId,
  shiftId: tables.plannedDowntimes.shiftId,
  kind: tables.plannedDowntimes.kind,
  reasonId: tables.plannedDowntimes.reasonId,
  note: tables.plannedDowntimes.note,
  startsAt: tables.plannedDowntimes.startsAt,
  endsAt: tables.plannedDowntimes.endsAt,
};

/** Planned downtimes overlapping [from, to); a line or machine filter also returns the wider scopes that cover it. */
export async function listPlannedDowntimes(
  tx: Sql,
  input: {
    plantId?: string | undefined;
    lineId?: string | undefined;
    machineId?: string | undefined;
    from: Date;
    to: Date;
  },
) {
  const t = tables.plannedDowntimes;
  const conditions: (SQL | undefined)[] = [lt(t.startsAt, input.to), gt(t.endsAt, input.from)];
  if (input.plantId !== undefined) conditions.push(eq(t.plantId, input.plantId));
  if (input.machineId !== undefined) {
    const machine = await visibleMachine(tx, input.machineId);
    conditions.push(
      eq(t.plantId, machine.plantId),
      sql`(${t.lineId} is null or (${t.lineId} = ${machine.lineId} and (${t.machineId} is null or ${t.machineId} = ${machine.id})))`,
    );
  } else if (input.lineId !== undefined) {
    const line = await visibleLine(tx, input.lineId);
    conditions.push(eq(t.plantId, line.plantId), sql`(${t.lineId} is null or ${t.lineId} = ${line.id})`);
  }
  return tx
    .select(downtimeColumns)
    .from(t)
    .where(and(...conditions))
    .orderBy(asc(t.startsAt));
}

/**
 * A downtime as the audit trail records it: the codes of its line, machine and reason beside their
 * ids. It has no code of its own, so the trail names it by kind and start. Locked until the
 * transaction ends when it is about to change, so that "before" is what the change replaced.
 */
async function auditedDowntime(tx: Sql, id: string, lock = false) {
  const t = tables.plannedDowntimes;
  const query = tx
    .select({
      ...downtimeColumns,
      lineCode: tables.lines.code,
      machineCode: tables.machines.code,
      reasonCode: tables.downtimeReasons.code,
    })
    .from(t)
    .leftJoin(tables.lines, eq(tables.lines.id, t.lineId))
    .leftJoin(tables.machines, eq(tables.machines.id, t.machineId))
    .leftJoin(tables.downtimeReasons, eq(tables.downtimeReasons.id, t.reasonId))
    .where(eq(t.id, id));
  const [found] = lock ? await query.for('update', { of: t }) : await query;
  if (found === undefined) throw notFound('Planned downtime');
  const { plantId, ...row } = found;
  return { row, record: { label: `${row.kind} ${row.startsAt.toISOString()}`, plantId } };
}

export interface PlannedDowntimeFields {
  kind: tables.PlannedDowntimeKind;
  reasonId?: string | null | undefined;
  note?: string | null | undefined;
  startsAt: Date;
  endsAt: Date;
}

/** The scope as stored: a plant, a line of it, or a machine (with its line). */
async function resolveScope(
  tx: Sql,
  scope: { plantId?: string | undefined; lineId?: string | undefined; machineId?: string | undefined },
) {
  if (scope.machineId !== undefined) {
    const machine = await visibleMachine(tx, scope.machineId);
    return { plantId: machine.plantId, lineId: machine.lineId, machineId: machine.id };
  }
  if (scope.lineId !== undefined) {
    const line = await visibleLine(tx, scope.lineId);
    return { plantId: line.plantId, lineId: line.id, machineId: null };
  }
  if (scope.plantId === undefined)
    throw new DomainError('invalid', 'Name a plant, a line or a machine', { plantId: 'Required' });
  await visiblePlant(tx, scope.plantId);
  return { plantId: scope.plantId, lineId: null, machineId: null };
}

async function checkReason(tx: Sql, reasonId: string | null | undefined) {
  if (reasonId == null) return;
  const [reason] = await tx
    .select({ id: tables.downtimeReasons.id })
    .from(tables.downtimeReasons)
    .where(eq(tables.downtimeReasons.id, reasonId));
  if (reason === undefined) throw notFound('Downtime reason');
}

function checkDowntimeInterval(startsAt: Date, endsAt: Date) {
  if (endsAt <= startsAt)
    throw new DomainError('invalid', 'A planned downtime must end after it starts', {
      endsAt: 'Not after the start',
    });
}

export async function createPlannedDowntime(
  tx: Sql,
  tenantId: string,
  input: PlannedDowntimeFields & {
    plantId?: string | undefined;
    lineId?: string | undefined;
    machineId?: string | undefined;
  },
) {
  const scope = await resolveScope(tx, input);
  checkDowntimeInterval(input.startsAt, input.endsAt);
  await checkReason(tx, input.reasonId);
  const [downtime] = await tx
    .insert(tables.plannedDowntimes)
    .values({
      tenantId,
      ...scope,
      kind: input.kind,
      reasonId: input.reasonId ?? null,
      note: input.note ?? null,
      startsAt: input.startsAt,
      endsAt: input.endsAt,
    })
    .returning(downtimeColumns);
  const { row, record } = await auditedDowntime(tx, downtime!.id);
  auditCreate(tx, 'planned_downtime', row, record);
  return downtime!;
}

export async function updatePlannedDowntime(tx: Sql, id: string, patch: Partial<PlannedDowntimeFields>) {
  const before = await auditedDowntime(tx, id, true);
  const current = before.row;
  checkDowntimeInterval(patch.startsAt ?? current.startsAt, patch.endsAt ?? current.endsAt);
  await checkReason(tx, patch.reasonId);
  const [updated] = await tx
    .update(tables.plannedDowntimes)
    .set(patch)
    .where(eq(tables.plannedDowntimes.id, id))
    .returning(downtimeColumns);
  const after = await auditedDowntime(tx, id);
  auditUpdate(tx, 'planned_downtime', before.row, after.row, after.record);
  return updated!;
}

export async function deletePlannedDowntime(tx: Sql, id: string) {
  const { row, record } = await auditedDowntime(tx, id, true);
  const [deleted] = await tx
    .delete(tables.plannedDowntimes)
    .where(eq(tables.plannedDowntimes.id, id))
    .returning({ id: tables.plannedDowntimes.id });
  if (deleted === undefined) throw notFound('Planned downtime');
  auditDelete(tx, 'planned_downtime', row, record);
  return deleted;
}
