import { tables } from '@plantline/schema';
import { z } from 'zod';
import { dateInput, idInput as id, patchOf } from '../../platform/index.js';
import { permittedProcedure, router } from '../../trpc/procedures.js';
import { customValuesInput } from '../config/index.js';
import { promiseDate } from './promises.js';
import { listRequests } from './request-queries.js';
import { cancelRequest, createRequest, getRequest, updateRequest } from './requests.js';

/*
 * Delivery requests and their promised dates (docs/logistics.md, "Customers and delivery
 * requests"): logistics.read sees them, logistics.manage records them and promises dates.
 */
const read = permittedProcedure('logistics.read');
const manage = permittedProcedure('logistics.manage');

const text = (max: number) => z.string().trim().max(max, `At most ${max} characters`);
const quantityInput = z.number().finite().positive('More than 0').max(1e12, 'Too large');
const statusInput = z.enum(tables.deliveryRequestStatuses, {
  error: `Choose one of ${tables.deliveryRequestStatuses.join(', ')}`,
});

const requestFields = {
  customerId: id,
  /** The customer's default address when left out. */
  shipToId: id.optional(),
  productId: id,
  quantity: quantityInput,
  customerPo: text(64).optional(),
  note: text(10_000).optional(),
};

export const requestsRouter = router({
  /** Requests by the date they are due, earliest first; pass the previous page's nextCursor for the next. */
  list: read
    .input(
      z
        .object({
          plantId: id.optional(),
          customerId: id.optional(),
          status: z.array(statusInput).max(4).optional(),
          dueFrom: dateInput.optional(),
          dueTo: dateInput.optional(),
          text: z.string().trim().max(100).optional(),
          limit: z.number().int().min(1).max(200).default(50),
          cursor: id.optional(),
        })
        .default({ limit: 50 }),
    )
    .query(({ ctx, input }) => listRequests(ctx.tx, input)),
  /** The request with its promise history (oldest first), its first and latest promise. */
  get: read.input(z.object({ id })).query(({ ctx, input }) => getRequest(ctx.tx, input.id)),
  /** Numbered from the plant's `delivery_request` scheme; the requested date never changes. */
  create: manage
    .input(z.object({ plantId: id, ...requestFields, requestedDate: dateInput, custom: customValuesInput }))
    .mutation(({ ctx, input }) => createRequest(ctx, input)),
  /** An edit against the `version` the editor saw, while the request has something to ship. */
  update: manage
    .input(
      z
        .object({
          id,
          expectedVersion: z.number().int().min(1),
          patch: patchOf(requestFields).optional(),
          custom: customValuesInput,
        })
        .refine((input) => input.patch !== undefined || input.custom !== undefined, 'Nothing to change'),
    )
    .mutation(({ ctx, input }) => updateRequest(ctx, input)),
  /** The reason is kept by the audit trail and shown with the cancelled request. */
  cancel: manage
    .input(
      z.object({
        id,
        expectedVersion: z.number().int().min(1),
        reason: z.string().trim().min(1, 'Say why it is cancelled').max(1000, 'At most 1000 characters'),
      }),
    )
    .mutation(({ ctx, input }) => cancelRequest(ctx.tx, input)),
  /** Appends a promised date; every promise after the first needs a reason. */
  promise: manage
    .input(
      z.object({
        requestId: id,
        promisedDate: dateInput,
        reason: z.string().trim().max(1000, 'At most 1000 characters').optional(),
      }),
    )
    .mutation(({ ctx, input }) => promiseDate(ctx.tx, ctx.principal, input)),
});
