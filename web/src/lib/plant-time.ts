import { TZDate } from '@date-fns/tz';

/*
 * Plant time for forms: a datetime-local field holds a wall time without a zone, and in Plantline that
 * wall time is the plant's (its shift calendar and charts are), not the browser's — a planner in
 * another country types the plant's 06:00. The zone arithmetic is @date-fns/tz's.
 */

const WALL_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

/** The instant (ISO 8601, UTC) of a datetime-local value read in `timeZone`, or null if not one. */
export function wallTimeToIso(local: string, timeZone: string): string | null {
  const m = WALL_TIME.exec(local);
  if (m === null) return null;
  const [year, month, day, hour, minute] = m.slice(1).map(Number) as [number, number, number, number, number];
  const at = new TZDate(year, month - 1, day, hour, minute, timeZone);
  if (Number.isNaN(at.getTime())) return null;
  return new Date(at.getTime()).toISOString();
}

/** A datetime-local value showing `iso` as the wall time in `timeZone`. */
export function isoToWallTime(iso: string, timeZone: string): string {
  const at = new TZDate(new Date(iso).getTime(), timeZone);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())}T${two(at.getHours())}:${two(at.getMinutes())}`;
}

/** An instant for a table, as the plant's local date and time. */
export function formatPlantTime(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(
    new Date(iso),
  );
}

/** The zone a record's times are shown in, and how the page names it. */
export interface ShownZone {
  timeZone: string;
  /** "Riverside time (Europe/Berlin)", "your time (America/Chicago)". */
  label: string;
}

/**
 * A record's times in its plant's zone, named, as the plant's people read them; a record of no plant
 * (tenant-wide) in the viewer's own zone, named as theirs.
 */
export function recordZone(plant: { name: string; timeZone: string } | null, viewerZone: string): ShownZone {
  if (plant === null) return { timeZone: viewerZone, label: `your time (${viewerZone})` };
  return { timeZone: plant.timeZone, label: `${plant.name} time (${plant.timeZone})` };
}
