import { error } from '@sveltejs/kit';
import { isEntityTypeKey } from '$lib/config/api-types';
import { requireAny } from '../../../require';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ parent, params }) => {
  const { session } = await parent();
  requireAny(session, 'config.read');
  const entityType = params.entityType;
  if (!isEntityTypeKey(entityType)) error(404, `There are no records of type ${entityType}.`);
  return { entityType };
};
