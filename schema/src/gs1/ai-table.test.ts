import { describe, expect, it } from 'vitest';
import { aiMatches, GS1_AIS, gs1Ai, parseSpec, valueLength } from './ai-table.js';

describe('the GS1 AI table', () => {
  it('holds every AI logistics needs', () => {
    const needed = [
      '00',
      '01',
      '02',
      '10',
      '11',
      '12',
      '13',
      '15',
      '16',
      '17',
      '20',
      '21',
      '22',
      '30',
      '37',
      '240',
      '241',
      '250',
      '251',
      '253',
      '254',
      '400',
      '401',
      '402',
      '403',
      '410',
      '411',
      '412',
      '413',
      '414',
      '415',
      '416',
      '417',
      '420',
      '421',
      '422',
      '7003',
      '8006',
      '8018',
      '8020',
      '90',
      '91',
      '92',
      '93',
      '94',
      '95',
      '96',
      '97',
      '98',
      '99',
    ];
    for (const ai of needed) expect(gs1Ai(ai), ai).toBeDefined();
    for (const base of [310, 316, 320, 330, 337, 349, 356, 369])
      for (let decimals = 0; decimals <= 5; decimals++) expect(gs1Ai(`${base}${decimals}`)).toBeDefined();
    expect(gs1Ai('3106')).toBeUndefined();
    expect(gs1Ai('89')).toBeUndefined();
  });

  it('lists the AIs in order', () => {
    const ais = [...GS1_AIS.keys()];
    expect(ais.slice(0, 5)).toEqual(['00', '01', '02', '03', '10']);
    expect(ais).toEqual([...ais].sort());
  });

  it('gives each AI its format, with sub-parts where it has them', () => {
    expect(gs1Ai('01')?.components).toEqual([
      { charset: 'N', minLength: 14, maxLength: 14, optional: false, lints: ['csum'] },
    ]);
    expect(gs1Ai('10')?.components).toEqual([
      { charset: 'X', minLength: 1, maxLength: 20, optional: false, lints: [] },
    ]);
    expect(gs1Ai('7003')?.components.map((part) => [part.charset, part.maxLength, part.lints])).toEqual([
      ['N', 6, ['yymmdd']],
      ['N', 4, ['hhmi']],
    ]);
    expect(gs1Ai('253')?.components.map((part) => part.optional)).toEqual([false, true]);
    expect(valueLength(gs1Ai('253')!)).toEqual({ min: 13, max: 30 });
    expect(valueLength(gs1Ai('8006')!)).toEqual({ min: 18, max: 18 });
  });

  // General Specifications, "Concatenation": the figure of element strings with predefined length,
  // by the AI's first two digits. gs1-syntax-engine checks its own table against the figure the same way
  // (src/c-lib/ai.c, test_ai_AItableVsIsFNC1required).
  it('marks exactly the AIs of the predefined-length figure', () => {
    const predefinedPrefix = (ai: string) => {
      const prefix = Number(ai.slice(0, 2));
      return prefix <= 4 || (prefix >= 11 && prefix <= 20) || (prefix >= 31 && prefix <= 36) || prefix === 41;
    };
    for (const definition of GS1_AIS.values())
      expect(definition.predefinedLength, definition.ai).toBe(predefinedPrefix(definition.ai));
  });

  it('keeps fixed length apart from predefined length', () => {
    // 7003 (N10) and 8006 (N18) have one length each but are not in the figure: FNC1 follows them.
    for (const ai of ['7003', '8006', '8018', '402', '422']) {
      const definition = gs1Ai(ai)!;
      const { min, max } = valueLength(definition);
      expect(min, ai).toBe(max);
      expect(definition.predefinedLength, ai).toBe(false);
    }
  });

  it('marks dates that allow day 00 (yymmd0) apart from those that do not', () => {
    for (const ai of ['11', '12', '13', '15', '16', '17'])
      expect(gs1Ai(ai)?.components[0]?.lints, ai).toEqual(['yymmd0']);
    expect(gs1Ai('7003')?.components[0]?.lints).toEqual(['yymmdd']);
  });

  it('reads the decimal point of measures from the AI', () => {
    expect(gs1Ai('3103')?.decimalPointInAi).toBe(true);
    expect(gs1Ai('3103')?.excludes).toEqual(['310n']);
    expect(gs1Ai('3302')?.requires).toEqual([['00'], ['01']]);
    expect(gs1Ai('37')?.decimalPointInAi).toBe(false);
  });

  // Association rules as the Syntax Dictionary writes them (gs1-syntax-dictionary.txt `req=`, `ex=`).
  it('carries the association rules', () => {
    expect(gs1Ai('01')?.excludes).toEqual(['255', '37']);
    expect(gs1Ai('02')?.requires).toEqual([['37']]);
    expect(gs1Ai('37')?.requires).toEqual([
      ['00', '02'],
      ['00', '8026'],
    ]);
    expect(gs1Ai('21')?.requires).toEqual([['01'], ['03'], ['8006']]);
    expect(gs1Ai('250')?.requires).toEqual([
      ['01', '21'],
      ['03', '21'],
      ['8006', '21'],
    ]);
    expect(gs1Ai('01')?.digitalLinkKey).toEqual([['22', '10', '21'], ['235']]);
    expect(gs1Ai('00')?.digitalLinkKey).toEqual([[]]);
    expect(gs1Ai('10')?.digitalLinkKey).toBeNull();
  });

  it('matches AI patterns with n for any digit', () => {
    expect(aiMatches('3103', '310n')).toBe(true);
    expect(aiMatches('3103', '31nn')).toBe(true);
    expect(aiMatches('3203', '310n')).toBe(false);
    expect(aiMatches('310', '310n')).toBe(false);
  });

  it('refuses a malformed format', () => {
    expect(() => parseSpec('N14,nosuchlint')).toThrow();
    expect(() => parseSpec('[X..17')).toThrow();
    expect(() => parseSpec('Q3')).toThrow();
  });
});
