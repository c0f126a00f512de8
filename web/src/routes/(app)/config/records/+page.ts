import { redirect } from '@sveltejs/kit';
import type { PageLoad } from './$types';

// The records list is per entity type; products are what most custom fields describe.
export const load: PageLoad = () => {
  redirect(307, '/config/records/product');
};
