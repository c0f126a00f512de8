import { error } from '@sveltejs/kit';
import { requireAny } from '../../require';
import type { PageLoad } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const load: PageLoad = async ({ parent, params }) => {
  const { session } = await parent();
  requireAny(session, 'kpi.read');
  if (!UUID.test(params.id)) error(404, 'No machine has this address.');
  return { machineId: params.id.toLowerCase() };
};
