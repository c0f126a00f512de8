import { tables } from '@plantline/schema';
import { z } from 'zod';
import { idInput, patchOf } from '../../platform/index.js';
import { permittedProcedure, router } from '../../trpc/procedures.js';
import { createPlant, listPlants, plantFields, updatePlant } from './plants.js';

export const tenancyRouter = router({
  tenant: permittedProcedure('tenant.read').query(async ({ ctx }) => {
    const [tenant] = await ctx.tx
      .select({ id: tables.tenants.id, name: tables.tenants.name, slug: tables.tenants.slug })
      .from(tables.tenants);
    return tenant!;
  }),
  plants: router({
    list: permittedProcedure('plants.read').query(({ ctx }) => listPlants(ctx.tx)),
    create: permittedProcedure('plants.manage')
      .input(plantFields)
      .mutation(({ ctx, input }) => createPlant(ctx.tx, ctx.principal.tenantId, input)),
    update: permittedProcedure('plants.manage')
      .input(z.object({ id: idInput, patch: patchOf(plantFields) }))
      .mutation(({ ctx, input }) => updatePlant(ctx.tx, input.id, input.patch)),
  }),
});
