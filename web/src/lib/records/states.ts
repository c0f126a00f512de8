/*
 * A record's workflow state as its pages show it: in words, and in the tone of its badge
 * (StateBadge.svelte). The states are the record's workflow's own, so any key can be shown.
 */

/** What a state means: finished well, ended without effect, a draft, or under way. */
export type StateTone = 'good' | 'ended' | 'draft' | 'open';

/** A state's key as words: `under_review` → "Under review". */
export function stateWords(key: string): string {
  const words = key.replace(/_+/g, ' ').trim();
  return words === '' ? key : words.charAt(0).toUpperCase() + words.slice(1);
}
