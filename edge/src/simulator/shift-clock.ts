import { DEMO_SHIFT_CALENDAR } from '@plantline/schema';

/*
 * The demo plants' shift calendar in simulated time (schema's DEMO_SHIFT_CALENDAR, which the cloud's
 * demo seed turns into shifts and planned breaks): shifts of 8 hours, planned breaks at fixed
 * offsets into each. `phase` is how far into a shift simulated time 0 lies.
 */
const MINUTE = 60_000;
export const SHIFT_MS = DEMO_SHIFT_CALENDAR.shiftHours * 60 * MINUTE;
const FIRST_SHIFT_START_MS = (() => {
  const [hours, minutes] = DEMO_SHIFT_CALENDAR.firstShiftStart.split(':').map(Number);
  return ((hours ?? 0) * 60 + (minutes ?? 0)) * MINUTE;
})();
const BREAKS = DEMO_SHIFT_CALENDAR.breaks.map((b) => ({
  at: b.offsetMinutes * MINUTE,
  length: b.durationMinutes * MINUTE,
  reason: b.reason,
}));

/** The start of the shift `at` lies in, in simulated time. */
export function shiftStartOf(at: number, phase: number): number {
  return Math.floor((at + phase) / SHIFT_MS) * SHIFT_MS - phase;
}

/** The planned break `at` lies in, if any: when it ends and its reason. */
export function breakAt(at: number, phase: number): { until: number; reason: string } | undefined {
  const shiftStart = shiftStartOf(at, phase);
  for (const planned of BREAKS) {
    const start = shiftStart + planned.at;
    if (at >= start && at < start + planned.length)
      return { until: start + planned.length, reason: planned.reason };
  }
  return undefined;
}

/** When the next planned break after `at` starts. */
export function nextBreakStart(at: number, phase: number): number {
  const shiftStart = shiftStartOf(at, phase);
  for (const planned of BREAKS) if (shiftStart + planned.at > at) return shiftStart + planned.at;
  return shiftStart + SHIFT_MS + BREAKS[0]!.at;
}

/**
 * How far into its shift `now` is, for a plant on the demo calendar in `timeZone`. Wall-clock local
 * time, so a DST change shifts it the way it shifts the plant's own shifts.
 */
export function shiftPhaseAt(now: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hourCycle: 'h23',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(now);
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const msOfDay =
    ((part('hour') * 60 + part('minute')) * 60 + part('second')) * 1000 + now.getUTCMilliseconds();
  return (((msOfDay - FIRST_SHIFT_START_MS) % SHIFT_MS) + SHIFT_MS) % SHIFT_MS;
}
