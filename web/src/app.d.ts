import type { Session } from '$lib/trpc';

// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
  namespace App {
    interface PageData {
      // Set by src/routes/(app)/+layout.ts on every signed-in page; the app shell reads it for sign-out.
      session?: Session;
    }
  }
}
