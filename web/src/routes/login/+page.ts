import { redirect } from '@sveltejs/kit';
import { safeRedirectTarget } from '$lib/redirect';
import { noAuthRedirect, trpc } from '$lib/trpc';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ url }) => {
  const redirectTo = safeRedirectTarget(url.searchParams.get('redirectTo'));
  // Someone already signed in (a second tab, the back button) goes straight on. Any failure, including
  // an unreachable cloud, shows the form: signing in then reports the problem.
  const signedIn = await trpc.auth.me.query(undefined, noAuthRedirect).then(
    () => true,
    () => false,
  );
  if (signedIn) redirect(307, redirectTo);
  return { redirectTo, expired: url.searchParams.get('expired') === '1' };
};
