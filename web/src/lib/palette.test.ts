import { describe, expect, it } from 'vitest';
import { pagesFor } from './navigation';
import { latestOnly, moveActive, pageResults, recordResults } from './palette';

describe('pageResults', () => {
  it('offers the pages the user may open that match, with their group', () => {
    const results = pageResults('roles', pagesFor(['roles.read', 'users.read']));
    expect(results).toEqual([
      {
        key: 'page:/admin/roles',
        kind: 'page',
        label: 'Roles',
        detail: 'Administration',
        href: '/admin/roles',
      },
    ]);
    expect(pageResults('roles', pagesFor(['events.read']))).toEqual([]);
  });
});

describe('recordResults', () => {
  const result = (entityType: string, entityId: string, link: string | null, extra = {}) => ({
    entityType,
    entityId,
    code: entityType === 'machine' ? 'M1' : 'PO-000042',
    title: entityType === 'machine' ? 'L1 machine 1' : null,
    link,
    matchedOn: 'code' as const,
    ...extra,
  });

  it('shows found records under the pages, each opening its page, same codes told apart by plant and context', () => {
    const results = recordResults({
      text: 'M1',
      groups: [
        {
          entityType: 'machine',
          label: 'Machines',
          singular: 'Machine',
          results: [
            result('machine', 'm1', '/machines/m1', { plantCode: 'RIV', context: 'L1' }),
            result('machine', 'm2', '/machines/m2', { plantCode: 'LAK', context: 'L1' }),
          ],
        },
        {
          entityType: 'production_order',
          label: 'Production orders',
          singular: 'Production order',
          results: [
            result('production_order', 'o1', '/config/records/production_order/o1?code=PO-000042', {
              plantCode: 'RIV',
              context: 'BRK-100',
            }),
          ],
        },
      ],
    });
    expect(results.map((r) => [r.key, r.label, r.detail, r.href])).toEqual([
      ['record:machine:m1', 'M1 · L1 machine 1', 'Machine · RIV · L1', '/machines/m1'],
      ['record:machine:m2', 'M1 · L1 machine 1', 'Machine · LAK · L1', '/machines/m2'],
      [
        'record:production_order:o1',
        'PO-000042',
        'Production order · RIV · BRK-100',
        '/config/records/production_order/o1?code=PO-000042',
      ],
    ]);
  });

  it('leaves out records the web app has no page for', () => {
    const results = recordResults({
      text: 'scratch',
      groups: [
        {
          entityType: 'defect_code',
          label: 'Defect codes',
          singular: 'Defect code',
          results: [result('defect_code', 'd1', null)],
        },
      ],
    });
    expect(results).toEqual([]);
  });
});

describe('moveActive', () => {
  it.each([
    [-1, 3, 'ArrowDown', 0],
    [0, 3, 'ArrowDown', 1],
    [2, 3, 'ArrowDown', 0],
    [-1, 3, 'ArrowUp', 2],
    [0, 3, 'ArrowUp', 2],
    [2, 3, 'ArrowUp', 1],
    [1, 3, 'Home', 0],
    [1, 3, 'End', 2],
    [4, 2, 'x', 1],
    [0, 0, 'ArrowDown', -1],
  ])('from %i of %i, %s → %i', (active, count, key, expected) => {
    expect(moveActive(active, count, key)).toBe(expected);
  });
});

describe('latestOnly', () => {
  function deferred<T>() {
    let resolve!: (value: T) => void;
    let reject!: (err: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  }

  it('drops a slow answer to an older text that arrives after the newer one', async () => {
    const pending = new Map<string, ReturnType<typeof deferred<string>>>();
    const delivered: [string, string][] = [];
    const search = latestOnly(
      (text) => {
        const d = deferred<string>();
        pending.set(text, d);
        return d.promise;
      },
      (text, answer) => delivered.push([text, answer]),
      () => {},
    );
    search.run('M');
    search.run('M1');
    pending.get('M1')!.resolve('answer to M1');
    await Promise.resolve();
    pending.get('M')!.resolve('answer to M');
    await new Promise((r) => setTimeout(r, 0));
    expect(delivered).toEqual([['M1', 'answer to M1']]);
  });

  it('reports only the newest failure, and nothing after cancel', async () => {
    const failures: string[] = [];
    const delivered: string[] = [];
    const gates = [deferred<string>(), deferred<string>()];
    let call = 0;
    const search = latestOnly(
      () => gates[call++]!.promise,
      (_, answer) => delivered.push(answer),
      (text) => failures.push(text),
    );
    search.run('a');
    gates[0]!.reject(new Error('old'));
    await new Promise((r) => setTimeout(r, 0));
    expect(failures).toEqual(['a']);
    search.run('ab');
    search.cancel();
    gates[1]!.resolve('late');
    await new Promise((r) => setTimeout(r, 0));
    expect(delivered).toEqual([]);
  });
});
