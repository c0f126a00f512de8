import { tables } from '@plantline/schema';
import { workflowKeySchema } from '@plantline/schema/workflow';
import { z } from 'zod';
import { dateInput, idInput as id, patchOf } from '../../platform/index.js';
import { permittedProcedure, router } from '../../trpc/procedures.js';
import { customValuesInput } from '../config/index.js';
import { getChangeOrder, listChangeOrders } from './change-order-reads.js';
import { editChangeOrder, raiseChangeOrder } from './change-orders.js';

/*
 * Engineering change orders (docs/change-orders.md): changes.read sees them, changes.manage raises
 * and edits them. Approving one is a workflow transition, not a procedure of this router.
 */
const read = permittedProcedure('changes.read');
const manage = permittedProcedure('changes.manage');

const urgencyInput = z.enum(tables.changeUrgencies, {
  error: `Choose one of ${tables.changeUrgencies.join(', ')}`,
});
const effectivityInput = z.enum(tables.changeEffectivities, {
  error: `Choose one of ${tables.changeEffectivities.join(', ')}`,
});

const fields = {
  title: z.string().trim().min(1, 'Enter a title').max(200, 'At most 200 characters'),
  // A mutation's top-level `reason` is also the call's reason in the audit trail (docs/audit.md), read
  // with that reader's bound of 1000 characters: creating a change order records why it was raised.
  reason: z.string().trim().max(1000, 'At most 1000 characters').default(''),
  description: z.string().trim().max(20_000, 'At most 20000 characters').default(''),
  urgency: urgencyInput.default('normal'),
  effectivity: effectivityInput.default('immediate'),
  effectiveDate: dateInput.nullish(),
  effectiveLot: z.string().trim().min(1, 'Enter a lot').max(64, 'At most 64 characters').nullish(),
  ownerId: id.nullish(),
};

const itemInput = z.object({
  productId: id,
  routingId: id.nullish(),
  note: z.string().trim().max(1000, 'At most 1000 characters').default(''),
});
const itemsInput = z.array(itemInput).max(200, 'At most 200 items');

const updateInput = z
  .object({
    id,
    expectedVersion: z.number().int().min(1),
    patch: patchOf(fields).optional(),
    addItems: itemsInput.optional(),
    removeItemIds: z.array(id).max(200).optional(),
    custom: customValuesInput,
  })
  .refine(
    (u) =>
      u.patch !== undefined ||
      (u.addItems?.length ?? 0) > 0 ||
      (u.removeItemIds?.length ?? 0) > 0 ||
      u.custom !== undefined,
    'Nothing to change',
  );

export const changeOrdersRouter = router({
  /** Newest first; pass the previous page's nextCursor for the next page. */
  list: read
    .input(
      z
        .object({
          status: z.array(workflowKeySchema).max(20).optional(),
          urgency: z.array(urgencyInput).max(4).optional(),
          plantId: id.optional(),
          productId: id.optional(),
          text: z.string().trim().max(100).optional(),
          limit: z.number().int().min(1).max(200).default(50),
          cursor: id.optional(),
        })
        .default({ limit: 50 }),
    )
    .query(({ ctx, input }) => listChangeOrders(ctx.tx, input)),
  get: read.input(z.object({ id })).query(({ ctx, input }) => getChangeOrder(ctx.tx, input.id)),
  /** Numbered from the change_order sequence; items start from their products' current revisions. */
  create: manage
    .input(
      z.object({
        ...fields,
        plantId: id.nullish(),
        items: itemsInput.default([]),
        custom: customValuesInput,
      }),
    )
    .mutation(({ ctx, input }) => raiseChangeOrder(ctx, input)),
  /** Against the version the editor saw (stale: conflict); items are removed, then added. */
  update: manage.input(updateInput).mutation(({ ctx, input }) => editChangeOrder(ctx, input)),
});
