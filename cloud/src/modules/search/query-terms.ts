/*
 * What a typed search text becomes before it reaches SQL (docs/search.md, "Matching and ranking"):
 * pure, so every hostile input is tested without a database. Whatever is typed — quotes, tsquery
 * operators, LIKE wildcards, control characters, only punctuation — comes out as letters and digits
 * or as nothing, and the stages that would have nothing to work with are left out.
 */

/** Words beyond this many add nothing to a typeahead and only widen the full-text query. */
export const MAX_WORDS = 8;
/** Fewer characters than this and a trigram index cannot narrow a fragment search. */
export const MIN_FRAGMENT = 3;
/** The word being typed is matched as a prefix from this many letters on (`brak` finds `brake`). */
export const MIN_PREFIX_WORD = 2;

export type Stage = 'code' | 'prefix' | 'text' | 'fragment' | 'similar';
export type MatchedOn = 'code' | 'prefix' | 'text' | 'fragment';

export interface SearchTerms {
  /** The text as searched: control characters and broken surrogates gone, spaces collapsed. */
  readonly text: string;
  /** Letters and digits of the text, upper case: how the index stores codes (`code_norm`). */
  readonly code: string;
  /** The words (letters, digits and marks), lower case, at most MAX_WORDS. */
  readonly words: readonly string[];
}

// Lone halves of a surrogate pair cannot be encoded as UTF-8; control characters include NUL, which
// PostgreSQL refuses in text.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const CONTROL = /\p{Cc}/gu;
const WORD = /[\p{L}\p{M}\p{N}]+/gu;

export function searchTerms(raw: string): SearchTerms {
  const text = raw.replace(LONE_SURROGATE, ' ').replace(CONTROL, ' ').replace(/\s+/g, ' ').trim();
  const words = [...new Set(text.toLowerCase().match(WORD) ?? [])].slice(0, MAX_WORDS);
  return { text, code: text.replace(/[^A-Za-z0-9]/g, '').toUpperCase(), words };
}

/**
 * The full-text query for to_tsquery('simple', …): every word must match, each as a quoted lexeme
 * (quotes doubled, backslashes escaped, though words hold neither). Only the last word — the one
 * being typed — is a prefix, and only when it has letters: a prefix gathers every matching entry of
 * the index before anything is ranked, so `po:* & riv:*` would cost as many rows as half the index,
 * while whole words are looked up by skipping (numbers are found as codes by the earlier stages).
 * websearch_to_tsquery would be safe too but cannot say "prefix". Null when there is no word.
 */
export function prefixTsQuery(words: readonly string[]): string | null {
  if (words.length === 0) return null;
  return words
    .map((word, i) => {
      const quoted = `'${word.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
      const typing = i === words.length - 1 && word.length >= MIN_PREFIX_WORD && /\p{L}/u.test(word);
      return typing ? `${quoted}:*` : quoted;
    })
    .join(' & ');
}

/** Whether a text has a run of MIN_FRAGMENT letters or digits, so the trigram index can narrow it. */
export function hasTrigram(text: string): boolean {
  return /[\p{L}\p{N}]{3}/u.test(text);
}

export interface StagePlan {
  readonly stage: Stage;
  /** What the stage's SQL gets as its term. */
  readonly term: string;
  readonly matchedOn: MatchedOn;
}

/**
 * The stages worth running for these terms, in order: exact code, code prefix, words, fragments of
 * codes and of a title word, then similar title words (typos). A stage is left out when its term would be
 * empty or too short to use its index.
 */
export function planStages(terms: SearchTerms): StagePlan[] {
  const plan: StagePlan[] = [];
  if (terms.code !== '') {
    plan.push({ stage: 'code', term: terms.code, matchedOn: 'code' });
    plan.push({ stage: 'prefix', term: terms.code, matchedOn: 'prefix' });
  }
  const tsQuery = prefixTsQuery(terms.words);
  if (tsQuery !== null) plan.push({ stage: 'text', term: tsQuery, matchedOn: 'text' });
  const fragment = terms.text.toLowerCase();
  // Titles are searched for a piece of one word; words with spaces between are the text stage's.
  if (terms.code.length >= MIN_FRAGMENT || /^[\p{L}\p{N}]{3,}$/u.test(fragment)) {
    plan.push({ stage: 'fragment', term: fragment, matchedOn: 'fragment' });
  }
  if (hasTrigram(fragment)) plan.push({ stage: 'similar', term: fragment, matchedOn: 'fragment' });
  return plan;
}

/**
 * Whether to run `stage` after what the earlier ones found; once not, no later stage runs either.
 * Not once the answer is full. After a whole code matched, the text names a record: no fragments,
 * which would only add noise, and no words when the code has digits — a number is not words, and
 * its words (po, riv, 2026) are the commonest in the index. Similar words, the last resort, only
 * when nothing matched at all.
 */
export function stageWanted(
  stage: Stage,
  found: readonly { matchedOn: MatchedOn }[],
  terms: SearchTerms,
  limit: number,
): boolean {
  if (found.length >= limit) return false;
  const wholeCode = found.some((row) => row.matchedOn === 'code');
  if (wholeCode && stage === 'text' && /[0-9]/.test(terms.code)) return false;
  if (wholeCode && stage === 'fragment') return false;
  return stage !== 'similar' || found.length === 0;
}
