import { describe, expect, it } from 'vitest';
import {
  choicesParam,
  idParam,
  idQuery,
  listParam,
  listQuery,
  STATES_MAX,
  stateKeysParam,
  TEXT_MAX,
  textParam,
  textQuery,
  toggled,
  withQuery,
} from './list-url';

const ID = '0190a8c1-1111-7000-8000-000000000001';
const params = (query: Record<string, string>) => new URLSearchParams(query);

describe('a record list’s filters in the URL', () => {
  it('sets and removes parameters, keeping the others and the path', () => {
    const url = new URL('https://plant.example/quality/ncrs?plant=p1&status=draft&q=old');
    const next = withQuery(url, { status: null, q: 'seal', machine: ID });
    expect(next.pathname).toBe('/quality/ncrs');
    expect(Object.fromEntries(next.searchParams)).toEqual({ plant: 'p1', q: 'seal', machine: ID });
    // The URL given stays as it was: the page's own is read-only.
    expect(url.searchParams.get('status')).toBe('draft');
  });

  it('reads comma lists trimmed, without empty parts', () => {
    expect(listParam(params({ status: ' draft, ,closed,' }), 'status')).toEqual(['draft', 'closed']);
    expect(listParam(params({}), 'status')).toEqual([]);
  });

  it('keeps any state key once, and drops what cannot be one', () => {
    expect(stateKeysParam(params({ status: 'draft,Bad Key,under_review,draft,9lives' }))).toEqual([
      'draft',
      'under_review',
    ]);
    const many = Array.from({ length: STATES_MAX + 5 }, (_, i) => `s${i}`).join(',');
    expect(stateKeysParam(params({ status: many }))).toHaveLength(STATES_MAX);
  });

  it('keeps the known choices in their own order', () => {
    const all = ['low', 'normal', 'high', 'emergency'] as const;
    expect(choicesParam(params({ urgency: 'emergency,urgent,low' }), 'urgency', all)).toEqual([
      'low',
      'emergency',
    ]);
  });

  it('keeps an id and the words, and drops what is not an id', () => {
    expect(idParam(params({ machine: ID }), 'machine')).toBe(ID);
    expect(idParam(params({ machine: 'nope' }), 'machine')).toBe('');
    expect(idParam(params({ machine: `${ID}0` }), 'machine')).toBe('');
    expect(textParam(params({ q: 'x'.repeat(TEXT_MAX + 10) }))).toHaveLength(TEXT_MAX);
    expect(textParam(params({}))).toBe('');
  });

  it('writes the query back, leaving empty parts out', () => {
    expect([listQuery(['draft', 'closed']), listQuery([])]).toEqual(['draft,closed', null]);
    expect([idQuery(ID), idQuery('')]).toEqual([ID, null]);
    expect([textQuery(' seal '), textQuery('  ')]).toEqual(['seal', null]);
  });

  it('checks and unchecks a choice, keeping the order of all choices and dropping unknown ones', () => {
    const all = ['planned', 'released', 'in_progress'];
    expect(toggled(all, ['in_progress'], 'planned', true)).toEqual(['planned', 'in_progress']);
    expect(toggled(all, ['planned', 'in_progress'], 'planned', false)).toEqual(['in_progress']);
    expect(toggled(all, ['gone', 'released'], 'planned', true)).toEqual(['planned', 'released']);
  });
});
