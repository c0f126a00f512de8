import { goto } from '$app/navigation';
import { realtime } from './realtime.svelte';
import { loginPath } from './redirect';

let redirecting = false;

/**
 * The session ended while the user was working (expired, signed out in another tab, deactivated): go to
 * sign-in, which brings them back to this page afterwards. Several calls failing at once go there once.
 */
export function sessionExpired(): void {
  if (redirecting) return;
  redirecting = true;
  realtime.reset();
  void goto(loginPath(new URL(location.href), { expired: true }), { invalidateAll: true }).finally(() => {
    redirecting = false;
  });
}

/** After sign-in or sign-out: the WebSocket must be reopened with the new cookie (or none). */
export function sessionChanged(): void {
  realtime.reset();
}
