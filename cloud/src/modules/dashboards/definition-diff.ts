import type { DashboardDefinition, Widget } from './definition.js';

/*
 * What changed between two saved versions of a dashboard (docs/dashboards.md, "Versions"), in the
 * terms its editor used: widgets added, removed, moved or resized, and changed (title, type or
 * options), matched by their ids; and the dashboard-wide settings that changed. Pure.
 */

export interface WidgetRef {
  id: string;
  type: Widget['type'];
  title: string;
}

export interface WidgetMove extends WidgetRef {
  from: Widget['gridPos'];
  to: Widget['gridPos'];
}

export interface WidgetChange extends WidgetRef {
  /** The widget's fields that differ: title, type, options. */
  fields: ('title' | 'type' | 'options')[];
  before: Pick<Widget, 'title' | 'type' | 'options'>;
  after: Pick<Widget, 'title' | 'type' | 'options'>;
}

export interface SettingChange {
  setting: 'name' | 'variables' | 'timeRange' | 'refreshSeconds';
  before: unknown;
  after: unknown;
}

export interface DefinitionDiff {
  added: WidgetRef[];
  removed: WidgetRef[];
  moved: WidgetMove[];
  changed: WidgetChange[];
  settings: SettingChange[];
  /** True when nothing differs. */
  same: boolean;
}

const refOf = (w: Widget): WidgetRef => ({ id: w.id, type: w.type, title: w.title });

/** Equal as JSON with keys in any order (option objects come back from jsonb reordered). */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  return keysA.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

export function diffDefinitions(
  before: { name: string; definition: DashboardDefinition },
  after: { name: string; definition: DashboardDefinition },
): DefinitionDiff {
  const old = new Map(before.definition.widgets.map((w) => [w.id, w]));
  const now = new Map(after.definition.widgets.map((w) => [w.id, w]));
  const added = after.definition.widgets.filter((w) => !old.has(w.id)).map(refOf);
  const removed = before.definition.widgets.filter((w) => !now.has(w.id)).map(refOf);
  const moved: WidgetMove[] = [];
  const changed: WidgetChange[] = [];
  for (const next of after.definition.widgets) {
    const previous = old.get(next.id);
    if (previous === undefined) continue;
    if (!sameValue(previous.gridPos, next.gridPos))
      moved.push({ ...refOf(next), from: previous.gridPos, to: next.gridPos });
    const fields = (['title', 'type', 'options'] as const).filter((f) => !sameValue(previous[f], next[f]));
    if (fields.length > 0)
      changed.push({
        ...refOf(next),
        fields,
        before: {
          title: previous.title,
          type: previous.type,
          options: previous.options,
        } as WidgetChange['before'],
        after: { title: next.title, type: next.type, options: next.options } as WidgetChange['after'],
      });
  }
  const settings: SettingChange[] = [];
  if (before.name !== after.name) settings.push({ setting: 'name', before: before.name, after: after.name });
  for (const setting of ['variables', 'timeRange', 'refreshSeconds'] as const) {
    if (!sameValue(before.definition[setting], after.definition[setting]))
      settings.push({ setting, before: before.definition[setting], after: after.definition[setting] });
  }
  const same = added.length + removed.length + moved.length + changed.length + settings.length === 0;
  return { added, removed, moved, changed, settings, same };
}
