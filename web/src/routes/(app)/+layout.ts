import { error, redirect } from '@sveltejs/kit';
import { loginPath } from '$lib/redirect';
import { noAuthRedirect, trpc } from '$lib/trpc';
import { errorMessage, isUnauthorized, isUnreachable } from '$lib/trpc-error';
import type { LayoutLoad } from './$types';

// Every page in this group needs a signed-in user, so the session is loaded once here and shared with
// the pages below and the app shell (App.PageData.session).
export const load: LayoutLoad = async ({ url }) => {
  try {
    return { session: await trpc.auth.me.query(undefined, noAuthRedirect) };
  } catch (err) {
    // Not signed in, or the session expired: sign in, then come back here.
    if (isUnauthorized(err)) redirect(307, loginPath(url));
    // No tRPC answer at all means the cloud is down or restarting, hence 503 rather than 500.
    error(isUnreachable(err) ? 503 : 500, errorMessage(err));
  }
};
