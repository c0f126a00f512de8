import { requireAny } from '../../../require';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ parent, params }) => {
  const { session } = await parent();
  requireAny(session, 'materials.read');
  return { id: params.id };
};
