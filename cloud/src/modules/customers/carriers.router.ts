import { z } from 'zod';
import { catalogueCodeInput, idInput as id, nameInput, patchOf } from '../../platform/index.js';
import { permittedProcedure, router } from '../../trpc/procedures.js';
import { createCarrier, listCarriers, updateCarrier } from './carriers.js';
import { trackingUrlInput } from './customer-rules.js';

/* Carriers (docs/logistics.md): logistics.read sees them, logistics.manage maintains them. */
const read = permittedProcedure('logistics.read');
const manage = permittedProcedure('logistics.manage');

const carrierFields = {
  code: catalogueCodeInput,
  name: nameInput,
  /** The tracking page with {tracking} where the number goes; empty for none. */
  trackingUrl: trackingUrlInput.optional(),
};

const byId = z.object({ id });

export const carriersRouter = router({
  list: read
    .input(z.object({ includeInactive: z.boolean().optional() }).default({}))
    .query(({ ctx, input }) => listCarriers(ctx.tx, input)),
  create: manage
    .input(z.object(carrierFields))
    .mutation(({ ctx, input }) => createCarrier(ctx.tx, ctx.principal, input)),
  update: manage
    .input(z.object({ id, patch: patchOf(carrierFields) }))
    .mutation(({ ctx, input }) => updateCarrier(ctx.tx, input.id, input.patch)),
  /** Shipments keep a deactivated carrier; new ones cannot choose it. */
  deactivate: manage
    .input(byId)
    .mutation(({ ctx, input }) => updateCarrier(ctx.tx, input.id, { isActive: false })),
  reactivate: manage
    .input(byId)
    .mutation(({ ctx, input }) => updateCarrier(ctx.tx, input.id, { isActive: true })),
});
