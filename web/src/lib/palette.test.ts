import { describe, expect, it } from 'vitest';
import { pagesFor } from './navigation';
import { canSearchRecords, latestOnly, moveActive, pageResults, recordResults } from './palette';

const plants = [
  { id: 'p-riv', code: 'RIV' },
  { id: 'p-lak', code: 'LAK' },
];

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
  it('links a machine to its page and tells same codes apart by plant and line', () => {
    const results = recordResults(
      'machine',
      [
        { id: 'm1', code: 'M1', name: 'L1 machine 1', plantId: 'p-riv', context: 'L1' },
        { id: 'm2', code: 'M1', name: 'L1 machine 1', plantId: 'p-lak', context: 'L1' },
      ],
      plants,
    );
    expect(results.map((r) => [r.label, r.detail, r.href])).toEqual([
      ['M1 · L1 machine 1', 'Machine · RIV · L1', '/machines/m1'],
      ['M1 · L1 machine 1', 'Machine · LAK · L1', '/machines/m2'],
    ]);
  });

  it('opens products and orders on their record pages', () => {
    const [product] = recordResults(
      'product',
      [{ id: 'x1', code: 'BRK-100', name: 'Bracket', plantId: null, context: null }],
      plants,
    );
    expect(product).toMatchObject({
      key: 'product:x1',
      detail: 'Product',
      href: '/config/records/product/x1?code=BRK-100&name=Bracket',
    });
    const [order] = recordResults(
      'order',
      [{ id: 'o1', code: 'PO-000042', name: null, plantId: 'p-riv', context: 'BRK-100' }],
      plants,
    );
    expect(order).toMatchObject({
      label: 'PO-000042',
      detail: 'Production order · RIV · BRK-100',
      href: '/config/records/production_order/o1?code=PO-000042',
    });
  });
});

describe('canSearchRecords', () => {
  it('needs both config.read and masterdata.read, as config.records.list does', () => {
    expect(canSearchRecords(['config.read', 'masterdata.read'])).toBe(true);
    expect(canSearchRecords(['config.read'])).toBe(false);
    expect(canSearchRecords(['masterdata.read'])).toBe(false);
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
