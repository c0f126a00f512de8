import { z } from 'zod';
import { idInput, patchOf } from '../../platform/index.js';
import { permittedProcedure, router } from '../../trpc/procedures.js';
import { createPlant, listPlants, plantFields, updatePlant } from './plants.js';

/**
 * Plants are master data, but their procedures keep the path `tenancy.plants.*` that the web and API
 * clients call: the tenancy router mounts this one (docs/architecture.md, the module table).
 */
export const plantsRouter = router({
  list: permittedProcedure('plants.read').query(({ ctx }) => listPlants(ctx.tx)),
  create: permittedProcedure('plants.manage')
    .input(plantFields)
    .mutation(({ ctx, input }) => createPlant(ctx.tx, ctx.principal.tenantId, input)),
  update: permittedProcedure('plants.manage')
    .input(z.object({ id: idInput, patch: patchOf(plantFields) }))
    .mutation(({ ctx, input }) => updatePlant(ctx.tx, input.id, input.patch)),
});
