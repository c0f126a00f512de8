import { describe, expect, it } from 'vitest';
import { newWidget, parseImportFile, toggleVariable, type Widget, withLayout } from './model';
import { escapeHtml, renderText } from './text';
import { kioskPlan, kpiScope, kpiWindow, readVariables, variablesHref } from './variables';
import { scrapEntries } from './widgets/pareto-sources';

const plants = [{ id: 'p1' }, { id: 'p2' }];
const definition = {
  variables: ['plant', 'line', 'machine', 'timeRange'] as const,
  timeRange: 'today' as const,
};

describe('variables in the URL', () => {
  it('reads allowed values, dropping a chained one without the one before it', () => {
    const values = readVariables(
      new URLSearchParams('plant=p2&line=l1&machine=m1&range=last7d'),
      { ...definition, variables: [...definition.variables] },
      plants,
    );
    expect(values).toEqual({ plantId: 'p2', lineId: 'l1', machineId: 'm1', range: 'last7d', shiftId: null });
    const noLine = readVariables(
      new URLSearchParams('plant=nope&machine=m1&range=forever'),
      { ...definition, variables: [...definition.variables] },
      plants,
    );
    expect(noLine).toEqual({ plantId: 'p1', lineId: null, machineId: null, range: 'today', shiftId: null });
    // Without the variable on the dashboard, the URL's value is ignored.
    expect(
      readVariables(new URLSearchParams('line=l1'), { variables: ['plant'], timeRange: 'today' }, plants)
        .lineId,
    ).toBe(null);
  });

  it('clears what depends on a changed value and keeps other parameters', () => {
    const params = new URLSearchParams('plant=p1&line=l1&machine=m1&edit=');
    expect(variablesHref('/dashboards/x', params, { plantId: 'p2' })).toBe('/dashboards/x?plant=p2&edit=');
    expect(variablesHref('/dashboards/x', params, { lineId: null })).toBe('/dashboards/x?plant=p1&edit=');
  });

  it('turns presets into KPI windows, a shift winning over the range', () => {
    const now = Date.parse('2026-11-25T10:00:00Z');
    expect(kpiWindow({ range: 'currentShift', shiftId: null }, now)).toBe('currentShift');
    expect(kpiWindow({ range: 'yesterday', shiftId: null }, now, 'UTC')).toEqual({ day: '2026-11-24' });
    expect(kpiWindow({ range: 'last24h', shiftId: null }, now)).toEqual({
      from: '2026-11-24T10:00:00.000Z',
      to: '2026-11-25T10:00:00.000Z',
    });
    expect(kpiWindow({ range: 'today', shiftId: 's1' }, now)).toEqual({ shiftId: 's1' });
    expect(kpiScope({ plantId: 'p', lineId: 'l', machineId: null })).toEqual({ kind: 'line', id: 'l' });
    expect(kpiScope({ plantId: null, lineId: null, machineId: null })).toBeNull();
  });

  it('reads a kiosk rotation, bounding the interval', () => {
    expect(kioskPlan(new URLSearchParams('d=a,b,,a&every=2'))).toEqual({
      slugs: ['a', 'b'],
      everySeconds: 10,
    });
    expect(kioskPlan(new URLSearchParams('d=a&every=x'))).toEqual({ slugs: ['a'], everySeconds: 60 });
  });
});

describe('the builder', () => {
  it('places a new widget below the others with a fresh id', () => {
    const first = newWidget('kpi', []);
    const second = newWidget('kpi', [first]);
    expect(first).toMatchObject({ id: 'kpi-1', gridPos: { x: 0, y: 0, w: 6, h: 4 } });
    expect(second).toMatchObject({ id: 'kpi-2', gridPos: { y: 4 } });
  });

  it('applies grid places and keeps untouched widgets as they were', () => {
    const widgets = [newWidget('kpi', [])];
    const def = { widgets, variables: [], timeRange: 'today', refreshSeconds: 60 } as unknown as Parameters<
      typeof withLayout
    >[0];
    expect(withLayout(def, [{ id: 'kpi-1', x: 0, y: 0, w: 6, h: 4 }]).widgets[0]).toBe(widgets[0]);
    expect((withLayout(def, [{ id: 'kpi-1', x: 6, y: 2, w: 8, h: 4 }]).widgets[0] as Widget).gridPos).toEqual(
      {
        x: 6,
        y: 2,
        w: 8,
        h: 4,
      },
    );
  });

  it('keeps the variable chain whole', () => {
    expect(toggleVariable(['timeRange'], 'machine', true)).toEqual(['plant', 'line', 'machine', 'timeRange']);
    expect(toggleVariable(['plant', 'line', 'machine', 'shift'], 'plant', false)).toEqual([]);
    expect(toggleVariable(['plant', 'line', 'machine'], 'line', false)).toEqual(['plant']);
  });

  it('says plainly when an import file is not JSON', () => {
    expect(parseImportFile('{"a":1}')).toEqual({ document: { a: 1 } });
    expect(parseImportFile('<html>')).toEqual({ error: expect.stringMatching(/not JSON/) });
  });

  it('ranks scrap by machine for the Pareto', () => {
    expect(
      scrapEntries([
        { code: 'M1', name: 'Press', scrap: [1, 0] },
        { code: 'M2', name: 'Lathe', scrap: [2, 1] },
        { code: 'M3', name: 'Idle', scrap: [0] },
      ]),
    ).toEqual([
      { name: 'Lathe', cause: 'M2', durationMs: 180_000, cumulativeShare: 0.75 },
      { name: 'Press', cause: 'M1', durationMs: 60_000, cumulativeShare: 1 },
    ]);
  });
});

describe('text widget', () => {
  it('escapes everything before adding its few tags', () => {
    expect(escapeHtml(`<img src=x onerror="alert(1)">`)).toBe(
      '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;',
    );
    expect(renderText('# Shift notes\n- **Line 1** down\n- *wait*\n\n<script>x</script>')).toBe(
      '<h3>Shift notes</h3><ul><li><strong>Line 1</strong> down</li><li><em>wait</em></li></ul><p>&lt;script&gt;x&lt;/script&gt;</p>',
    );
  });
});
