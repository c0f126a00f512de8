import { errorMessage } from './trpc-error';

/** One page of a list as the cloud pages it: its rows and the cursor of the next page (null: none). */
export interface Page<T> {
  items: readonly T[];
  next: string | null;
}

type Item<P extends Page<unknown>> = P['items'][number];

interface Options<T> {
  /**
   * How rows join those shown: the next page, and live rows (`add`). Defaults to appending; a view
   * that keeps its rows in an order of its own, or de-duplicates, passes its merge.
   */
  merge?: (shown: readonly T[], incoming: readonly T[]) => T[];
  /**
   * Rows also arrive live, so a first page joins the rows shown rather than replacing them (a live
   * row may be newer than the page's answer), and the cursor of older pages already read is kept.
   */
  live?: boolean;
}

/**
 * A list the cloud returns a page at a time: the first page for a filter, then more through the
 * cursor each answer carries, with honest loading and error states for both. Only the answer to
 * the latest request for the first page counts: one overtaken by a newer request (a new filter, a
 * reload) is ignored, and so is a next page asked for before it.
 *
 * `P` is the page as the view's fetcher returns it; `first` keeps the latest first page whole, for
 * what only it carries (the records list's total).
 */
export class PagedList<F, P extends Page<unknown>> {
  items = $state.raw<Item<P>[]>([]);
  next = $state<string | null>(null);
  first = $state.raw<P | undefined>(undefined);
  /** The first page for the current filter has been shown. */
  loaded = $state(false);
  loading = $state(false);
  error = $state('');
  loadingMore = $state(false);
  moreError = $state('');
  #filter: F | undefined;
  #latest = 0;

  constructor(
    private readonly fetchPage: (filter: F, cursor: string | null) => Promise<P>,
    private readonly options: Options<Item<P>> = {},
  ) {}

  /**
   * Reads the first page for `filter`. What is shown stays until the answer arrives; call `reset`
   * first where the rows of another filter must not stay on screen meanwhile.
   */
  async load(filter: F): Promise<void> {
    const request = ++this.#latest;
    this.#filter = filter;
    this.loading = true;
    // A next page still on its way belongs to what this answer replaces.
    this.loadingMore = false;
    this.moreError = '';
    try {
      const page = await this.fetchPage(filter, null);
      if (request !== this.#latest) return;
      const rows = page.items as readonly Item<P>[];
      if (this.options.live) {
        this.items = this.#merge(this.items, rows);
        if (!this.loaded) this.next = page.next;
      } else {
        this.items = [...rows];
        this.next = page.next;
      }
      this.first = page;
      this.loaded = true;
      this.error = '';
    } catch (err) {
      if (request === this.#latest) this.error = errorMessage(err);
    } finally {
      if (request === this.#latest) this.loading = false;
    }
  }

  /** Reads the first page of the current filter again (after a change, or to retry). */
  reload(): Promise<void> {
    return this.#filter === undefined ? Promise.resolve() : this.load(this.#filter);
  }

  /** Reads the next page, if there is one and no first page is on its way (its cursor would be stale). */
  async more(): Promise<void> {
    const cursor = this.next;
    const filter = this.#filter;
    if (cursor === null || filter === undefined || this.loading || this.loadingMore) return;
    const request = this.#latest;
    this.loadingMore = true;
    this.moreError = '';
    try {
      const page = await this.fetchPage(filter, cursor);
      if (request !== this.#latest) return;
      this.items = this.#merge(this.items, page.items as readonly Item<P>[]);
      this.next = page.next;
    } catch (err) {
      if (request === this.#latest) this.moreError = errorMessage(err);
    } finally {
      if (request === this.#latest) this.loadingMore = false;
    }
  }

  /** Rows that arrived live, joined to those shown. */
  add(rows: readonly Item<P>[]): void {
    if (rows.length > 0) this.items = this.#merge(this.items, rows);
  }

  /** Forgets the rows and states, and any answer still on its way (a view starting over). */
  reset(): void {
    this.#latest++;
    this.#filter = undefined;
    this.items = [];
    this.next = null;
    this.first = undefined;
    this.loaded = false;
    this.loading = false;
    this.error = '';
    this.loadingMore = false;
    this.moreError = '';
  }

  #merge(shown: readonly Item<P>[], incoming: readonly Item<P>[]): Item<P>[] {
    return this.options.merge ? this.options.merge(shown, incoming) : [...shown, ...incoming];
  }
}
