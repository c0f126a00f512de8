import type { AppRouter } from '@plantline/cloud';
import { createTRPCClient, httpBatchLink } from '@trpc/client';

// A relative URL keeps every call on the page's origin: in production the cloud serves this app next to
// /trpc, and in dev Vite proxies /trpc (vite.config.ts). The session cookie is HTTP-only, so the browser
// attaches it and this code never sees it. Creating the client sends nothing; the first call does.
export const trpc = createTRPCClient<AppRouter>({
  links: [
    httpBatchLink({
      url: '/trpc',
      fetch: (input, init) => fetch(input, { ...init, credentials: 'same-origin' }),
    }),
  ],
});

/** What `auth.me` returns: the signed-in user, their tenant, roles, permissions and visible plants. */
export type Session = Awaited<ReturnType<typeof trpc.auth.me.query>>;
