import { tables } from '@plantline/schema';
import {
  formatNumber,
  type LocalDate,
  MAX_NUMBER_LENGTH,
  type NumberPattern,
  parseNumberPattern,
  periodOf,
  usesPlant,
} from '@plantline/schema/configuration';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import { auditCreate, DomainError, notFound } from '../../platform/index.js';
import { recordChange } from './history.js';

/*
 * Document numbering (docs/configuration.md, "Numbering"): tenant-defined sequences such as
 * `NCR-{plant}-{yyyy}-{seq:5}` and the counters behind them. A number is taken by one upsert of its
 * counter row in the caller's transaction: the row lock makes concurrent takers wait for each
 * other, and a rollback returns the number, so the numbers a sequence hands out have no gaps and no
 * repeats.
 *
 * A counter is keyed by sequence, plant (only when the pattern shows {plant}; otherwise the tenant
 * shares one counter) and period (the reset period of the pattern's smallest date token). Changing a
 * pattern keeps its counters: a pattern with the same reset period continues where it was, and a
 * pattern whose reset period or plant scope changes starts new counters at 1 — the new numbers then
 * differ from the old ones in the date or plant part they show.
 */

/**
 * Sequences the application itself asks for. Each is created with this pattern the first time a
 * number is taken, so a tenant gets numbers without configuring anything first.
 */
export const BUILTIN_SEQUENCES: Readonly<Record<string, { name: string; pattern: string }>> = {
  production_order: { name: 'Production orders', pattern: 'PO-{plant}-{yyyy}-{seq:5}' },
  ncr: { name: 'NCRs', pattern: 'NCR-{plant}-{yyyy}-{seq:5}' },
  // Change orders may concern every plant, so their numbers show no plant.
  change_order: { name: 'Change orders', pattern: 'ECO-{yyyy}-{seq:5}' },
  delivery_request: { name: 'Delivery requests', pattern: 'DR-{plant}-{yyyy}-{seq:5}' },
  shipment: { name: 'Shipments', pattern: 'SHP-{plant}-{yyyy}-{seq:5}' },
  // A transfer belongs to two plants; its number names the sending one.
  transfer_order: { name: 'Transfers', pattern: 'TRF-{plant}-{yyyy}-{seq:5}' },
};

export const sequenceColumns = {
  id: tables.numberingSequences.id,
  code: tables.numberingSequences.code,
  name: tables.numberingSequences.name,
  pattern: tables.numberingSequences.pattern,
  isActive: tables.numberingSequences.isActive,
  version: tables.numberingSequences.version,
  updatedAt: tables.numberingSequences.updatedAt,
};

export type Sequence = {
  id: string;
  code: string;
  name: string;
  pattern: string;
  isActive: boolean;
  version: number;
  updatedAt: Date;
};

/** The definition as the change history keeps it. */
export const snapshotOf = (s: Sequence) => ({
  code: s.code,
  name: s.name,
  pattern: s.pattern,
  isActive: s.isActive,
});

/** The definition as the audit trail records it: `numbering_scheme.<verb>`, named by its code. */
export const auditedScheme = (s: Sequence) => ({ id: s.id, ...snapshotOf(s) });

export const resetWords = {
  never: 'never restart',
  year: 'restart every year',
  month: 'restart every month',
  day: 'restart every day',
} as const;

/**
 * The pattern, or a field error in the parser's words. Beyond the parser's rules, a pattern must
 * show the date parts above its reset period: `{mm}` without a year would hand out the same numbers
 * again next year, which the documents' unique number constraints would then refuse.
 */
export function checkPattern(source: string): NumberPattern {
  const check = parseNumberPattern(source);
  if (!check.ok) throw new DomainError('invalid', check.error, { pattern: check.error });
  return check.pattern;
}

/** A stored pattern was checked when it was saved; one that no longer parses is a defect, not input. */
export function storedPattern(sequence: Sequence): NumberPattern {
  const check = parseNumberPattern(sequence.pattern);
  if (!check.ok) throw new Error(`numbering ${sequence.code} holds an invalid pattern: ${check.error}`);
  return check.pattern;
}

const dateFormatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar date of an instant in an IANA time zone. */
export function localDate(at: Date, timeZone: string): LocalDate {
  let formatter = dateFormatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
    });
    dateFormatters.set(timeZone, formatter);
  }
  const parts = formatter.formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  return { year: part('year'), month: part('month'), day: part('day') };
}

async function findSequence(tx: Sql, code: string): Promise<Sequence | undefined> {
  const [found] = await tx
    .select(sequenceColumns)
    .from(tables.numberingSequences)
    .where(eq(tables.numberingSequences.code, code));
  return found;
}

/**
 * The sequence for `code`, creating a built-in one on first use. Two first takers race on the unique
 * code: the loser's insert waits for the winner's transaction and then does nothing, and its read
 * (a new snapshot under read committed) finds the winner's row.
 */
async function sequenceToTake(tx: Sql, tenantId: string, code: string): Promise<Sequence> {
  const existing = await findSequence(tx, code);
  if (existing !== undefined) return existing;
  const builtin = BUILTIN_SEQUENCES[code];
  if (builtin === undefined)
    throw new DomainError('not_found', `No numbering sequence ${code}; define it under numbering first`);
  const [created] = await tx
    .insert(tables.numberingSequences)
    .values({ tenantId, code, name: builtin.name, pattern: builtin.pattern })
    .onConflictDoNothing()
    .returning(sequenceColumns);
  if (created !== undefined) {
    await recordChange(tx, {
      tenantId,
      subject: 'numbering',
      subjectId: created.id,
      version: created.version,
      action: 'create',
      summary: `Created on first use with the built-in pattern ${created.pattern}`,
      snapshot: snapshotOf(created),
      changedBy: null,
    });
    auditCreate(tx, 'numbering_scheme', auditedScheme(created), { label: created.code });
    return created;
  }
  const raced = await findSequence(tx, code);
  if (raced === undefined) throw new Error(`numbering ${code} neither inserted nor found`);
  return raced;
}

interface CounterKey {
  plantId: string | null;
  period: string;
  plantCode: string;
  date: LocalDate;
}

/**
 * Where a number for `plantId` at `at` is counted. The plant is read through row-level security, so a
 * plant outside the caller's reach is not found. A tenant-wide counter takes its period from UTC:
 * plants in different zones share it, and one calendar gives it one period boundary — no 2027 series
 * opening in Auckland while Berlin still numbers 2026 on the same counter.
 */
async function counterKey(
  tx: Sql,
  code: string,
  pattern: NumberPattern,
  plantId: string | null,
  at: Date,
): Promise<CounterKey> {
  const perPlant = usesPlant(pattern);
  if (perPlant && plantId === null)
    throw new DomainError('invalid', `Numbers of ${code} are counted per plant; name the plant`, {
      plantId: 'Required',
    });
  let plant: { code: string; timezone: string } | undefined;
  if (plantId !== null) {
    [plant] = await tx
      .select({ code: tables.plants.code, timezone: tables.plants.timezone })
      .from(tables.plants)
      .where(eq(tables.plants.id, plantId));
    if (plant === undefined) throw notFound('Plant');
  }
  const date = localDate(at, perPlant && plant !== undefined ? plant.timezone : 'UTC');
  return {
    plantId: perPlant ? plantId : null,
    period: periodOf(pattern.reset, date),
    plantCode: plant?.code ?? '',
    date,
  };
}

/**
 * The formatted number. Count events carry a production order's number in `order`, a label of at most
 * 64 characters (schema contracts), so a longer number is refused rather than stored unreportable.
 */
function formatted(code: string, pattern: NumberPattern, key: CounterKey, seq: number): string {
  const number = formatNumber(pattern, { plantCode: key.plantCode, date: key.date, seq });
  if (number.length > MAX_NUMBER_LENGTH)
    throw new DomainError(
      'invalid',
      `Numbers of ${code} would be longer than ${MAX_NUMBER_LENGTH} characters (${number}); shorten the pattern`,
      { pattern: `Longer than ${MAX_NUMBER_LENGTH} characters` },
    );
  return number;
}

export interface TakeNumberInput {
  tenantId: string;
  /** The sequence's code, e.g. production_order. */
  code: string;
  /** The document's plant; null for tenant-wide documents (then the pattern may not show {plant}). */
  plantId: string | null;
  /** When the document is numbered: its local date picks the counter's period and the date parts. */
  at: Date;
}

/**
 * Takes the next number of a sequence in the caller's transaction and returns it formatted. The
 * counter row stays locked until that transaction ends: concurrent takers of the same counter wait,
 * and a rollback hands the same number to the next taker.
 */
export async function takeNumber(tx: Sql, input: TakeNumberInput): Promise<string> {
  const sequence = await sequenceToTake(tx, input.tenantId, input.code);
  if (!sequence.isActive)
    throw new DomainError(
      'conflict',
      `The numbering sequence ${sequence.code} is retired and hands out no numbers`,
    );
  const pattern = storedPattern(sequence);
  const key = await counterKey(tx, sequence.code, pattern, input.plantId, input.at);
  const c = tables.numberingCounters;
  const [counter] = await tx
    .insert(c)
    .values({
      tenantId: input.tenantId,
      sequenceId: sequence.id,
      plantId: key.plantId,
      period: key.period,
      lastValue: 1,
    })
    .onConflictDoUpdate({
      target: [c.tenantId, c.sequenceId, c.plantId, c.period],
      set: { lastValue: sql`${c.lastValue} + 1` },
    })
    .returning({ lastValue: c.lastValue });
  return formatted(sequence.code, pattern, key, counter!.lastValue);
}

export interface PreviewInput {
  /** An existing (or built-in) sequence: its pattern and counters. */
  code?: string | undefined;
  /** A pattern being edited: shown with the counters of `code` when given, else from 1. */
  pattern?: string | undefined;
  plantId?: string | null | undefined;
  at?: Date | undefined;
}

/** The number the next taker would get, without taking it (another taker may get it first). */
export async function previewNumber(tx: Sql, input: PreviewInput) {
  if (input.code === undefined && input.pattern === undefined)
    throw new DomainError('invalid', 'Name a sequence or a pattern', { code: 'Required' });
  const stored = input.code === undefined ? undefined : await findSequence(tx, input.code);
  const source =
    input.pattern ??
    stored?.pattern ??
    (input.code === undefined ? undefined : BUILTIN_SEQUENCES[input.code]?.pattern);
  if (source === undefined) throw new DomainError('not_found', `No numbering sequence ${input.code}`);
  const pattern = checkPattern(source);
  const key = await counterKey(
    tx,
    input.code ?? 'this pattern',
    pattern,
    input.plantId ?? null,
    input.at ?? new Date(),
  );
  let last = 0;
  if (stored !== undefined) {
    const c = tables.numberingCounters;
    const [counter] = await tx
      .select({ lastValue: c.lastValue })
      .from(c)
      .where(
        and(
          eq(c.sequenceId, stored.id),
          key.plantId === null ? isNull(c.plantId) : eq(c.plantId, key.plantId),
          eq(c.period, key.period),
        ),
      );
    last = counter?.lastValue ?? 0;
  }
  return {
    number: formatted(input.code ?? 'this pattern', pattern, key, last + 1),
    seq: last + 1,
    period: key.period,
    reset: pattern.reset,
    perPlant: usesPlant(pattern),
  };
}
