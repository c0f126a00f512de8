import { tables } from '@plantline/schema';
import { permittedProcedure, router } from '../../trpc/procedures.js';
import { plantsRouter } from '../masterdata/index.js';

export const tenancyRouter = router({
  tenant: permittedProcedure('tenant.read').query(async ({ ctx }) => {
    const [tenant] = await ctx.tx
      .select({ id: tables.tenants.id, name: tables.tenants.name, slug: tables.tenants.slug })
      .from(tables.tenants);
    return tenant!;
  }),
  plants: plantsRouter,
});
