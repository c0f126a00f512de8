import { describe, expect, it } from 'vitest';
import { fieldText, meaningLabel, utcTime, winAnsi, zonedTime } from './signature-text.js';

describe('the printed manifestation’s wording', () => {
  it('gives every time in UTC and in the plant’s zone with its offset then', () => {
    const winter = new Date('2026-01-15T05:06:07.890Z');
    const summer = new Date('2026-07-15T05:06:07.890Z');
    expect(utcTime(winter)).toBe('2026-01-15 05:06:07 UTC');
    expect(zonedTime(winter, 'Europe/Berlin')).toBe('2026-01-15 06:06:07 Europe/Berlin (UTC+01:00)');
    expect(zonedTime(summer, 'Europe/Berlin')).toBe('2026-07-15 07:06:07 Europe/Berlin (UTC+02:00)');
    expect(zonedTime(summer, 'America/Chicago')).toBe('2026-07-15 00:06:07 America/Chicago (UTC-05:00)');
    expect(zonedTime(winter, 'Asia/Kolkata')).toBe('2026-01-15 10:36:07 Asia/Kolkata (UTC+05:30)');
    // Midnight reads 00, not 24.
    expect(zonedTime(new Date('2026-01-14T23:00:00Z'), 'Europe/Berlin')).toBe(
      '2026-01-15 00:00:00 Europe/Berlin (UTC+01:00)',
    );
  });

  it('names meanings for people and keeps an unknown one as stored', () => {
    expect(meaningLabel('approval')).toBe('Approval');
    expect(meaningLabel('review')).toBe('Review');
    expect(meaningLabel('witnessed')).toBe('witnessed');
  });

  it('shows field values as people read them', () => {
    const field = {
      ref: 'disposition',
      label: 'Disposition',
      kind: 'choice' as const,
      settable: true,
      choiceLabels: { use_as_is: 'Use as is' },
    };
    expect(fieldText('use_as_is', field)).toBe('Use as is');
    expect(fieldText('scrap', field)).toBe('scrap');
    expect(fieldText(['use_as_is', 'scrap'], field)).toBe('Use as is, scrap');
    expect(fieldText(true, undefined)).toBe('Yes');
    expect(fieldText(false, undefined)).toBe('No');
    expect(fieldText(12.5, undefined)).toBe('12.5');
    expect(fieldText(null, undefined)).toBe('');
  });

  it('keeps Western European text and marks what the standard fonts cannot print', () => {
    expect(winAnsi('Zoë Müller – “Qualität” €5')).toBe('Zoë Müller – “Qualität” €5');
    expect(winAnsi('Łukasz 张伟')).toBe('?ukasz ??');
    expect(winAnsi('line\nbreak\ttab\u0000')).toBe('line break tab?');
    // Decomposed accents are composed first, so they print as one letter.
    expect(winAnsi('Zoe\u0308')).toBe('Zoë');
  });
});
