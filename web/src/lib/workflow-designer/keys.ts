import { WORKFLOW_KEY_PATTERN } from '@plantline/schema/workflow';

/*
 * Keys of states and transitions: the stable names that instances, votes and the version diff refer
 * to (schema/src/workflow/definition.ts, WORKFLOW_KEY_PATTERN). The designer proposes one from the
 * label and keeps it unique; the user may type their own.
 */

const MAX_KEY_LENGTH = 40;

/** A key made from a label: "Under review" → "under_review"; "" when nothing usable is left. */
export function keyFromLabel(label: string): string {
  const words = label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  // A key starts with a letter: "2nd review" becomes "s_2nd_review" rather than losing the digit.
  const lettered = /^[a-z]/.test(words) ? words : words === '' ? '' : `s_${words}`;
  return lettered.slice(0, MAX_KEY_LENGTH).replace(/_+$/, '');
}

/** `base`, or `base_2`, `base_3`… — the first not in `taken`, never longer than a key may be. */
export function uniqueKey(base: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  const start = base === '' ? 'item' : base;
  if (!used.has(start)) return start;
  for (let n = 2; ; n++) {
    const suffix = `_${n}`;
    const candidate = `${start.slice(0, MAX_KEY_LENGTH - suffix.length)}${suffix}`;
    if (!used.has(candidate)) return candidate;
  }
}

/** Why `key` cannot be used, or null: the pattern, then uniqueness among `others`. */
export function keyProblem(
  key: string,
  others: Iterable<string>,
  what: 'state' | 'transition',
): string | null {
  if (key === '') return 'Enter a key.';
  if (!WORKFLOW_KEY_PATTERN.test(key))
    return 'Use 1–40 lower-case letters, digits and _, starting with a letter.';
  for (const other of others) if (other === key) return `Another ${what} already has the key ${key}.`;
  return null;
}

/** A new state's key from its label, unique among `states`. */
export function newStateKey(label: string, states: readonly { key: string }[]): string {
  return uniqueKey(
    keyFromLabel(label) || 'state',
    states.map((s) => s.key),
  );
}

/** A new transition's key from its label (or its ends when unlabelled), unique among `transitions`. */
export function newTransitionKey(
  label: string,
  from: string,
  to: string,
  transitions: readonly { key: string }[],
): string {
  const base = keyFromLabel(label) || keyFromLabel(`${from} to ${to}`) || 'transition';
  return uniqueKey(
    base,
    transitions.map((t) => t.key),
  );
}
