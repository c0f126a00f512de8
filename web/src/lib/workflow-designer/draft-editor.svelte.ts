import type { WorkflowDefinition, WorkflowState, WorkflowTransition } from '@plantline/schema/workflow';
import type { ValidationIssue } from './api-types';
import { normaliseDefinition, plainDefinition } from './definition-edit';
import { combinedIssues, indexIssues, type Selection } from './issues';

const MAX_UNDO = 50;

function hasPart(definition: WorkflowDefinition, selected: NonNullable<Selection>): boolean {
  return selected.kind === 'state'
    ? definition.states.some((s) => s.key === selected.key)
    : definition.transitions.some((t) => t.key === selected.key);
}

/*
 * The definition open in the designer: the document being edited, the draft revision it was loaded
 * at (saving sends it back, so a save over someone else's is refused rather than lost), whether it
 * differs from what was last saved, the cloud's last word on its problems and the selected state or
 * transition. A published version is opened read-only.
 */
export class DraftEditor {
  definition = $state<WorkflowDefinition>({ states: [], transitions: [] });
  /** The draft's version id and revision; null when a published version is shown. */
  versionId = $state<string | null>(null);
  revision = $state(0);
  /** The version's number, draft or published. */
  number = $state(0);
  selected = $state<Selection>(null);
  /** The cloud's problems with the draft as last saved or validated. */
  serverIssues = $state.raw<ValidationIssue[]>([]);
  #saved = $state('');
  /** Earlier documents, newest last, for Undo: structural edits and moves are easy to make by accident. */
  #history = $state.raw<string[]>([]);

  readonly readOnly = $derived(this.versionId === null);
  readonly dirty = $derived(JSON.stringify(this.definition) !== this.#saved);
  readonly issues = $derived(combinedIssues(this.definition, this.serverIssues));
  readonly issueIndex = $derived(indexIssues(this.issues));
  readonly canUndo = $derived(this.#history.length > 0);

  readonly selectedState = $derived.by((): WorkflowState | undefined => {
    const selected = this.selected;
    return selected?.kind === 'state'
      ? this.definition.states.find((s) => s.key === selected.key)
      : undefined;
  });

  readonly selectedTransition = $derived.by((): WorkflowTransition | undefined => {
    const selected = this.selected;
    return selected?.kind === 'transition'
      ? this.definition.transitions.find((t) => t.key === selected.key)
      : undefined;
  });

  /** Opens a draft for editing. */
  openDraft(draft: { id: string; number: number; revision: number; definition: unknown }): void {
    this.#open(draft.definition, draft.number);
    this.versionId = draft.id;
    this.revision = draft.revision;
  }

  /** Shows a published version, read-only. */
  openPublished(version: { number: number; definition: unknown }): void {
    this.#open(version.definition, version.number);
    this.versionId = null;
    this.revision = 0;
  }

  #open(raw: unknown, number: number) {
    const definition = normaliseDefinition(raw);
    this.definition = definition;
    this.#saved = JSON.stringify(definition);
    this.number = number;
    this.serverIssues = [];
    this.selected = null;
    this.#history = [];
  }

  /** Replaces the document with an edited one; a selection whose part is gone is dropped. */
  apply(definition: WorkflowDefinition, select?: Selection): void {
    if (this.readOnly) return;
    this.#history = [...this.#history.slice(1 - MAX_UNDO), JSON.stringify(this.definition)];
    this.definition = definition;
    const selected = select === undefined ? this.selected : select;
    this.select(selected === null || hasPart(definition, selected) ? selected : null);
  }

  /** Goes back to the document before the last `apply`. */
  undo(): void {
    const previous = this.#history.at(-1);
    if (previous === undefined || this.readOnly) return;
    this.#history = this.#history.slice(0, -1);
    const definition = JSON.parse(previous) as WorkflowDefinition;
    this.definition = definition;
    const selected = this.selected;
    if (selected !== null && !hasPart(definition, selected)) this.selected = null;
  }

  /** Selects a state or transition; the same selection again changes nothing (the graph reports it after every redraw). */
  select(selection: Selection): void {
    const current = this.selected;
    if (current === null && selection === null) return;
    if (
      current !== null &&
      selection !== null &&
      current.kind === selection.kind &&
      current.key === selection.key
    )
      return;
    // A copy: the caller's object stays its own (Svelte would proxy it in place).
    this.selected = selection === null ? null : { ...selection };
  }

  /** The document to save: plain data, no proxies. */
  snapshot(): WorkflowDefinition {
    return plainDefinition(this.definition);
  }

  /** The cloud stored `saved` at `revision` and found these problems with it. */
  markSaved(saved: WorkflowDefinition, revision: number, issues: readonly ValidationIssue[]): void {
    this.#saved = JSON.stringify(saved);
    this.revision = revision;
    this.serverIssues = [...issues];
  }

  /** The cloud's latest validation of the draft as saved. */
  setServerIssues(issues: readonly ValidationIssue[]): void {
    this.serverIssues = [...issues];
  }
}
