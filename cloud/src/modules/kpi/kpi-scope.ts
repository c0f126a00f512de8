import { type SQL, sql } from 'drizzle-orm';
import { rows, type Sql } from '../../db/index.js';
import { DomainError, notFound } from '../../platform/index.js';
import type { Interval } from './intervals.js';
import { addDays, isoWeek, isoWeekday, type LocalDate, timeZone } from './zone.js';

/*
 * What a KPI request is about — a machine, a line or a plant, resolved to its machines in one query —
 * and over which window, resolved in the plant's time zone (per shift, day, week or any
 * range; the current shift live: docs/kpis.md, "API"). Everything is read through row-level
 * security, so a machine of another tenant or of a plant outside the caller's access is "not
 * found", never "forbidden".
 */

export type ScopeKind = 'machine' | 'line' | 'plant';

export interface ScopeInput {
  readonly kind: ScopeKind;
  readonly id: string;
}

export interface ScopeMachine {
  readonly id: string;
  readonly code: string;
  readonly name: string;
  readonly lineId: string;
}

export interface ScopeLine {
  readonly id: string;
  readonly code: string;
  readonly name: string;
}

export interface ResolvedScope extends ScopeInput {
  readonly plant: { readonly id: string; readonly code: string; readonly timezone: string };
  /** The lines in scope (a machine's own line), by code; a line without machines is listed too. */
  readonly lines: readonly ScopeLine[];
  readonly machines: readonly ScopeMachine[];
}

interface ScopeRow {
  plant_id: string;
  plant_code: string;
  timezone: string;
  line_id: string | null;
  line_code: string | null;
  line_name: string | null;
  machine_id: string | null;
  machine_code: string | null;
  machine_name: string | null;
}

const notFoundName: Record<ScopeKind, string> = { machine: 'Machine', line: 'Line', plant: 'Plant' };

export async function resolveScope(tx: Sql, scope: ScopeInput): Promise<ResolvedScope> {
  const from: Record<ScopeKind, SQL> = {
    machine: sql`machines m join lines l on l.id = m.line_id join plants p on p.id = m.plant_id
                 where m.id = ${scope.id}::uuid`,
    line: sql`lines l join plants p on p.id = l.plant_id left join machines m on m.line_id = l.id
              where l.id = ${scope.id}::uuid`,
    plant: sql`plants p left join lines l on l.plant_id = p.id left join machines m on m.line_id = l.id
               where p.id = ${scope.id}::uuid`,
  };
  const found = await rows<ScopeRow>(
    tx,
    sql`select p.id::text as plant_id, p.code as plant_code, p.timezone,
               l.id::text as line_id, l.code as line_code, l.name as line_name,
               m.id::text as machine_id, m.code as machine_code, m.name as machine_name
          from ${from[scope.kind]}
         order by l.code, m.code`,
  );
  const first = found[0];
  if (first === undefined) throw notFound(notFoundName[scope.kind]);
  const lines = new Map<string, ScopeLine>();
  const machines: ScopeMachine[] = [];
  for (const r of found) {
    if (r.line_id !== null && !lines.has(r.line_id))
      lines.set(r.line_id, { id: r.line_id, code: r.line_code ?? '', name: r.line_name ?? '' });
    if (r.machine_id !== null && r.line_id !== null)
      machines.push({
        id: r.machine_id,
        code: r.machine_code ?? '',
        name: r.machine_name ?? '',
        lineId: r.line_id,
      });
  }
  return {
    ...scope,
    plant: { id: first.plant_id, code: first.plant_code, timezone: first.timezone },
    lines: [...lines.values()],
    machines,
  };
}

/**
 * The caller's plants that have lines, in the order a board prefers them (it opens on a
 * plant with something to show): those whose machines have reported first, then by code. Row-level
 * security keeps it to the caller's tenant and plants.
 */
export async function boardPlants(tx: Sql): Promise<string[]> {
  const found = await rows<{ plant_id: string }>(
    tx,
    sql`select p.id::text as plant_id from plants p
         where exists (select 1 from lines l where l.plant_id = p.id)
         order by exists (select 1 from machines m
                           where m.plant_id = p.id
                             and (exists (select 1 from machine_state_events e where e.machine_id = m.id)
                                  or exists (select 1 from production_counts c where c.machine_id = m.id))) desc,
                  p.code`,
  );
  return found.map((r) => r.plant_id);
}

/** The longest window a KPI query takes: the events' retention (migration 0004 keeps 400 days). */
export const MAX_WINDOW_DAYS = 400;
export const DAY_MS = 86_400_000;

export type WindowInput =
  | 'currentShift'
  | { readonly from: Date; readonly to: Date }
  | { readonly day: string }
  | { readonly week: string }
  | { readonly shiftId: string };

export interface ShiftInfo {
  readonly id: string;
  readonly name: string;
  readonly businessDate: string;
}

export interface ResolvedWindow extends Interval {
  readonly kind: 'range' | 'shift' | 'day' | 'week';
  readonly label: string;
  /** The window is still open: results cover it up to now. */
  readonly live: boolean;
  readonly shift: ShiftInfo | null;
}

interface ShiftRow {
  id: string;
  plant_id: string;
  name: string;
  business_date: string;
  start_ms: number;
  end_ms: number;
}

const shiftColumns = sql`id::text as id, plant_id::text as plant_id, name, business_date::text as business_date,
  (extract(epoch from starts_at) * 1000)::float8 as start_ms, (extract(epoch from ends_at) * 1000)::float8 as end_ms`;

/**
 * The window's instants; null for 'currentShift' between shifts (nothing is planned now — the
 * caller reports "no current shift" rather than guessing which shift the board should show).
 */
export async function resolveWindow(
  tx: Sql,
  plant: ResolvedScope['plant'],
  input: WindowInput,
  now: number,
): Promise<ResolvedWindow | null> {
  const make = (kind: ResolvedWindow['kind'], w: Interval, label: string, shift: ShiftInfo | null = null) => {
    checkLength(w);
    return { kind, start: w.start, end: w.end, label, live: now < w.end, shift };
  };
  if (input === 'currentShift') {
    const [row] = await rows<ShiftRow>(
      tx,
      sql`select ${shiftColumns} from shifts
           where plant_id = ${plant.id}::uuid and not is_cancelled
             and starts_at <= ${new Date(now).toISOString()}::timestamptz
             and ends_at > ${new Date(now).toISOString()}::timestamptz
           order by starts_at desc limit 1`,
    );
    return row === undefined ? null : make('shift', shiftInterval(row), shiftLabel(row), shiftInfo(row));
  }
  if ('shiftId' in input) {
    const [row] = await rows<ShiftRow>(
      tx,
      sql`select ${shiftColumns} from shifts where id = ${input.shiftId}::uuid`,
    );
    if (row === undefined) throw notFound('Shift');
    if (row.plant_id !== plant.id)
      throw new DomainError('invalid', 'The shift belongs to another plant', { shiftId: 'Another plant' });
    return make('shift', shiftInterval(row), shiftLabel(row), shiftInfo(row));
  }
  const tz = zoneOf(plant.timezone);
  const midnight = (d: LocalDate) => tz.instantOf({ ...d, hour: 0, minute: 0 });
  if ('day' in input) {
    const date = parseDate(input.day);
    return make('day', { start: midnight(date), end: midnight(addDays(date, 1)) }, input.day);
  }
  if ('week' in input) {
    const monday = parseWeek(input.week);
    return make('week', { start: midnight(monday), end: midnight(addDays(monday, 7)) }, input.week);
  }
  const w = { start: input.from.getTime(), end: input.to.getTime() };
  return make('range', w, `${input.from.toISOString()}/${input.to.toISOString()}`);
}

export function checkLength(w: Interval, maxDays = MAX_WINDOW_DAYS) {
  if (!(w.end > w.start))
    throw new DomainError('invalid', 'The window ends before it starts', { to: 'Before from' });
  if (w.end - w.start > maxDays * DAY_MS)
    throw new DomainError('invalid', `A window spans at most ${maxDays} days`, { to: 'Too far' });
}

/** A plant row carries its zone; a zone the platform does not know is a data error, said plainly. */
export function zoneOf(name: string) {
  try {
    return timeZone(name);
  } catch {
    throw new DomainError('invalid', `The plant's time zone "${name}" is not a known IANA zone`);
  }
}

const shiftInterval = (r: ShiftRow): Interval => ({ start: r.start_ms, end: r.end_ms });
const shiftLabel = (r: ShiftRow) => `${r.business_date} ${r.name}`;
const shiftInfo = (r: ShiftRow): ShiftInfo => ({ id: r.id, name: r.name, businessDate: r.business_date });

function parseDate(text: string): LocalDate {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const date = m && { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  const back = date && addDays(date, 0);
  if (!date || !back || back.month !== date.month || back.day !== date.day)
    throw new DomainError('invalid', `"${text}" is not a date like 2026-11-25`, { day: 'Not a date' });
  return date;
}

/** ISO 8601 week date: week 1 is the week with the year's first Thursday (the one holding 4 January). */
function parseWeek(text: string): LocalDate {
  const m = /^(\d{4})-W(\d{2})$/.exec(text);
  if (m) {
    const year = Number(m[1]);
    const week = Number(m[2]);
    const jan4 = { year, month: 1, day: 4 };
    const monday = addDays(jan4, 1 - isoWeekday(jan4) + (week - 1) * 7);
    const check = isoWeek(monday);
    if (week >= 1 && check.year === year && check.week === week) return monday;
  }
  throw new DomainError('invalid', `"${text}" is not an ISO week like 2026-W48`, { week: 'Not an ISO week' });
}
