import { tables } from '@plantline/schema';
import { and, asc, eq, inArray, notInArray } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import { DomainError, notFound, takenCode, uniqueCode } from '../../platform/index.js';
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

export async function listShiftPatterns(tx: Sql, input: { plantId?: string | undefined }) {
  const patterns = await tx
    .select(patternColumns)
    .from(tables.shiftPatterns)
    .where(input.plantId === undefined ? undefined : eq(tables.shiftPatterns.plantId, input.plantId))
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

async function visiblePattern(tx: Sql, id: string) {
  const [pattern] = await tx
    .select(patternColumns)
    .from(tables.shiftPatterns)
    .where(eq(tables.shiftPatterns.id, id));
  if (pattern === undefined) throw notFound('Shift pattern');
  return pattern;
}

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
  const [withShifts] = await listShiftPatterns(tx, { plantId: pattern.plantId }).then((all) =>
    all.filter((p) => p.id === pattern.id),
  );
  return withShifts!;
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
  const pattern = await visiblePattern(tx, id);
  const { shifts, ...fields } = patch;
  if (Object.values(fields).some((v) => v !== undefined)) {
    await uniqueCode(tx.update(tables.shiftPatterns).set(fields).where(eq(tables.shiftPatterns.id, id)));
  }
  if (shifts !== undefined) await replaceDefinitions(tx, tenantId, pattern, shifts);
  const [updated] = (await listShiftPatterns(tx, { plantId: pattern.plantId })).filter((p) => p.id === id);
  return updated!;
}
