import { trpc } from '$lib/trpc';
import { requireAny } from '../../require';
import type { LayoutLoad } from './$types';

export const load: LayoutLoad = async ({ parent, depends }) => {
  const { session } = await parent();
  requireAny(session, 'audit.read');
  // Re-read when a verification runs on the page (invalidate), so a broken chain shows at once.
  depends('audit:verifications');
  try {
    const runs = await trpc.audit.verifications.list.query();
    return { latestRun: runs[0] ?? null };
  } catch {
    // The runs panel reports the problem itself; the banner just stays away.
    return { latestRun: null };
  }
};
