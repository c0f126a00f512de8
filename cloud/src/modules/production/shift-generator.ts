/*
 * Concrete shifts from a weekly pattern. Definitions are local wall-clock times in an
 * IANA zone: a shift starts at its local start time on each of its weekdays and ends at the local
 * wall time `duration` later, so consecutive shifts stay back to back and a shift spanning a
 * daylight-saving change is an hour shorter (spring) or longer (autumn) in real time — the time the
 * plant actually works. Local times that do not exist (inside the spring gap) move forward by the gap;
 * local times that occur twice (the autumn overlap) take the first occurrence. Pure: no database.
 */

export interface ShiftDefinition {
  id: string;
  name: string;
  /** ISO weekdays the shift starts on, 1 = Monday … 7 = Sunday. */
  weekdays: readonly number[];
  /** Local wall-clock start, HH:MM or HH:MM:SS. */
  startTime: string;
  durationMinutes: number;
  breaks: readonly { offsetMinutes: number; durationMinutes: number; reason: string }[];
}

export interface ShiftInstance {
  definitionId: string;
  name: string;
  /** The local date the shift starts on (YYYY-MM-DD). */
  businessDate: string;
  startsAt: Date;
  endsAt: Date;
  /** Breaks as real-time offsets from the start, clipped to the shift. */
  breaks: { startsAt: Date; endsAt: Date; reason: string }[];
}

const MINUTE = 60_000;
const DAY = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** The zone's wall clock at an instant, as if it were UTC (milliseconds). */
function wallClockAt(instant: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(instant))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return wall + (instant % 1000);
}

/** UTC offset of the zone at an instant, in milliseconds. */
function offsetAt(instant: number, timeZone: string): number {
  return wallClockAt(instant, timeZone) - instant;
}

/**
 * The instant a local wall-clock time (given as milliseconds "as if UTC") happens in the zone.
 * Offsets change at most once around any local time, so the offsets a day before and a day after
 * are the only candidates.
 */
export function instantOfWallClock(wall: number, timeZone: string): Date {
  const before = offsetAt(wall - DAY, timeZone);
  const after = offsetAt(wall + DAY, timeZone);
  const candidates = [wall - before, wall - after].filter((t) => wallClockAt(t, timeZone) === wall);
  // Twice (autumn overlap): the first. Never (spring gap): read with the offset before the change,
  // which lands the same length of time after the gap.
  return new Date(candidates.length > 0 ? Math.min(...candidates) : wall - before);
}

/** The local calendar date (YYYY-MM-DD) of an instant in the zone. */
export function localDateOf(instant: Date, timeZone: string): string {
  return new Date(wallClockAt(instant.getTime(), timeZone)).toISOString().slice(0, 10);
}

function parseDate(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return Date.UTC(y!, m! - 1, d!);
}

function parseTime(time: string): number {
  const [h, m, s] = time.split(':').map(Number);
  return ((h ?? 0) * 60 + (m ?? 0)) * MINUTE + (s ?? 0) * 1000;
}

/**
 * Every shift of the definitions that starts on a local date in [from, to] (inclusive dates),
 * in start order.
 */
export function generateShiftInstances(input: {
  timezone: string;
  definitions: readonly ShiftDefinition[];
  from: string;
  to: string;
}): ShiftInstance[] {
  const instances: ShiftInstance[] = [];
  const last = parseDate(input.to);
  for (let day = parseDate(input.from); day <= last; day += DAY) {
    const isoWeekday = new Date(day).getUTCDay() || 7;
    const businessDate = new Date(day).toISOString().slice(0, 10);
    for (const definition of input.definitions) {
      if (!definition.weekdays.includes(isoWeekday)) continue;
      const wallStart = day + parseTime(definition.startTime);
      const startsAt = instantOfWallClock(wallStart, input.timezone);
      const endsAt = instantOfWallClock(wallStart + definition.durationMinutes * MINUTE, input.timezone);
      const breaks = definition.breaks
        .map((b) => ({
          startsAt: new Date(startsAt.getTime() + b.offsetMinutes * MINUTE),
          endsAt: new Date(
            Math.min(endsAt.getTime(), startsAt.getTime() + (b.offsetMinutes + b.durationMinutes) * MINUTE),
          ),
          reason: b.reason,
        }))
        .filter((b) => b.endsAt > b.startsAt);
      instances.push({
        definitionId: definition.id,
        name: definition.name,
        businessDate,
        startsAt,
        endsAt,
        breaks,
      });
    }
  }
  return instances.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
}

/** The first pair of instances that overlap in time, if any (instances in start order). */
export function firstOverlap(
  instances: readonly { startsAt: Date; endsAt: Date }[],
): [number, number] | null {
  let latestEnd = -1;
  let latestIndex = -1;
  for (const [index, instance] of instances.entries()) {
    if (instance.startsAt.getTime() < latestEnd) return [latestIndex, index];
    if (instance.endsAt.getTime() > latestEnd) {
      latestEnd = instance.endsAt.getTime();
      latestIndex = index;
    }
  }
  return null;
}
