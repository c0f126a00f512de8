import { definitionSchema, type WorkflowDefinition } from '@plantline/schema/workflow';
import type { ValidationIssue } from './api-types';

/*
 * Problems with a definition, placed where the designer draws them: on a state, on a transition or
 * on the workflow as a whole. They come from two places — the cloud's validation (saving and
 * validating a draft report them; publishing refuses while there are any) and the definition schema,
 * checked here as the user edits, so a problem shows before the next save.
 */

export type Selection = { kind: 'state'; key: string } | { kind: 'transition'; key: string } | null;

export interface IssueIndex {
  definition: ValidationIssue[];
  states: ReadonlyMap<string, ValidationIssue[]>;
  transitions: ReadonlyMap<string, ValidationIssue[]>;
}

export const NO_ISSUES: IssueIndex = { definition: [], states: new Map(), transitions: new Map() };

export function indexIssues(issues: readonly ValidationIssue[]): IssueIndex {
  const definition: ValidationIssue[] = [];
  const states = new Map<string, ValidationIssue[]>();
  const transitions = new Map<string, ValidationIssue[]>();
  for (const issue of issues) {
    if (issue.at.kind === 'definition') definition.push(issue);
    else {
      const map = issue.at.kind === 'state' ? states : transitions;
      map.set(issue.at.key, [...(map.get(issue.at.key) ?? []), issue]);
    }
  }
  return { definition, states, transitions };
}

/** The part an issue is about, to select when the user clicks it in the list; null for the whole. */
export function issueSelection(issue: ValidationIssue): Selection {
  return issue.at.kind === 'definition' ? null : { kind: issue.at.kind, key: issue.at.key };
}

/** Where an issue is, in words: "State Under review", "Transition Submit", "Workflow". */
export function issuePlace(issue: ValidationIssue, definition: WorkflowDefinition): string {
  const { at } = issue;
  if (at.kind === 'definition') return 'Workflow';
  if (at.kind === 'state') {
    const state = definition.states.find((s) => s.key === at.key);
    return `State ${state?.label || at.key}`;
  }
  const transition = definition.transitions.find((t) => t.key === at.key);
  return `Transition ${transition?.label || at.key}`;
}

/**
 * The definition schema's objections, as issues on the parts they concern: a path such as
 * `states.2.label` becomes the issue `label` on the third state.
 */
export function schemaIssues(definition: WorkflowDefinition): ValidationIssue[] {
  const parsed = definitionSchema.safeParse(definition);
  if (parsed.success) return [];
  return parsed.error.issues.map((problem) => {
    const [part, index, ...rest] = problem.path;
    const path = rest.map(String).join('.');
    if ((part === 'states' || part === 'transitions') && typeof index === 'number') {
      const key = definition[part][index]?.key;
      if (key !== undefined)
        return {
          at: { kind: part === 'states' ? 'state' : 'transition', key },
          path,
          message: problem.message,
        };
    }
    return { at: { kind: 'definition' }, path: problem.path.map(String).join('.'), message: problem.message };
  });
}

/** The issues to show: the schema's first (they block saving), then the cloud's last answer. */
export function combinedIssues(
  definition: WorkflowDefinition,
  server: readonly ValidationIssue[],
): ValidationIssue[] {
  return [...schemaIssues(definition), ...server];
}
