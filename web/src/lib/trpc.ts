import type { AppRouter } from '@plantline/cloud';
import { createTRPCClient, httpBatchLink, splitLink, type TRPCLink, wsLink } from '@trpc/client';
import { realtime } from './realtime.svelte';
import { reasonLink } from './reason-link';
import { reasonPrompt } from './reason-prompt.svelte';
import { needsSignIn } from './redirect';
import { sessionExpired } from './session';
import { isUnauthorized } from './trpc-error';

/**
 * Any call that the server refuses with UNAUTHORIZED sends the user to sign-in (and back afterwards),
 * whether it is a page load, a form submitted after the session ended, or a live subscription. Calls
 * that handle it themselves pass `context: { authRedirect: false }` (sign-in, the signed-in check).
 */
const sessionLink: TRPCLink<AppRouter> =
  () =>
  ({ op, next }) => {
    const source = next(op);
    const watched: typeof source = {
      subscribe: (observer) =>
        source.subscribe({
          ...observer,
          error: (err) => {
            const signIn = needsSignIn({
              unauthorized: isUnauthorized(err),
              optedOut: op.context.authRedirect === false,
              pathname: location.pathname,
            });
            if (signIn) sessionExpired();
            observer.error?.(err);
          },
        }),
      pipe: ((...operators: ((source: unknown) => unknown)[]) =>
        operators.reduce((acc, operator) => operator(acc), watched as unknown)) as typeof source.pipe,
    };
    return watched;
  };

/** Subscriptions go over the tab's WebSocket, which `realtime` may replace after sign-in or sign-out. */
const realtimeLink: TRPCLink<AppRouter> = (runtime) => (options) =>
  wsLink<AppRouter>({ client: realtime.client() })(runtime)(options);

// A relative URL keeps every call on the page's origin: in production the cloud serves this app next to
// /trpc, and in dev Vite proxies /trpc, WebSocket included (vite.config.ts). The session cookie is
// HTTP-only, so the browser attaches it (to the WebSocket upgrade too) and this code never sees it.
// Creating the client sends nothing; the first call does.
export const trpc = createTRPCClient<AppRouter>({
  links: [
    sessionLink,
    // A change refused for want of a reason is asked about and sent again (docs/settings.md).
    reasonLink((change) => reasonPrompt.ask(change)),
    splitLink({
      condition: (op) => op.type === 'subscription',
      true: realtimeLink,
      false: httpBatchLink({
        url: '/trpc',
        // Queries go as POST too: a long id list does not fit a URL (the cloud allows the override).
        methodOverride: 'POST',
        // The cloud refuses batches of more than MAX_BATCH_CALLS (50 by default).
        maxItems: 20,
        fetch: (input, init) => fetch(input, { ...init, credentials: 'same-origin' }),
      }),
    }),
  ],
});

/** For calls that deal with UNAUTHORIZED themselves. */
export const noAuthRedirect = { context: { authRedirect: false } } as const;

export type { Session } from './api-types';
