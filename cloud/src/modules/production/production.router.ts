import { tables } from '@plantline/schema';
import { z } from 'zod';
import {
  catalogueCodeInput,
  colourInput,
  dateInput,
  idInput as id,
  instantInput,
  nameInput,
  patchOf,
  timeZoneInput,
} from '../../platform/index.js';
import { permittedProcedure, router } from '../../trpc/procedures.js';
import { customValuesInput, withCustomValues } from '../config/index.js';
import { manageMasterdata } from '../masterdata/index.js';
import {
  createDowntimeReason,
  createProduct,
  createStateCode,
  getProduct,
  listDowntimeReasons,
  listProducts,
  listStateCodes,
  updateDowntimeReason,
  updateProduct,
  updateStateCode,
} from './catalogue.js';
import { clearIdealCycleTime, listIdealCycleTimes, setIdealCycleTime } from './cycle-times.js';
import { bucketInput, categoryInput, gtinInput } from './inputs.js';
import {
  createPlannedDowntime,
  deletePlannedDowntime,
  listPlannedDowntimes,
  updatePlannedDowntime,
} from './planned-downtimes.js';
import { listProductRevisions } from './product-revisions.js';
import {
  createProductionOrder,
  getProductionOrder,
  listProductionOrders,
  updateProductionOrder,
} from './production-orders.js';
import { createRouting, listRoutings, updateRouting } from './routings.js';
import { createShiftPattern, listShiftPatterns, updateShiftPattern } from './shift-patterns.js';
import { createShift, deleteShift, generateShifts, listShifts, updateShift } from './shifts.js';

/*
 * KPI master data (docs/security.md, "KPI master data and quality"): read with masterdata.read,
 * changed with masterdata.manage — the catalogue's master data permissions already name products,
 * shifts and state mappings.
 */
const read = permittedProcedure('masterdata.read');
// Shift, cycle-time and mapping changes reach the live KPI hubs through the bus (masterdata.changed).
const manage = manageMasterdata;

const catalogueFilter = z.object({ includeInactive: z.boolean().optional() }).default({});
const bucketFilter = z
  .object({ bucket: bucketInput.optional(), includeInactive: z.boolean().optional() })
  .default({});
const byId = z.object({ id });
const deactivate = { isActive: false } as const;

const productFields = {
  code: catalogueCodeInput,
  name: nameInput,
  unit: z.string().trim().min(1).max(16),
  gtin: gtinInput.nullish(),
};
const stateFields = { code: catalogueCodeInput, name: nameInput, colour: colourInput, bucket: bucketInput };
const reasonFields = {
  code: catalogueCodeInput,
  name: nameInput,
  bucket: bucketInput,
  category: categoryInput,
};

const breakInput = z.object({
  offsetMinutes: z.number().int().min(0).max(1439),
  durationMinutes: z.number().int().min(1).max(1440),
  reason: catalogueCodeInput,
});
const shiftDefinitionInput = z.object({
  code: catalogueCodeInput,
  name: nameInput,
  weekdays: z
    .array(
      z
        .number()
        .int()
        .min(1, 'Weekdays are 1 (Monday) to 7 (Sunday)')
        .max(7, 'Weekdays are 1 (Monday) to 7 (Sunday)'),
    )
    .min(1, 'Choose at least one weekday')
    .max(7)
    .transform((days) => [...new Set(days)].sort()),
  startTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/, 'Use a local time like 06:00'),
  durationMinutes: z.number().int().min(1).max(1440, 'A shift lasts at most 24 hours'),
  breaks: z.array(breakInput).max(12).default([]),
});
const windowInput = { from: instantInput, to: instantInput };
const refineWindow = <T extends { from: Date; to: Date }>(w: T) => w.to > w.from;

const downtimeFields = {
  kind: z.enum(tables.plannedDowntimeKinds, {
    error: `Choose one of ${tables.plannedDowntimeKinds.join(', ')}`,
  }),
  reasonId: id.nullish(),
  note: z.string().trim().max(500).nullish(),
  startsAt: instantInput,
  endsAt: instantInput,
};

const operationInput = z.object({
  sequence: z.number().int().min(1).max(9999),
  code: catalogueCodeInput,
  name: nameInput,
  lineId: id.nullish(),
});

/*
 * Production orders are read and written with the master data permissions. Their
 * changes do not feed the live KPI hubs, so they skip manageMasterdata's masterdata.changed event,
 * which would make every hub of the tenant reload its master data for each order.
 */
const manageOrders = permittedProcedure('masterdata.manage');
const statusInput = z.enum(tables.productionOrderStatuses, {
  error: `Choose one of ${tables.productionOrderStatuses.join(', ')}`,
});
const orderFields = {
  productId: id,
  lineId: id.nullish(),
  quantity: z.number().positive('Must be above zero').max(1e12),
  dueAt: instantInput.nullish(),
  plannedStart: instantInput.nullish(),
  plannedEnd: instantInput.nullish(),
  note: z.string().trim().max(2000).nullish(),
  /** Backflush on completion; null follows the BOM. */
  backflush: z.boolean().nullish(),
  lineSideLocationId: id.nullish(),
};
/** What count events carry in `order` (the contract's 1–64 character label). */
const orderNumberInput = z.string().trim().min(1, 'Enter a number').max(64, 'At most 64 characters');

export const productionRouter = router({
  products: router({
    list: read.input(catalogueFilter).query(({ ctx, input }) => listProducts(ctx.tx, input)),
    get: read.input(byId).query(({ ctx, input }) => getProduct(ctx.tx, input.id)),
    /** The product's revisions, newest first, each with the change order that made it. */
    revisions: read
      .input(z.object({ productId: id }))
      .query(({ ctx, input }) => listProductRevisions(ctx.tx, input.productId)),
    create: manage
      .input(
        z.object({ ...productFields, unit: productFields.unit.default('pcs'), custom: customValuesInput }),
      )
      .mutation(
        withCustomValues({ entityType: 'product', creating: true }, ({ tx, principal }, input) =>
          createProduct(tx, principal.tenantId, input),
        ),
      ),
    update: manage
      .input(
        z.object({
          id,
          patch: patchOf({ ...productFields, isActive: z.boolean() }),
          custom: customValuesInput,
        }),
      )
      .mutation(
        withCustomValues({ entityType: 'product', creating: false }, ({ tx }, input) =>
          updateProduct(tx, input.id, input.patch),
        ),
      ),
    deactivate: manage.input(byId).mutation(({ ctx, input }) => updateProduct(ctx.tx, input.id, deactivate)),
  }),
  /** The per-tenant state → loss bucket mapping (table state_loss_mapping). */
  stateCodes: router({
    list: read.input(bucketFilter).query(({ ctx, input }) => listStateCodes(ctx.tx, input)),
    create: manage
      .input(z.object(stateFields))
      .mutation(({ ctx, input }) => createStateCode(ctx.tx, ctx.principal.tenantId, input)),
    update: manage
      .input(z.object({ id, patch: patchOf({ ...stateFields, isActive: z.boolean() }) }))
      .mutation(({ ctx, input }) => updateStateCode(ctx.tx, input.id, input.patch)),
    deactivate: manage
      .input(byId)
      .mutation(({ ctx, input }) => updateStateCode(ctx.tx, input.id, deactivate)),
  }),
  downtimeReasons: router({
    list: read.input(bucketFilter).query(({ ctx, input }) => listDowntimeReasons(ctx.tx, input)),
    create: manage
      .input(z.object({ ...reasonFields, category: reasonFields.category.default('other') }))
      .mutation(({ ctx, input }) => createDowntimeReason(ctx.tx, ctx.principal.tenantId, input)),
    update: manage
      .input(z.object({ id, patch: patchOf({ ...reasonFields, isActive: z.boolean() }) }))
      .mutation(({ ctx, input }) => updateDowntimeReason(ctx.tx, input.id, input.patch)),
    deactivate: manage
      .input(byId)
      .mutation(({ ctx, input }) => updateDowntimeReason(ctx.tx, input.id, deactivate)),
  }),
  idealCycleTimes: router({
    list: read
      .input(
        z.object({ plantId: id.optional(), machineId: id.optional(), productId: id.optional() }).default({}),
      )
      .query(({ ctx, input }) => listIdealCycleTimes(ctx.tx, input)),
    /** productId null sets the machine's default. */
    set: manage
      .input(
        z.object({
          machineId: id,
          productId: id.nullable(),
          secondsPerUnit: z
            .number()
            .positive('Must be above zero')
            .max(86_400 * 7),
        }),
      )
      .mutation(({ ctx, input }) => setIdealCycleTime(ctx.tx, ctx.principal.tenantId, input)),
    clear: manage
      .input(z.object({ machineId: id, productId: id.nullable() }))
      .mutation(({ ctx, input }) => clearIdealCycleTime(ctx.tx, input)),
  }),
  shiftPatterns: router({
    list: read
      .input(z.object({ plantId: id.optional() }).default({}))
      .query(({ ctx, input }) => listShiftPatterns(ctx.tx, input)),
    create: manage
      .input(
        z.object({
          plantId: id,
          code: catalogueCodeInput,
          name: nameInput,
          timezone: timeZoneInput.optional(),
          shifts: z.array(shiftDefinitionInput).max(24),
        }),
      )
      .mutation(({ ctx, input }) => createShiftPattern(ctx.tx, ctx.principal.tenantId, input)),
    update: manage
      .input(
        z.object({
          id,
          patch: patchOf({
            code: catalogueCodeInput,
            name: nameInput,
            timezone: timeZoneInput,
            isActive: z.boolean(),
            shifts: z.array(shiftDefinitionInput).max(24),
          }),
        }),
      )
      .mutation(({ ctx, input }) =>
        updateShiftPattern(ctx.tx, ctx.principal.tenantId, input.id, input.patch),
      ),
    deactivate: manage
      .input(byId)
      .mutation(({ ctx, input }) => updateShiftPattern(ctx.tx, ctx.principal.tenantId, input.id, deactivate)),
  }),
  shifts: router({
    list: read
      .input(
        z
          .object({ plantId: id.optional(), ...windowInput, includeCancelled: z.boolean().optional() })
          .refine(refineWindow, { message: 'The window ends before it starts', path: ['to'] }),
      )
      .query(({ ctx, input }) => listShifts(ctx.tx, input)),
    /** Materialises the plant's active patterns for the local dates [from, to]. */
    generate: manage
      .input(z.object({ plantId: id, from: dateInput, to: dateInput }))
      .mutation(({ ctx, input }) => generateShifts(ctx.tx, ctx.principal.tenantId, input)),
    create: manage
      .input(z.object({ plantId: id, name: nameInput, startsAt: instantInput, endsAt: instantInput }))
      .mutation(({ ctx, input }) => createShift(ctx.tx, ctx.principal.tenantId, input)),
    update: manage
      .input(
        z.object({
          id,
          patch: patchOf({
            name: nameInput,
            startsAt: instantInput,
            endsAt: instantInput,
            isCancelled: z.boolean(),
          }),
        }),
      )
      .mutation(({ ctx, input }) => updateShift(ctx.tx, input.id, input.patch)),
    delete: manage.input(byId).mutation(({ ctx, input }) => deleteShift(ctx.tx, input.id)),
  }),
  plannedDowntimes: router({
    list: read
      .input(
        z
          .object({ plantId: id.optional(), lineId: id.optional(), machineId: id.optional(), ...windowInput })
          .refine(refineWindow, { message: 'The window ends before it starts', path: ['to'] }),
      )
      .query(({ ctx, input }) => listPlannedDowntimes(ctx.tx, input)),
    /** Scope: a plant, a line or a machine (the most specific one given wins). */
    create: manage
      .input(
        z.object({
          plantId: id.optional(),
          lineId: id.optional(),
          machineId: id.optional(),
          ...downtimeFields,
        }),
      )
      .mutation(({ ctx, input }) => createPlannedDowntime(ctx.tx, ctx.principal.tenantId, input)),
    update: manage
      .input(z.object({ id, patch: patchOf(downtimeFields) }))
      .mutation(({ ctx, input }) => updatePlannedDowntime(ctx.tx, input.id, input.patch)),
    delete: manage.input(byId).mutation(({ ctx, input }) => deletePlannedDowntime(ctx.tx, input.id)),
  }),
  routings: router({
    list: read
      .input(z.object({ productId: id.optional(), includeInactive: z.boolean().optional() }).default({}))
      .query(({ ctx, input }) => listRoutings(ctx.tx, input)),
    create: manage
      .input(
        z.object({
          productId: id,
          code: catalogueCodeInput,
          name: nameInput,
          operations: z.array(operationInput).min(1, 'A routing needs at least one operation').max(100),
        }),
      )
      .mutation(({ ctx, input }) => createRouting(ctx.tx, ctx.principal.tenantId, input)),
    update: manage
      .input(
        z.object({
          id,
          patch: patchOf({
            code: catalogueCodeInput,
            name: nameInput,
            isActive: z.boolean(),
            operations: z.array(operationInput).min(1).max(100),
          }),
        }),
      )
      .mutation(({ ctx, input }) => updateRouting(ctx.tx, ctx.principal.tenantId, input.id, input.patch)),
    deactivate: manage
      .input(byId)
      .mutation(({ ctx, input }) => updateRouting(ctx.tx, ctx.principal.tenantId, input.id, deactivate)),
  }),
  orders: router({
    /** Newest first; pass the previous page's nextCursor for the next page. */
    list: read
      .input(
        z
          .object({
            plantId: id.optional(),
            status: z.array(statusInput).max(5).optional(),
            productId: id.optional(),
            lineId: id.optional(),
            dueFrom: instantInput.optional(),
            dueTo: instantInput.optional(),
            limit: z.number().int().min(1).max(200).default(50),
            cursor: id.optional(),
          })
          .default({ limit: 50 }),
      )
      .query(({ ctx, input }) => listProductionOrders(ctx.tx, input)),
    get: read.input(byId).query(({ ctx, input }) => getProductionOrder(ctx.tx, input.id)),
    /** Numbered from the production_order sequence unless `number` is given. */
    create: manageOrders
      .input(
        z.object({
          plantId: id,
          number: orderNumberInput.optional(),
          ...orderFields,
          custom: customValuesInput,
        }),
      )
      .mutation(
        withCustomValues({ entityType: 'production_order', creating: true }, ({ tx, principal }, input) =>
          createProductionOrder(tx, principal.tenantId, input),
        ),
      ),
    update: manageOrders
      .input(
        z.object({ id, patch: patchOf({ ...orderFields, status: statusInput }), custom: customValuesInput }),
      )
      .mutation(
        withCustomValues({ entityType: 'production_order', creating: false }, ({ tx, principal }, input) =>
          updateProductionOrder(tx, input.id, input.patch, {
            tenantId: principal.tenantId,
            userId: principal.userId ?? null,
          }),
        ),
      ),
  }),
});
