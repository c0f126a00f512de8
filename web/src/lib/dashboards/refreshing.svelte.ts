import { untrack } from 'svelte';
import { Resource } from '../resource.svelte';

/**
 * A widget's data that is read again at every refresh tick and whenever what it asks changes: `ask`
 * returns null when there is nothing to ask (no plant yet), else the call. Call it in a component's
 * script: it registers the effect.
 */
export function refreshing<T>(
  ask: () => (() => Promise<T>) | null,
  tick: () => number,
): Resource<T> & { idle: boolean } {
  let call: (() => Promise<T>) | null = null;
  const resource = new Resource<T>(() =>
    call === null ? Promise.reject(new Error('Nothing to show')) : call(),
  );
  const state = $state({ idle: true });
  $effect(() => {
    void tick();
    const next = ask();
    untrack(() => {
      call = next;
      state.idle = next === null;
      if (next !== null) void resource.load();
    });
  });
  return Object.defineProperty(resource, 'idle', { get: () => state.idle }) as Resource<T> & {
    idle: boolean;
  };
}
