/*
 * Moving running instances to another version (workflow.definitions.migrate): every state an
 * instance is in must be mapped to a state of the target version before the move is confirmed, so no
 * instance is left in a state the new version lacks. The cloud proposes a mapping (same key, or
 * nothing); the user completes or changes it.
 */

/** The proposal as the form's starting point: an unmapped state shows as an empty choice. */
export function initialMapping(
  statesInUse: readonly string[],
  proposed: Readonly<Record<string, string | null>>,
  targetKeys: readonly string[],
): Record<string, string> {
  const targets = new Set(targetKeys);
  return Object.fromEntries(
    statesInUse.map((state) => {
      const to = proposed[state] ?? '';
      return [state, targets.has(to) ? to : ''];
    }),
  );
}

/** The states in use that have no target yet. */
export function unmappedStates(
  statesInUse: readonly string[],
  mapping: Readonly<Record<string, string>>,
): string[] {
  return statesInUse.filter((state) => (mapping[state] ?? '') === '');
}

/** How many instances are in each state, for the mapping's rows. */
export function instancesPerState(instances: readonly { stateKey: string }[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { stateKey } of instances) counts.set(stateKey, (counts.get(stateKey) ?? 0) + 1);
  return counts;
}

/** Why the move cannot be confirmed yet, or null. */
export function migrationProblem(
  statesInUse: readonly string[],
  mapping: Readonly<Record<string, string>>,
  reason: string,
): string | null {
  const missing = unmappedStates(statesInUse, mapping);
  if (missing.length > 0)
    return `Choose a target state for ${missing.length === 1 ? 'the state' : 'each of the states'} ${missing.join(', ')}.`;
  if (reason.trim() === '') return 'Say why the instances are moved; the reason is kept in the audit trail.';
  return null;
}
