import { tables } from '@plantline/schema';
import { and, asc, eq, inArray, notInArray } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import {
  auditCreate,
  auditUpdate,
  DomainError,
  notFound,
  takenCode,
  uniqueCode,
} from '../../platform/index.js';
import { visiblePlant } from './visibility.js';

/*
 * A plant's weekly shift patterns: local wall-clock shift definitions in an IANA zone,
 * by default the plant's. They plan nothing by themselves; `shifts.ts` materialises them.
 */

export interface ShiftDefinitionFields {
  code: string;
  name: string;
  weekdays: number[];
  startTime: string;
  durationMinutes: number;
  breaks: tables.ShiftBreak[];
}

const patternColumns = {
  id: tables.shiftPatterns.id,
  plantId: tables.shiftPatterns.plantId,
  code: tables.shiftPatterns.code,
  name: tables.shiftPatterns.name,
  timezone: tables.shiftPatterns.timezone,
  isActive: tables.shiftPatterns.isActive,
};

const definitionColumns = {
  id: tables.shiftPatternShifts.id,
  patternId: tables.shiftPatternShifts.patternId,
  code: tables.shiftPatternShifts.code,
  name: tables.shiftPatternShifts.name,
  weekdays: tables.shiftPatternShifts.weekdays,
  startTime: tables.shiftPatternShifts.startTime,
  durationMinutes: tables.shiftPatternShifts.durationMinutes,
  breaks: tables.shiftPatternShifts.breaks,
};

export async function listShiftPatterns(
  tx: Sql,
  input: { plantId?: string | undefined; id?: string | undefined },
) {
  const patterns = await tx
    .select(patternColumns)
    .from(tables.shiftPatterns)
    .where(
      and(
        input.plantId === undefined ? undefined : eq(tables.shiftPatterns.plantId, input.plantId),
        input.id === undefined ? undefined : eq(tables.shiftPatterns.id, input.id),
      ),
    )
    .orderBy(asc(tables.shiftPatterns.code));
  if (patterns.length === 0) return [];
  const definitions = await tx
    .select(definitionColumns)
    .from(tables.shiftPatternShifts)
    .where(
      inArray(
        tables.shiftPatternShifts.patternId,
        patterns.map((p) => p.id),
      ),
    )
    .orderBy(asc(tables.shiftPatternShifts.startTime), asc(tables.shiftPatternShifts.code));
  return patterns.map((p) => ({ ...p, shifts: definitions.filter((d) => d.patternId === p.id) }));
}

type PatternWithShifts = Awaited<ReturnType<typeof listShiftPatterns>>[number];

/** Locked until the transaction ends, so that the audit trail's "before" is what the change replaced. */
async function patternToChange(tx: Sql, id: string): Promise<PatternWithShifts> {
  await tx
    .select({ id: tables.shiftPatterns.id })
    .from(tables.shiftPatterns)
    .where(eq(tables.shiftPatterns.id, id))
    .for('update');
  const [pattern] = await listShiftPatterns(tx, { id });
  if (pattern === undefined) throw notFound('Shift pattern');
  return pattern;
}

/** A pattern as the audit trail records it: its shift definitions in it, by code. */
const auditedPattern = ({ plantId: _, shifts, ...pattern }: PatternWithShifts) => ({
  ...pattern,
  shifts: shifts.map(({ id: _id, patternId: _pattern, ...definition }) => definition),
});

async function replaceDefinitions(
  tx: Sql,
  tenantId: string,
  pattern: { id: string; plantId: string },
  definitions: ShiftDefinitionFields[],
) {
  const codes = definitions.map((d) => d.code);
  if (new Set(codes).size !== codes.length)
    throw new DomainError('invalid', 'Two shifts of the pattern have the same code', {
      shifts: 'Duplicate code',
    });
  // Definitions are matched by code, so their generated shifts (and overrides) keep their identity.
  await tx
    .delete(tables.shiftPatternShifts)
    .where(
      and(
        eq(tables.shiftPatternShifts.patternId, pattern.id),
        codes.length === 0 ? undefined : notInArray(tables.shiftPatternShifts.code, codes),
      ),
    );
  for (const definition of definitions) {
    await tx
      .insert(tables.shiftPatternShifts)
      .values({ ...definition, tenantId, plantId: pattern.plantId, patternId: pattern.id })
      .onConflictDoUpdate({
        target: [
          tables.shiftPatternShifts.tenantId,
          tables.shiftPatternShifts.plantId,
          tables.shiftPatternShifts.patternId,
          tables.shiftPatternShifts.code,
        ],
        set: {
          name: definition.name,
          weekdays: definition.weekdays,
          startTime: definition.startTime,
          durationMinutes: definition.durationMinutes,
          breaks: definition.breaks,
        },
      });
  }
}

export async function createShiftPattern(
  tx: Sql,
  tenantId: string,
  input: {
    plantId: string;
    code: string;
    name: string;
    timezone?: string | undefined;
    shifts: ShiftDefinitionFields[];
  },
) {
  const plant = await visiblePlant(tx, input.plantId);
  const [pattern] = await tx
    .insert(tables.shiftPatterns)
    .values({
      tenantId,
      plantId: input.plantId,
      code: input.code,
      name: input.name,
      timezone: input.timezone ?? plant.timezone,
    })
    .onConflictDoNothing()
    .returning(patternColumns);
  if (pattern === undefined) throw takenCode();
  await replaceDefinitions(tx, tenantId, pattern, input.shifts);
  const [created] = await listShiftPatterns(tx, { id: pattern.id });
  auditCreate(tx, 'shift_pattern', auditedPattern(created!), {
    label: created!.code,
    plantId: created!.plantId,
  });
  return created!;
}

/** Changes a pattern; `shifts`, when given, replaces its definitions (matched by code). */
export async function updateShiftPattern(
  tx: Sql,
  tenantId: string,
  id: string,
  patch: {
    code?: string | undefined;
    name?: string | undefined;
    timezone?: string | undefined;
    isActive?: boolean | undefined;
    shifts?: ShiftDefinitionFields[] | undefined;
  },
) {
  const pattern = await patternToChange(tx, id);
  const { shifts, ...fields } = patch;
  if (Object.values(fields).some((v) => v !== undefined)) {
    await uniqueCode(tx.update(tables.shiftPatterns).set(fields).where(eq(tables.shiftPatterns.id, id)));
  }
  if (shifts !== undefined) await replaceDefinitions(tx, tenantId, pattern, shifts);
  const [updated] = await listShiftPatterns(tx, { id });
  auditUpdate(tx, 'shift_pattern', auditedPattern(pattern), auditedPattern(updated!), {
    label: updated!.code,
    plantId: updated!.plantId,
  });
  return updated!;
}
