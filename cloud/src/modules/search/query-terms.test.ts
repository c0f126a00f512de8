import { describe, expect, it } from 'vitest';
import { hasTrigram, MAX_WORDS, planStages, prefixTsQuery, searchTerms, stageWanted } from './query-terms.js';

describe('searchTerms', () => {
  it('keeps letters and digits of a code, upper case, however it was typed', () => {
    expect(searchTerms(' ncr-riv 2026/00012 ').code).toBe('NCRRIV202600012');
    expect(searchTerms('Größe 10').code).toBe('GRE10');
  });

  it('splits words on anything that is not a letter, digit or mark, lower case, once each', () => {
    expect(searchTerms("Brake 'disc' & brake|(pad):*").words).toEqual(['brake', 'disc', 'pad']);
    expect(searchTerms('Größe naïve שלום').words).toEqual(['größe', 'naïve', 'שלום']);
    const many = Array.from({ length: 20 }, (_, i) => `w${i}`).join(' ');
    expect(searchTerms(many).words).toHaveLength(MAX_WORDS);
  });

  it('drops NUL, other control characters and lone surrogates', () => {
    const terms = searchTerms('PO\u0000-A1\u0007\t2026\ud800x\udc00');
    expect(terms.text).toBe('PO -A1 2026 x');
    expect(terms.code).toBe('POA12026X');
    // A well-formed pair (an emoji) stays.
    expect(searchTerms('🔧 M1').text).toBe('🔧 M1');
  });

  it('leaves nothing of punctuation alone', () => {
    expect(searchTerms('-- ;; ..')).toEqual({ text: '-- ;; ..', code: '', words: [] });
    expect(searchTerms('   ')).toEqual({ text: '', code: '', words: [] });
  });
});

describe('prefixTsQuery', () => {
  it('quotes every word and takes the last one, being typed, as a prefix if it has letters', () => {
    expect(prefixTsQuery(['brake', 'ro'])).toBe("'brake' & 'ro':*");
    expect(prefixTsQuery(['brake', 'r'])).toBe("'brake' & 'r'");
    expect(prefixTsQuery(['po', '00012'])).toBe("'po' & '00012'");
    expect(prefixTsQuery(['m1'])).toBe("'m1':*");
    expect(prefixTsQuery([])).toBeNull();
  });

  it('escapes quotes and backslashes should a word ever hold them', () => {
    expect(prefixTsQuery(["o'neil", 'a\\b'])).toBe("'o''neil' & 'a\\\\b':*");
  });
});

describe('planStages', () => {
  const stages = (q: string) => planStages(searchTerms(q)).map((s) => s.stage);

  it('runs every stage for a code with words', () => {
    expect(planStages(searchTerms('NCR-RIV-2026'))).toEqual([
      { stage: 'code', term: 'NCRRIV2026', matchedOn: 'code' },
      { stage: 'prefix', term: 'NCRRIV2026', matchedOn: 'prefix' },
      { stage: 'text', term: "'ncr' & 'riv' & '2026'", matchedOn: 'text' },
      { stage: 'fragment', term: 'ncr-riv-2026', matchedOn: 'fragment' },
      { stage: 'similar', term: 'ncr-riv-2026', matchedOn: 'fragment' },
    ]);
  });

  it('leaves out fragments too short for trigrams, and everything for punctuation', () => {
    expect(stages('M1')).toEqual(['code', 'prefix', 'text']);
    expect(stages('a-b-c')).toEqual(['code', 'prefix', 'text', 'fragment']);
    expect(stages('"()"')).toEqual([]);
    // Letters outside ASCII are words and fragments, not codes.
    expect(stages('שלום')).toEqual(['text', 'fragment', 'similar']);
  });

  it('knows a trigram when it sees one', () => {
    expect(hasTrigram('a-b-c')).toBe(false);
    expect(hasTrigram('ab-cde')).toBe(true);
  });
});

describe('stageWanted', () => {
  const code = [{ matchedOn: 'code' as const }];
  const text = [{ matchedOn: 'text' as const }];

  it('stops once the answer is full', () => {
    expect(stageWanted('prefix', [], searchTerms('M1'), 5)).toBe(true);
    expect(stageWanted('prefix', [...text, ...text], searchTerms('M1'), 2)).toBe(false);
  });

  it('after a whole code, skips fragments, and words when the code has digits', () => {
    expect(stageWanted('text', code, searchTerms('PO-RIV-2026-00012'), 20)).toBe(false);
    expect(stageWanted('text', code, searchTerms('scratch'), 20)).toBe(true);
    expect(stageWanted('fragment', code, searchTerms('scratch'), 20)).toBe(false);
    expect(stageWanted('fragment', text, searchTerms('00012'), 20)).toBe(true);
  });

  it('looks for similar words only when nothing matched', () => {
    expect(stageWanted('similar', [], searchTerms('ventilatd'), 20)).toBe(true);
    expect(stageWanted('similar', text, searchTerms('ventilatd'), 20)).toBe(false);
  });
});
