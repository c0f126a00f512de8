import { requireAny } from '../../require';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ parent }) => {
  const { session } = await parent();
  requireAny(session, 'masterdata.read');
};
