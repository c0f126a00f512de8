import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import { type Page, PagedList } from './paged-list.svelte';
import { UNREACHABLE_MESSAGE } from './trpc-error';

interface Call {
  filter: string;
  cursor: string | null;
  answer: (page: Page<string>) => Promise<void>;
  fail: (err: unknown) => Promise<void>;
}

/** A fetcher whose answers the test gives, in the order it chooses; each resolves a deferred promise. */
function deferredPages() {
  const calls: Call[] = [];
  const fetchPage = (filter: string, cursor: string | null) =>
    new Promise<Page<string>>((resolve, reject) => {
      calls.push({
        filter,
        cursor,
        // Settling lets the list's own continuation run before the test looks.
        answer: async (page) => {
          resolve(page);
          await Promise.resolve();
          await Promise.resolve();
        },
        fail: async (err) => {
          reject(err);
          await Promise.resolve();
          await Promise.resolve();
        },
      });
    });
  return { calls, fetchPage };
}

const unreachable = () => TRPCClientError.from(new TypeError('Failed to fetch'));

describe('PagedList', () => {
  it('shows the first page, then the next ones through the cursor until there are none', async () => {
    const { calls, fetchPage } = deferredPages();
    const list = new PagedList(fetchPage);
    const first = list.load('open');
    expect(list.loading).toBe(true);
    await calls[0]!.answer({ items: ['a', 'b'], next: 'c1' });
    await first;
    expect(list).toMatchObject({ items: ['a', 'b'], next: 'c1', loaded: true, loading: false });

    const more = list.more();
    expect(list.loadingMore).toBe(true);
    expect(calls[1]).toMatchObject({ filter: 'open', cursor: 'c1' });
    await calls[1]!.answer({ items: ['c'], next: null });
    await more;
    expect(list).toMatchObject({ items: ['a', 'b', 'c'], next: null, loadingMore: false });

    await list.more();
    expect(calls).toHaveLength(2);
  });

  it('ignores a first page overtaken by a newer request', async () => {
    const { calls, fetchPage } = deferredPages();
    const list = new PagedList(fetchPage);
    void list.load('open');
    void list.load('closed');
    await calls[1]!.answer({ items: ['closed-1'], next: null });
    await calls[0]!.answer({ items: ['open-1'], next: 'o2' });
    expect(list.items).toEqual(['closed-1']);
    expect(list.next).toBeNull();
    expect(list.loading).toBe(false);

    // An older failure is as stale as an older answer.
    void list.load('open');
    void list.reload();
    await calls[3]!.answer({ items: ['open-1'], next: null });
    await calls[2]!.fail(unreachable());
    expect(list.error).toBe('');
    expect(list.items).toEqual(['open-1']);
  });

  it('drops a next page asked for before a reload, and asks none while a first page is on its way', async () => {
    const { calls, fetchPage } = deferredPages();
    const list = new PagedList(fetchPage);
    void list.load('open');
    await calls[0]!.answer({ items: ['a'], next: 'c1' });
    void list.more();
    void list.reload();
    expect(list.loadingMore).toBe(false);
    await list.more();
    expect(calls).toHaveLength(3);

    await calls[2]!.answer({ items: ['a2'], next: 'c2' });
    await calls[1]!.answer({ items: ['stale'], next: null });
    expect(list.items).toEqual(['a2']);
    expect(list.next).toBe('c2');
  });

  it('keeps the rows shown while a reload fails, and says why', async () => {
    const { calls, fetchPage } = deferredPages();
    const list = new PagedList(fetchPage);
    void list.load('open');
    await calls[0]!.answer({ items: ['a'], next: 'c1' });
    void list.reload();
    await calls[1]!.fail(unreachable());
    expect(list).toMatchObject({ items: ['a'], error: UNREACHABLE_MESSAGE, loaded: true, loading: false });

    void list.more();
    await calls[2]!.fail(unreachable());
    expect(list.moreError).toBe(UNREACHABLE_MESSAGE);
    expect(list.items).toEqual(['a']);
    void list.reload();
    expect(list.moreError).toBe('');
    await calls[3]!.answer({ items: ['b'], next: null });
    expect(list).toMatchObject({ items: ['b'], error: '' });
  });

  it('starts over on reset: nothing shown, and answers still on their way ignored', async () => {
    const { calls, fetchPage } = deferredPages();
    const list = new PagedList(fetchPage);
    void list.load('open');
    await calls[0]!.answer({ items: ['a'], next: 'c1' });
    void list.reload();
    list.reset();
    expect(list).toMatchObject({ items: [], next: null, loaded: false, loading: false });
    await calls[1]!.answer({ items: ['late'], next: null });
    expect(list.items).toEqual([]);
    // Nothing to read again until a filter is loaded.
    await list.reload();
    expect(calls).toHaveLength(2);
  });

  it('keeps the first page whole, for what only it carries', async () => {
    const list = new PagedList(async (_: null) => ({ items: [1, 2], next: null, total: 2 }));
    await list.load(null);
    expect(list.first?.total).toBe(2);
  });

  describe('live', () => {
    const newestFirst = (shown: readonly number[], incoming: readonly number[]) =>
      [...new Set([...shown, ...incoming])].sort((a, b) => b - a);

    it('joins the first page to live rows already shown, and keeps the cursor of older pages', async () => {
      const { calls, fetchPage } = deferredPages();
      const list = new PagedList(
        (filter: string, cursor: string | null) =>
          fetchPage(filter, cursor).then((page) => ({ items: page.items.map(Number), next: page.next })),
        { live: true, merge: newestFirst },
      );
      void list.load('all');
      list.add([9]);
      await calls[0]!.answer({ items: ['8', '7'], next: 'older' });
      await Promise.resolve();
      expect(list.items).toEqual([9, 8, 7]);

      void list.more();
      await calls[1]!.answer({ items: ['6', '5'], next: 'oldest' });
      await Promise.resolve();
      list.add([10]);
      void list.reload();
      await calls[2]!.answer({ items: ['10', '9', '8'], next: 'older' });
      await Promise.resolve();
      expect(list.items).toEqual([10, 9, 8, 7, 6, 5]);
      expect(list.next).toBe('oldest');
    });
  });
});
