import { describe, expect, it } from 'vitest';
import { canDelete, canEdit, canSee, canShare, type Viewer } from './dashboard-access.js';
import { slugOf } from './dashboard-queries.js';
import { type DashboardDefinition, definitionSchema } from './definition.js';
import { diffDefinitions } from './definition-diff.js';

const base: DashboardDefinition = definitionSchema.parse({
  variables: ['plant', 'line', 'timeRange'],
  timeRange: 'today',
  refreshSeconds: 60,
  widgets: [
    {
      id: 'k',
      type: 'kpi',
      title: 'OEE',
      gridPos: { x: 0, y: 0, w: 6, h: 4 },
      options: { metric: 'oee', breakdown: 'total' },
    },
    {
      id: 'p',
      type: 'pareto',
      title: 'Losses',
      gridPos: { x: 6, y: 0, w: 12, h: 8 },
      options: { source: 'downtime', top: 10 },
    },
  ],
});

describe('diffDefinitions', () => {
  it('names changed titles and options and changed variables, keys in any order', () => {
    const after: DashboardDefinition = {
      ...base,
      variables: ['plant', 'timeRange'],
      widgets: [
        { ...base.widgets[0]!, title: 'Plant OEE', options: { breakdown: 'total', metric: 'availability' } },
        // Same options with the keys reordered, as jsonb returns them: no change.
        { ...base.widgets[1]!, options: { top: 10, source: 'downtime' } },
      ] as DashboardDefinition['widgets'],
    };
    const diff = diffDefinitions({ name: 'A', definition: base }, { name: 'A', definition: after });
    expect(diff.changed).toEqual([
      expect.objectContaining({
        id: 'k',
        fields: ['title', 'options'],
        after: expect.objectContaining({ title: 'Plant OEE' }),
      }),
    ]);
    expect(diff.moved).toEqual([]);
    expect(diff.settings).toEqual([
      { setting: 'variables', before: ['plant', 'line', 'timeRange'], after: ['plant', 'timeRange'] },
    ]);
    expect(diff.same).toBe(false);
    expect(diffDefinitions({ name: 'A', definition: base }, { name: 'A', definition: base }).same).toBe(true);
  });
});

describe('access rules', () => {
  const owner: Viewer = { userId: 'u1', roleIds: new Set(['r-op']), manages: false };
  const other: Viewer = { userId: 'u2', roleIds: new Set(['r-op']), manages: false };
  const manager: Viewer = { userId: 'u3', roleIds: new Set(), manages: true };
  const personal = { visibility: 'personal' as const, ownerId: 'u1', sharedRoleIds: [] };
  const shared = { visibility: 'shared' as const, ownerId: 'u1', sharedRoleIds: ['r-op'] };

  it('keeps a personal dashboard to its owner, even from dashboards.manage', () => {
    expect([canSee, canEdit, canDelete].map((rule) => rule(personal, owner))).toEqual([true, true, true]);
    expect([canSee, canEdit, canDelete].map((rule) => rule(personal, manager))).toEqual([
      false,
      false,
      false,
    ]);
    expect(canShare(personal, owner)).toBe(false);
    expect(canShare(personal, { ...owner, manages: true })).toBe(true);
  });

  it('shows a shared one to its roles and lets only dashboards.manage change it; its maker may delete it', () => {
    expect([canSee(shared, other), canEdit(shared, other), canDelete(shared, other)]).toEqual([
      true,
      false,
      false,
    ]);
    expect([canSee(shared, manager), canEdit(shared, manager)]).toEqual([true, true]);
    expect(canSee(shared, { userId: 'u4', roleIds: new Set(['r-q']), manages: false })).toBe(false);
    expect([canEdit(shared, owner), canDelete(shared, owner)]).toEqual([false, true]);
  });
});

describe('slugOf', () => {
  it('makes a slug of a name, keeping clear of the kiosk page', () => {
    expect(slugOf('Linie 1 — Früh')).toBe('linie-1-fruh');
    expect(slugOf('Kiosk')).toBe('kiosk-dashboard');
    expect(slugOf('***')).toBe('dashboard');
  });
});
