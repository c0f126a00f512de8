import { tables } from '@plantline/schema';
import { z } from 'zod';
import {
  catalogueCodeInput,
  dateInput,
  idInput as id,
  instantInput,
  nameInput,
} from '../../platform/index.js';
import { permittedProcedure, router } from '../../trpc/procedures.js';
import { customValuesInput, withCustomValues } from '../config/index.js';
import { createBom, deleteBom, getBom, listBoms, obsoleteBom, releaseBom, updateBom } from './boms.js';
import { consumeForOrder, orderMaterials, recordOrderOutput } from './order-materials.js';

/*
 * BOMs (docs/materials.md, "BOMs"): materials.read sees them, boms.manage edits drafts, releases and
 * withdraws versions. An order's materials (docs/materials.md, "Order materials"): inventory.read sees
 * planned, consumed and produced; inventory.move books consumption and output against the order.
 */
const read = permittedProcedure('materials.read');
const manage = permittedProcedure('boms.manage');
const readStock = permittedProcedure('inventory.read');
const move = permittedProcedure('inventory.move');

const positive = z.number().positive('Must be above zero').max(1e12);
const itemInput = z.object({
  materialId: id,
  quantity: positive,
  unit: catalogueCodeInput.optional(),
  scrapPercent: z.number().min(0, 'At least 0 %').max(100, 'At most 100 %').optional(),
  backflush: z.boolean().optional(),
});
const bomFields = {
  name: nameInput,
  baseQuantity: positive,
  backflush: z.boolean(),
  note: z.string().trim().max(2000, 'At most 2000 characters'),
};
const items = z.array(itemInput).max(500, 'At most 500 items');
const optionalFields = z.object({ ...bomFields, items }).partial();
const bomPatch = optionalFields.refine(
  (patch) => Object.values(patch).some((value) => value !== undefined),
  'Nothing to change',
);

export const bomsRouter = router({
  list: read
    .input(z.object({ materialId: id.optional(), status: z.enum(tables.bomStatuses).optional() }).default({}))
    .query(({ ctx, input }) => listBoms(ctx.tx, input)),
  get: read.input(z.object({ id })).query(({ ctx, input }) => getBom(ctx.tx, input.id)),
  /** A new draft version; without items, a copy of the latest version's. */
  create: manage
    .input(z.object({ materialId: id, ...optionalFields.shape, custom: customValuesInput }))
    .mutation(
      withCustomValues({ entityType: 'bom', creating: true }, ({ tx, principal }, input) =>
        createBom(tx, principal.tenantId, input),
      ),
    ),
  /** A draft's fields and, when given, its whole list of items. */
  update: manage
    .input(
      z.object({
        id,
        patch: bomPatch,
        custom: customValuesInput,
      }),
    )
    .mutation(
      withCustomValues({ entityType: 'bom', creating: false }, ({ tx, principal }, input) =>
        updateBom(tx, principal.tenantId, input.id, input.patch),
      ),
    ),
  delete: manage.input(z.object({ id })).mutation(({ ctx, input }) => deleteBom(ctx.tx, input.id)),
  release: manage
    .input(z.object({ id, validFrom: instantInput, validTo: instantInput.nullish() }))
    .mutation(({ ctx, input }) => releaseBom(ctx.tx, ctx.principal.tenantId, input.id, input)),
  obsolete: manage.input(z.object({ id })).mutation(({ ctx, input }) => obsoleteBom(ctx.tx, input.id)),
});

const orderStock = {
  orderId: id,
  locationId: id,
  quantity: positive,
  unit: catalogueCodeInput.optional(),
  time: instantInput.optional(),
  note: z.string().trim().max(2000, 'At most 2000 characters').optional(),
};

export const orderMaterialsRouter = router({
  get: readStock
    .input(z.object({ orderId: id }))
    .query(({ ctx, input }) => orderMaterials(ctx.tx, input.orderId)),
  consume: move
    .input(z.object({ ...orderStock, materialId: id, lotId: id.nullish() }))
    .mutation(({ ctx, input }) => consumeForOrder(ctx, input)),
  output: move
    .input(
      z.object({ ...orderStock, lotCode: catalogueCodeInput.optional(), expiresOn: dateInput.nullish() }),
    )
    .mutation(({ ctx, input }) => recordOrderOutput(ctx, input)),
});
