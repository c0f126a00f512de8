import { tables } from '@plantline/schema';
import { and, asc, eq, gt, gte, inArray, isNotNull, lt, lte, notInArray, type SQL, sql } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import { audit, auditCreate, auditDelete, auditUpdate, DomainError, notFound } from '../../platform/index.js';
import { firstOverlap, generateShiftInstances, localDateOf } from './shift-generator.js';
import { listShiftPatterns } from './shift-patterns.js';
import { visiblePlant } from './visibility.js';

/*
 * Concrete shifts [starts_at, ends_at) of a plant (shift calendars define
 * planned operation time, docs/kpis.md): generated from the patterns for a horizon, with their
 * breaks as planned downtimes, plus overrides, cancellations and extra shifts entered by hand.
 */

const shiftColumns = {
  id: tables.shifts.id,
  plantId: tables.shifts.plantId,
  patternShiftId: tables.shifts.patternShiftId,
  name: tables.shifts.name,
  businessDate: tables.shifts.businessDate,
  startsAt: tables.shifts.startsAt,
  endsAt: tables.shifts.endsAt,
  isOverride: tables.shifts.isOverride,
  isCancelled: tables.shifts.isCancelled,
};

/** Shifts overlapping [from, to), in start order. */
export function listShifts(
  tx: Sql,
  input: { plantId?: string | undefined; from: Date; to: Date; includeCancelled?: boolean | undefined },
) {
  const conditions: (SQL | undefined)[] = [
    lt(tables.shifts.startsAt, input.to),
    gt(tables.shifts.endsAt, input.from),
  ];
  if (input.plantId !== undefined) conditions.push(eq(tables.shifts.plantId, input.plantId));
  if (input.includeCancelled !== true) conditions.push(eq(tables.shifts.isCancelled, false));
  return tx
    .select(shiftColumns)
    .from(tables.shifts)
    .where(and(...conditions))
    .orderBy(asc(tables.shifts.startsAt), asc(tables.shifts.name));
}

export const MAX_GENERATION_DAYS = 400;
const GENERATION_BATCH = 500;

export interface GenerateShiftsInput {
  plantId: string;
  from: string;
  to: string;
}

/**
 * Generates a plant's shifts for [from, to] as someone asked (materialiseShifts), with one audit entry
 * for the plant's calendar saying what it did. The hourly horizon job calls materialiseShifts itself:
 * what it writes follows from the patterns, whose changes are audited, and it would otherwise add an
 * entry every hour.
 */
export async function generateShifts(tx: Sql, tenantId: string, input: GenerateShiftsInput) {
  const outcome = await materialiseShifts(tx, tenantId, input);
  const plant = await visiblePlant(tx, input.plantId);
  audit(tx, {
    action: 'shift.generate',
    entityType: 'shift',
    entityId: input.plantId,
    entityLabel: `${plant.code} ${input.from}…${input.to}`,
    plantId: input.plantId,
    after: { from: input.from, to: input.to, ...outcome },
  });
  return outcome;
}

/**
 * Materialises the plant's active patterns into shifts whose local start date is in [from, to],
 * with their breaks as planned downtimes. Idempotent: generated shifts are updated in place (their
 * ids stay), overrides and cancelled shifts are left as they are, generated shifts that no longer
 * follow from the patterns are removed, and a generated slot that would overlap a shift entered by
 * hand is skipped and reported.
 */
export async function materialiseShifts(tx: Sql, tenantId: string, input: GenerateShiftsInput) {
  if (input.to < input.from)
    throw new DomainError('invalid', 'The range ends before it starts', { to: 'Before from' });
  const days = (Date.parse(input.to) - Date.parse(input.from)) / 86_400_000 + 1;
  if (days > MAX_GENERATION_DAYS)
    throw new DomainError('invalid', `Generate at most ${MAX_GENERATION_DAYS} days at once`, {
      to: 'Too far',
    });
  await visiblePlant(tx, input.plantId);
  const patterns = (await listShiftPatterns(tx, { plantId: input.plantId })).filter((p) => p.isActive);
  const instances = patterns
    .flatMap((pattern) =>
      generateShiftInstances({
        timezone: pattern.timezone,
        definitions: pattern.shifts.map((d) => ({ ...d, breaks: d.breaks ?? [] })),
        from: input.from,
        to: input.to,
      }),
    )
    .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  const overlap = firstOverlap(instances);
  if (overlap !== null) {
    const [a, b] = overlap.map((i) => instances[i]!);
    throw new DomainError(
      'invalid',
      `Shifts "${a!.name}" (${a!.businessDate}) and "${b!.name}" (${b!.businessDate}) overlap: fix the patterns first`,
    );
  }

  const manual =
    instances.length === 0
      ? []
      : await tx
          .select({ startsAt: tables.shifts.startsAt, endsAt: tables.shifts.endsAt })
          .from(tables.shifts)
          .where(
            and(
              eq(tables.shifts.plantId, input.plantId),
              sql`${tables.shifts.patternShiftId} is null`,
              eq(tables.shifts.isCancelled, false),
              lt(tables.shifts.startsAt, instances.at(-1)!.endsAt),
              gt(tables.shifts.endsAt, instances[0]!.startsAt),
            ),
          );
  const skipped: { name: string; businessDate: string }[] = [];
  const slots = instances.filter((instance) => {
    const clash = manual.some((m) => m.startsAt < instance.endsAt && m.endsAt > instance.startsAt);
    if (clash) skipped.push({ name: instance.name, businessDate: instance.businessDate });
    return !clash;
  });
  const reasons = new Map(
    (
      await tx
        .select({ id: tables.downtimeReasons.id, code: tables.downtimeReasons.code })
        .from(tables.downtimeReasons)
    ).map((r) => [r.code, r.id]),
  );
  const kept: string[] = [];
  for (let i = 0; i < slots.length; i += GENERATION_BATCH) {
    const batch = slots.slice(i, i + GENERATION_BATCH);
    // Overrides do not take the update, so they are not returned.
    const written = await tx
      .insert(tables.shifts)
      .values(
        batch.map((instance) => ({
          tenantId,
          plantId: input.plantId,
          patternShiftId: instance.definitionId,
          name: instance.name,
          businessDate: instance.businessDate,
          startsAt: instance.startsAt,
          endsAt: instance.endsAt,
        })),
      )
      .onConflictDoUpdate({
        target: [
          tables.shifts.tenantId,
          tables.shifts.plantId,
          tables.shifts.patternShiftId,
          tables.shifts.businessDate,
        ],
        set: {
          name: sql`excluded.name`,
          startsAt: sql`excluded.starts_at`,
          endsAt: sql`excluded.ends_at`,
        },
        setWhere: eq(tables.shifts.isOverride, false),
      })
      .returning({
        id: tables.shifts.id,
        patternShiftId: tables.shifts.patternShiftId,
        businessDate: tables.shifts.businessDate,
      });
    const ids = new Map(written.map((w) => [`${w.patternShiftId}/${w.businessDate}`, w.id]));
    kept.push(...ids.values());
    if (ids.size === 0) continue;
    await tx
      .delete(tables.plannedDowntimes)
      .where(
        and(
          inArray(tables.plannedDowntimes.shiftId, [...ids.values()]),
          eq(tables.plannedDowntimes.kind, 'break'),
        ),
      );
    const breaks = batch.flatMap((instance) => {
      const shiftId = ids.get(`${instance.definitionId}/${instance.businessDate}`);
      if (shiftId === undefined) return [];
      return instance.breaks.map((b) => ({
        tenantId,
        plantId: input.plantId,
        shiftId,
        kind: 'break' as const,
        reasonId: reasons.get(b.reason) ?? null,
        note: reasons.has(b.reason) ? null : b.reason,
        startsAt: b.startsAt,
        endsAt: b.endsAt,
      }));
    });
    for (let j = 0; j < breaks.length; j += GENERATION_BATCH)
      await tx.insert(tables.plannedDowntimes).values(breaks.slice(j, j + GENERATION_BATCH));
  }
  const generated = kept.length;
  const overridesKept = slots.length - kept.length;
  // Generated shifts of the range that the patterns no longer produce (a weekday removed, a pattern
  // deactivated); overrides and cancellations are the planner's and stay.
  const removed = await tx
    .delete(tables.shifts)
    .where(
      and(
        eq(tables.shifts.plantId, input.plantId),
        isNotNull(tables.shifts.patternShiftId),
        eq(tables.shifts.isOverride, false),
        eq(tables.shifts.isCancelled, false),
        gte(tables.shifts.businessDate, input.from),
        lte(tables.shifts.businessDate, input.to),
        kept.length === 0 ? undefined : notInArray(tables.shifts.id, kept),
      ),
    )
    .returning({ id: tables.shifts.id });
  return { generated, overridesKept, removed: removed.length, skipped };
}

/** Locked until the transaction ends, so that the audit trail's "before" is what the change replaced. */
async function shiftToChange(tx: Sql, id: string) {
  const [shift] = await tx
    .select(shiftColumns)
    .from(tables.shifts)
    .where(eq(tables.shifts.id, id))
    .for('update');
  if (shift === undefined) throw notFound('Shift');
  return shift;
}

type ShiftRow = Awaited<ReturnType<typeof shiftToChange>>;

/** A shift as the audit trail records it; a shift has no code, so it is named by name and date. */
function auditedShift({ plantId, patternShiftId: _, ...shift }: ShiftRow) {
  return { row: shift, record: { label: `${shift.name} ${shift.businessDate}`, plantId } };
}

/** Cancelling a shift and bringing it back are named as such; any other change is an update. */
const shiftVerb = (before: { isCancelled: boolean }, after: { isCancelled: boolean }) =>
  before.isCancelled === after.isCancelled ? 'update' : after.isCancelled ? 'cancel' : 'restore';

async function refuseOverlap(tx: Sql, shift: { id?: string; plantId: string; startsAt: Date; endsAt: Date }) {
  const [clash] = await tx
    .select({ name: tables.shifts.name, businessDate: tables.shifts.businessDate })
    .from(tables.shifts)
    .where(
      and(
        eq(tables.shifts.plantId, shift.plantId),
        eq(tables.shifts.isCancelled, false),
        lt(tables.shifts.startsAt, shift.endsAt),
        gt(tables.shifts.endsAt, shift.startsAt),
        shift.id === undefined ? undefined : sql`${tables.shifts.id} <> ${shift.id}`,
      ),
    )
    .limit(1);
  if (clash !== undefined)
    throw new DomainError('conflict', `It overlaps the shift "${clash.name}" of ${clash.businessDate}`, {
      startsAt: 'Overlaps another shift',
    });
}

function checkInterval(startsAt: Date, endsAt: Date) {
  if (endsAt <= startsAt)
    throw new DomainError('invalid', 'A shift must end after it starts', { endsAt: 'Not after the start' });
  if (endsAt.getTime() - startsAt.getTime() > 24 * 3_600_000)
    throw new DomainError('invalid', 'A shift lasts at most 24 hours', {
      endsAt: 'More than 24 hours after the start',
    });
}

/** An extra shift entered by hand (overtime, a Saturday): it must not overlap another shift. */
export async function createShift(
  tx: Sql,
  tenantId: string,
  input: { plantId: string; name: string; startsAt: Date; endsAt: Date },
) {
  const plant = await visiblePlant(tx, input.plantId);
  checkInterval(input.startsAt, input.endsAt);
  await refuseOverlap(tx, input);
  const [shift] = await tx
    .insert(tables.shifts)
    .values({ ...input, tenantId, businessDate: localDateOf(input.startsAt, plant.timezone) })
    .returning(shiftColumns);
  const { row, record } = auditedShift(shift!);
  auditCreate(tx, 'shift', row, record);
  return shift!;
}

/**
 * Changes a shift. A generated shift that is changed becomes an override, which regeneration leaves
 * alone; cancelling (a holiday) keeps the row so that regeneration does not bring the shift back.
 */
export async function updateShift(
  tx: Sql,
  id: string,
  patch: {
    name?: string | undefined;
    startsAt?: Date | undefined;
    endsAt?: Date | undefined;
    isCancelled?: boolean | undefined;
  },
) {
  const shift = await shiftToChange(tx, id);
  const startsAt = patch.startsAt ?? shift.startsAt;
  const endsAt = patch.endsAt ?? shift.endsAt;
  checkInterval(startsAt, endsAt);
  if (!(patch.isCancelled ?? shift.isCancelled))
    await refuseOverlap(tx, { id, plantId: shift.plantId, startsAt, endsAt });
  const [updated] = await tx
    .update(tables.shifts)
    .set({ ...patch, isOverride: shift.patternShiftId !== null })
    .where(eq(tables.shifts.id, id))
    .returning(shiftColumns);
  const after = auditedShift(updated!);
  auditUpdate(tx, 'shift', auditedShift(shift).row, after.row, after.record, shiftVerb(shift, updated!));
  return updated!;
}

/** Deletes an extra shift; a generated one is cancelled instead (see updateShift). */
export async function deleteShift(tx: Sql, id: string) {
  const shift = await shiftToChange(tx, id);
  if (shift.patternShiftId !== null)
    throw new DomainError('invalid', 'A generated shift is cancelled, not deleted', {
      id: 'Generated shift',
    });
  await tx.delete(tables.shifts).where(eq(tables.shifts.id, id));
  const { row, record } = auditedShift(shift);
  auditDelete(tx, 'shift', row, record);
  return { id };
}
