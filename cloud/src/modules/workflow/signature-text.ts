import type { CatalogueField } from './engine/types.js';

/*
 * How the printed manifestation of signatures words things (docs/workflows.md, "Electronic
 * signatures"; 21 CFR 11.50): times in UTC and in the plant's zone, meanings, field values, and text
 * in the one character set the PDF's standard fonts carry. No I/O.
 */

/** What each meaning a definition may give a signature reads as (schema/src/workflow/definition.ts). */
const meaningLabels: Readonly<Record<string, string>> = {
  review: 'Review',
  approval: 'Approval',
  responsibility: 'Responsibility',
  authorship: 'Authorship',
};

export function meaningLabel(meaning: string): string {
  return meaningLabels[meaning] ?? meaning;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `2026-03-04 05:06:07 UTC`. */
export function utcTime(at: Date): string {
  return `${at.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** `2026-03-04 06:06:07 Europe/Berlin (UTC+01:00)`: the wall clock in `zone` and its offset then. */
export function zonedTime(at: Date, zone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  const wall = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  const offset = Math.round((wall - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const local = `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
  return `${local} ${zone} (UTC${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)})`;
}

/** A stored field value as people read it: choices by their labels, lists joined, yes/no. */
export function fieldText(value: unknown, field: CatalogueField | undefined): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map((v) => fieldText(v, field)).join(', ');
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'string') return field?.choiceLabels?.[value] ?? value;
  if (typeof value === 'number') return String(value);
  return JSON.stringify(value);
}

/** The characters of Windows-1252 above ASCII that are not Latin-1, which the standard fonts also carry. */
const CP1252_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

/**
 * Text in the standard PDF fonts' character set (WinAnsi: Western European). Any other character
 * becomes `?` — plainly missing rather than silently replaced by a wrong letter, which is what the
 * fonts would print. The record's hash, over the stored text, is unaffected.
 */
export function winAnsi(text: string): string {
  let out = '';
  for (const char of text.normalize('NFC')) {
    const code = char.codePointAt(0) ?? 0;
    const printable =
      (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || CP1252_EXTRA.has(char);
    out += printable ? char : char === '\n' || char === '\t' ? ' ' : '?';
  }
  return out;
}
