/*
 * GS1 dates and times inside element strings. A date field is YYMMDD; the century is not encoded
 * but chosen by the sliding window of GS1 General Specifications §7.12 "Determination of century in
 * dates", and several AIs (11, 12, 13, 15, 16, 17) allow DD = 00 for "day unspecified", which means
 * the last day of that month (the AIs' definitions in the General Specifications, and the `yymmd0` linter of the
 * GS1 Barcode Syntax Dictionary).
 */

const YYMMDD = /^(\d\d)(\d\d)(\d\d)$/;

/** The four-digit year for a two-digit GS1 year seen at `now` (§7.12). */
export function gs1Century(yy: number, now: Date): number {
  const current = now.getUTCFullYear();
  const currentCentury = current - (current % 100);
  const difference = yy - (current % 100);
  // 51 to 99 years ahead is read as last century; 50 to 99 years behind as next century.
  if (difference >= 51) return currentCentury - 100 + yy;
  if (difference <= -50) return currentCentury + 100 + yy;
  return currentCentury + yy;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/**
 * The calendar date (`YYYY-MM-DD`) of a GS1 YYMMDD field, or null when it is not a date. DD = 00
 * reads as the last day of the month; whether an AI allows it is the AI table's business
 * (`yymmd0` against `yymmdd`), so this function accepts it for any field.
 */
export function parseGs1Date(yymmdd: string, now: Date = new Date()): string | null {
  const match = YYMMDD.exec(yymmdd);
  if (!match) return null;
  const year = gs1Century(Number(match[1]), now);
  const month = Number(match[2]);
  const dayField = Number(match[3]);
  if (month < 1 || month > 12) return null;
  const lastDay = daysInMonth(year, month);
  if (dayField > lastDay) return null;
  const day = dayField === 0 ? lastDay : dayField;
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

/**
 * Whether a YYMMDD field is a valid date, DD = 00 allowed only with `allowDay00`. February 29th
 * depends on the century, which `now` decides as it does for `parseGs1Date`.
 */
export function isGs1Date(yymmdd: string, allowDay00: boolean, now: Date): boolean {
  if (!allowDay00 && yymmdd.endsWith('00')) return false;
  return parseGs1Date(yymmdd, now) !== null;
}

/** Whether an HHMI field is a valid time of day (00:00 to 23:59). */
export function isGs1HourMinute(hhmi: string): boolean {
  if (!/^\d{4}$/.test(hhmi)) return false;
  return Number(hhmi.slice(0, 2)) <= 23 && Number(hhmi.slice(2)) <= 59;
}
