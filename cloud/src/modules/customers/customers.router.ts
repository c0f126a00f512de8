import { otdOverrideSchema } from '@plantline/schema';
import { z } from 'zod';
import {
  catalogueCodeInput,
  countryInput,
  glnInput,
  idInput as id,
  nameInput,
  patchOf,
} from '../../platform/index.js';
import { permittedProcedure, router } from '../../trpc/procedures.js';
import { customValuesInput } from '../config/index.js';
import { addAddress, setAddressActive, updateAddress } from './addresses.js';
import { listCustomers } from './customer-queries.js';
import { createCustomer, getCustomer, setCustomerActive, updateCustomer } from './customers.js';

/*
 * Customers and their ship-to addresses (docs/logistics.md, "Customers and delivery requests"):
 * logistics.read sees them, logistics.manage maintains them.
 */
const read = permittedProcedure('logistics.read');
const manage = permittedProcedure('logistics.manage');

const text = (max: number) => z.string().trim().max(max, `At most ${max} characters`);

/** A contact's email, or empty for none. */
const contactEmailInput = z.union([z.literal(''), z.email('Enter a valid email address').max(254)]);

const customerFields = {
  code: catalogueCodeInput,
  name: nameInput,
  gln: glnInput.nullable().optional(),
  email: contactEmailInput.optional(),
  phone: text(40).optional(),
  notes: text(10_000).optional(),
  /** The parts of the tenant's OTD policy that differ for this customer; null or {} for none. */
  otdPolicy: otdOverrideSchema.strict().nullable().optional(),
};

const addressFields = {
  label: z.string().trim().min(1, 'Enter a label').max(80, 'At most 80 characters'),
  name: nameInput,
  street: text(200).optional(),
  street2: text(200).optional(),
  postalCode: text(20).optional(),
  city: text(100).optional(),
  region: text(100).optional(),
  country: countryInput,
  gln: glnInput.nullable().optional(),
};

const byId = z.object({ id });

export const customersRouter = router({
  /** Customers by code; pass the previous page's nextCursor for the next page. */
  list: read
    .input(
      z
        .object({
          text: z.string().trim().max(100).optional(),
          active: z.enum(['active', 'inactive', 'all']).default('active'),
          limit: z.number().int().min(1).max(200).default(50),
          cursor: id.optional(),
        })
        .default({ active: 'active', limit: 50 }),
    )
    .query(({ ctx, input }) => listCustomers(ctx.tx, input)),
  /** The customer with its ship-to addresses and the requests still to ship (of the plants in reach). */
  get: read.input(byId).query(({ ctx, input }) => getCustomer(ctx.tx, input.id)),
  create: manage
    .input(z.object({ ...customerFields, custom: customValuesInput }))
    .mutation(({ ctx, input }) => createCustomer(ctx, input)),
  /** An edit against the `version` the editor saw; a stale one is a conflict naming who changed it. */
  update: manage
    .input(
      z
        .object({
          id,
          expectedVersion: z.number().int().min(1),
          patch: patchOf(customerFields).optional(),
          custom: customValuesInput,
        })
        .refine((input) => input.patch !== undefined || input.custom !== undefined, 'Nothing to change'),
    )
    .mutation(({ ctx, input }) => updateCustomer(ctx, input)),
  /** A deactivated customer takes no new requests; what it has stays. */
  deactivate: manage.input(byId).mutation(({ ctx, input }) => setCustomerActive(ctx.tx, input.id, false)),
  reactivate: manage.input(byId).mutation(({ ctx, input }) => setCustomerActive(ctx.tx, input.id, true)),
  addresses: router({
    /** A ship-to address; the customer's first becomes its default, as does one added with isDefault. */
    add: manage
      .input(z.object({ customerId: id, ...addressFields, isDefault: z.boolean().optional() }))
      .mutation(({ ctx, input }) => addAddress(ctx.tx, ctx.principal, input)),
    /** isDefault: true makes it the default; the default is left only by making another one it. */
    update: manage
      .input(z.object({ id, patch: patchOf({ ...addressFields, isDefault: z.boolean() }) }))
      .mutation(({ ctx, input }) => updateAddress(ctx.tx, input.id, input.patch)),
    deactivate: manage.input(byId).mutation(({ ctx, input }) => setAddressActive(ctx.tx, input.id, false)),
    reactivate: manage.input(byId).mutation(({ ctx, input }) => setAddressActive(ctx.tx, input.id, true)),
  }),
});
