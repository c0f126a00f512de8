import { describe, expect, it } from 'vitest';
import type { SearchAnswer } from './api-types';
import { createDebounce, focusesSearch, groupRuns, resultLabel, searchOptions, searchText } from './search';

const answer: SearchAnswer = {
  text: 'm3',
  groups: [
    {
      entityType: 'machine',
      label: 'Machines',
      singular: 'Machine',
      results: [
        {
          entityType: 'machine',
          entityId: 'm-1',
          code: 'M3',
          title: 'L2 machine 3',
          plantCode: 'RIV',
          context: 'L2',
          link: '/machines/m-1',
          matchedOn: 'code',
        },
      ],
    },
    {
      entityType: 'product',
      label: 'Products',
      singular: 'Product',
      results: [
        {
          entityType: 'product',
          entityId: 'p-1',
          code: 'BRK-100',
          title: null,
          snippet: 'supplier M3 Foundry',
          link: null,
          matchedOn: 'text',
        },
      ],
    },
  ],
};

describe('searchText', () => {
  it('asks for the trimmed text, at most what the API takes, and nothing for spaces', () => {
    expect(searchText('  PO-00012 ')).toBe('PO-00012');
    expect(searchText('x'.repeat(150))).toHaveLength(100);
    expect(searchText('   ')).toBeNull();
  });
});

describe('searchOptions', () => {
  it('makes one option per result, with type, plant, context and snippet as its detail', () => {
    expect(searchOptions(answer)).toEqual([
      {
        key: 'machine:m-1',
        entityType: 'machine',
        group: 'Machines',
        label: 'M3 · L2 machine 3',
        detail: 'Machine · RIV · L2',
        href: '/machines/m-1',
      },
      {
        key: 'product:p-1',
        entityType: 'product',
        group: 'Products',
        label: 'BRK-100',
        detail: 'Product · “supplier M3 Foundry”',
        href: null,
      },
    ]);
    expect(searchOptions({ text: 'x', groups: [] })).toEqual([]);
  });

  it('labels a record by code and title, or whichever it has', () => {
    expect(resultLabel({ code: null, title: 'Ana Novak' })).toBe('Ana Novak');
    expect(resultLabel({ code: null, title: null })).toBe('—');
  });

  it('runs the options by group, keeping each one’s index', () => {
    const options = searchOptions(answer);
    expect(
      groupRuns([...options, options[1]!]).map((run) => [run.group, run.start, run.options.length]),
    ).toEqual([
      ['Machines', 0, 1],
      ['Products', 1, 2],
    ]);
  });
});

describe('createDebounce', () => {
  function fakeClock() {
    const timers = new Map<number, () => void>();
    let next = 0;
    return {
      timers,
      set: (fn: () => void) => {
        timers.set(++next, fn);
        return next;
      },
      clear: (handle: unknown) => timers.delete(handle as number),
      fireAll: () => {
        for (const [id, fn] of [...timers]) {
          timers.delete(id);
          fn();
        }
      },
    };
  }

  it('runs once typing pauses, however many keys came before', () => {
    const clock = fakeClock();
    let runs = 0;
    const debounce = createDebounce(150, () => runs++, clock);
    debounce.request();
    debounce.request();
    debounce.request();
    expect(clock.timers.size).toBe(1);
    clock.fireAll();
    expect(runs).toBe(1);
  });

  it('runs a pending request at once on flush, and never after cancel', () => {
    const clock = fakeClock();
    let runs = 0;
    const debounce = createDebounce(150, () => runs++, clock);
    debounce.flush();
    expect(runs).toBe(0);
    debounce.request();
    debounce.flush();
    expect(runs).toBe(1);
    expect(clock.timers.size).toBe(0);
    debounce.request();
    debounce.cancel();
    clock.fireAll();
    expect(runs).toBe(1);
  });
});

describe('focusesSearch', () => {
  const press = (
    key: string,
    target: { tagName?: string; isContentEditable?: boolean } | null,
    extra = {},
  ) => ({
    key,
    ctrlKey: false,
    metaKey: false,
    altKey: false,
    defaultPrevented: false,
    target,
    ...extra,
  });

  it('takes / on the page, not in a field or with a modifier', () => {
    expect(focusesSearch(press('/', { tagName: 'BODY' }))).toBe(true);
    expect(focusesSearch(press('/', null))).toBe(true);
    expect(focusesSearch(press('/', { tagName: 'input' }))).toBe(false);
    expect(focusesSearch(press('/', { tagName: 'TEXTAREA' }))).toBe(false);
    expect(focusesSearch(press('/', { tagName: 'DIV', isContentEditable: true }))).toBe(false);
    expect(focusesSearch(press('/', { tagName: 'BODY' }, { ctrlKey: true }))).toBe(false);
    expect(focusesSearch(press('/', { tagName: 'BODY' }, { defaultPrevented: true }))).toBe(false);
    expect(focusesSearch(press('k', { tagName: 'BODY' }))).toBe(false);
  });
});
