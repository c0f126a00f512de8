import { describe, expect, it } from 'vitest';
import { addState, removeStates } from './definition-edit';
import { DraftEditor } from './draft-editor.svelte';
import { sampleDefinition } from './testing';

function openEditor() {
  const editor = new DraftEditor();
  editor.openDraft({ id: 'v2', number: 2, revision: 5, definition: sampleDefinition() });
  return editor;
}

describe('DraftEditor', () => {
  it('opens a draft unchanged and editable', () => {
    const editor = openEditor();
    expect(editor.readOnly).toBe(false);
    expect(editor.dirty).toBe(false);
    expect(editor.revision).toBe(5);
    expect(editor.issues).toEqual([]);
  });

  it('is dirty after an edit in place and clean once that is saved', () => {
    const editor = openEditor();
    const draft = editor.definition.states[0];
    if (draft === undefined) throw new Error('sample changed');
    draft.label = 'New';
    expect(editor.dirty).toBe(true);
    editor.markSaved(editor.snapshot(), 6, [{ at: { kind: 'definition' }, path: '', message: 'No owner' }]);
    expect(editor.dirty).toBe(false);
    expect(editor.revision).toBe(6);
    expect(editor.issueIndex.definition.map((i) => i.message)).toEqual(['No owner']);
  });

  it('shows the schema’s problems as the user edits, before any save', () => {
    const editor = openEditor();
    const review = editor.definition.states[1];
    if (review === undefined) throw new Error('sample changed');
    review.label = '';
    expect(editor.issueIndex.states.get('review')).toHaveLength(1);
  });

  it('selects a state or a transition and drops the selection when it is removed', () => {
    const editor = openEditor();
    editor.select({ kind: 'state', key: 'review' });
    expect(editor.selectedState?.label).toBe('Under review');
    expect(editor.selectedTransition).toBeUndefined();
    editor.apply(removeStates(editor.definition, ['review']));
    expect(editor.selected).toBeNull();
    const { definition, key } = addState(editor.definition, { label: 'Checked' });
    editor.apply(definition, { kind: 'state', key });
    expect(editor.selectedState?.key).toBe('checked');
  });

  it('undoes structural edits, dropping a selection that is gone again', () => {
    const editor = openEditor();
    expect(editor.canUndo).toBe(false);
    const { definition, key } = addState(editor.definition, { label: 'Checked' });
    editor.apply(definition, { kind: 'state', key });
    editor.apply(removeStates(editor.definition, ['draft']));
    editor.undo();
    expect(editor.definition.states.map((s) => s.key)).toEqual(['draft', 'review', 'closed', 'checked']);
    editor.undo();
    expect(editor.definition.states.map((s) => s.key)).toEqual(['draft', 'review', 'closed']);
    expect(editor.selected).toBeNull();
    expect(editor.canUndo).toBe(false);
    expect(editor.dirty).toBe(false);
  });

  it('keeps the same selection object when the same part is selected again', () => {
    const editor = openEditor();
    editor.select({ kind: 'transition', key: 'submit' });
    const first = editor.selected;
    editor.select({ kind: 'transition', key: 'submit' });
    expect(editor.selected).toBe(first);
  });

  it('shows a published version read-only and ignores edits to it', () => {
    const editor = new DraftEditor();
    editor.openPublished({ number: 1, definition: sampleDefinition() });
    expect(editor.readOnly).toBe(true);
    editor.apply(removeStates(editor.definition, ['draft']));
    expect(editor.definition.states).toHaveLength(3);
  });

  it('snapshots plain data for saving', () => {
    const editor = openEditor();
    const snapshot = editor.snapshot();
    expect(snapshot).toEqual(sampleDefinition());
    snapshot.states.pop();
    expect(editor.definition.states).toHaveLength(3);
  });
});
