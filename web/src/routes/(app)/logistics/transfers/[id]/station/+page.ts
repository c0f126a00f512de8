import { requireAny } from '../../../../require';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ parent, params, url }) => {
  const { session } = await parent();
  requireAny(session, 'logistics.pack');
  return {
    id: params.id,
    mode: url.searchParams.get('mode') === 'receive' ? ('receive' as const) : ('pack' as const),
  };
};
