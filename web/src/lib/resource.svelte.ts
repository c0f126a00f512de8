import { errorMessage } from './trpc-error';

/**
 * Data a page fetches itself, with honest loading and error states. A reload keeps the data shown until
 * the new answer arrives; an answer to an older request than the latest is ignored.
 */
export class Resource<T> {
  data = $state.raw<T | undefined>(undefined);
  error = $state('');
  loading = $state(false);
  #latest = 0;

  constructor(private readonly fetcher: () => Promise<T>) {}

  async load(): Promise<void> {
    const request = ++this.#latest;
    this.loading = true;
    try {
      const data = await this.fetcher();
      if (request !== this.#latest) return;
      this.data = data;
      this.error = '';
    } catch (err) {
      if (request !== this.#latest) return;
      this.error = errorMessage(err);
    } finally {
      if (request === this.#latest) this.loading = false;
    }
  }
}
