import { tables } from '@plantline/schema';
import { z } from 'zod';
import {
  catalogueCodeInput,
  dateInput,
  idInput as id,
  instantInput,
  nameInput,
  patchOf,
} from '../../platform/index.js';
import { permittedProcedure, permittedReadingProcedure, router } from '../../trpc/procedures.js';
import { customValuesInput, withCustomValues } from '../config/index.js';
import {
  createConversion,
  createMaterial,
  createUnit,
  deleteConversion,
  getMaterial,
  listConversions,
  listMaterials,
  listUnits,
  updateMaterial,
  updateUnit,
} from './catalogue.js';
import { createLocation, listLocations, updateLocation } from './locations.js';
import { setLotStatusAndWarn } from './lot-blocks.js';
import { createLot, createSerial, getLot, listLots, listSerials, setSerialStatus } from './lots.js';
import { traceLots } from './trace.js';

/*
 * Materials and where they are kept (docs/materials.md): materials.read sees them, materials.manage
 * maintains them — units, conversions, materials, locations, lots (status changes with a reason) and
 * serial numbers. Stock itself moves through the inventory router.
 */
const read = permittedProcedure('materials.read');
// The trace reads its lots and what was packed of them side by side (trace.ts).
const readTrace = permittedReadingProcedure('materials.read');
const manage = permittedProcedure('materials.manage');

const choice = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `Choose one of ${values.join(', ')}` });
const reason = z.string().trim().min(1, 'Say why').max(1000, 'At most 1000 characters');
const optionalText = z.string().trim().max(120, 'At most 120 characters').nullish();

const materialFields = {
  code: catalogueCodeInput,
  name: nameInput,
  kind: choice(tables.materialKinds),
  lotTracked: z.boolean().optional(),
  serialTracked: z.boolean().optional(),
  shelfLifeDays: z.number().int().min(1, 'At least a day').max(36_500).nullish(),
  gtin: z
    .string()
    .regex(/^[0-9]{14}$/, 'A GTIN here is 14 digits')
    .nullish(),
};
const locationFields = {
  parentId: id.nullish(),
  code: catalogueCodeInput,
  name: nameInput,
  kind: choice(tables.locationKinds),
  allowNegative: z.boolean().optional(),
  lineId: id.nullish(),
};

export const materialsRouter = router({
  units: router({
    list: read.query(({ ctx }) => listUnits(ctx.tx)),
    create: manage
      .input(
        z.object({ code: catalogueCodeInput, name: nameInput, dimension: choice(tables.unitDimensions) }),
      )
      .mutation(({ ctx, input }) => createUnit(ctx.tx, ctx.principal.tenantId, input)),
    update: manage
      .input(z.object({ id, patch: z.object({ name: nameInput }) }))
      .mutation(({ ctx, input }) => updateUnit(ctx.tx, input.id, input.patch)),
  }),
  conversions: router({
    list: read
      .input(z.object({ materialId: id.optional() }).default({}))
      .query(({ ctx, input }) => listConversions(ctx.tx, input)),
    /** One `fromUnit` is `factor` `toUnit`; with a material, for that material only. */
    create: manage
      .input(
        z.object({
          fromUnit: catalogueCodeInput,
          toUnit: catalogueCodeInput,
          factor: z.number().positive('Must be above zero').max(1e12),
          materialId: id.nullish(),
        }),
      )
      .mutation(({ ctx, input }) => createConversion(ctx.tx, ctx.principal.tenantId, input)),
    delete: manage.input(z.object({ id })).mutation(({ ctx, input }) => deleteConversion(ctx.tx, input.id)),
  }),
  list: read
    .input(
      z
        .object({ kind: choice(tables.materialKinds).optional(), includeInactive: z.boolean().optional() })
        .default({}),
    )
    .query(({ ctx, input }) => listMaterials(ctx.tx, input)),
  get: read.input(z.object({ id })).query(({ ctx, input }) => getMaterial(ctx.tx, input.id)),
  create: manage
    .input(z.object({ ...materialFields, baseUnit: catalogueCodeInput, custom: customValuesInput }))
    .mutation(
      withCustomValues({ entityType: 'material', creating: true }, ({ tx, principal }, input) =>
        createMaterial(tx, principal.tenantId, input),
      ),
    ),
  update: manage
    .input(
      z.object({
        id,
        patch: patchOf({ ...materialFields, isActive: z.boolean() }),
        custom: customValuesInput,
      }),
    )
    .mutation(
      withCustomValues({ entityType: 'material', creating: false }, ({ tx }, input) =>
        updateMaterial(tx, input.id, input.patch),
      ),
    ),
  locations: router({
    list: read
      .input(z.object({ plantId: id.optional(), includeInactive: z.boolean().optional() }).default({}))
      .query(({ ctx, input }) => listLocations(ctx.tx, input)),
    create: manage
      .input(z.object({ plantId: id, ...locationFields }))
      .mutation(({ ctx, input }) => createLocation(ctx.tx, ctx.principal, input)),
    update: manage
      .input(z.object({ id, patch: patchOf({ ...locationFields, isActive: z.boolean() }) }))
      .mutation(({ ctx, input }) => updateLocation(ctx.tx, input.id, input.patch)),
  }),
  lots: router({
    list: read
      .input(
        z
          .object({
            materialId: id.optional(),
            status: choice(tables.lotStatuses).optional(),
            limit: z.number().int().min(1).max(200).default(50),
            cursor: id.optional(),
          })
          .default({ limit: 50 }),
      )
      .query(({ ctx, input }) => listLots(ctx.tx, input)),
    get: read.input(z.object({ id })).query(({ ctx, input }) => getLot(ctx.tx, input.id)),
    create: manage
      .input(
        z.object({
          plantId: id,
          materialId: id,
          lotCode: catalogueCodeInput,
          supplierLot: optionalText,
          supplier: optionalText,
          expiresOn: dateInput.nullish(),
          producedAt: instantInput.nullish(),
          status: z.enum(['released', 'quarantine']).optional(),
          custom: customValuesInput,
        }),
      )
      .mutation(
        withCustomValues({ entityType: 'material_lot', creating: true }, ({ tx, principal }, input) =>
          createLot(tx, principal, input),
        ),
      ),
    /** Released, quarantined, blocked or consumed, with the reason the audit trail keeps. */
    setStatus: manage
      .input(z.object({ id, status: choice(tables.lotStatuses), reason }))
      .mutation(({ ctx, input }) => setLotStatusAndWarn(ctx, input)),
    /** Forward (where it went) or backward (what went into it) from a lot, a serial or a supplier's lot. */
    trace: readTrace
      .input(
        z.object({
          start: z.union([
            z.object({ lotId: id }),
            z.object({ serialId: id }),
            z.object({ supplierLot: z.string().trim().min(1, 'Name the supplier lot').max(120) }),
          ]),
          direction: z.enum(['forward', 'backward']),
        }),
      )
      .query(({ ctx, input }) =>
        traceLots(ctx.tx, { ...input, withShipments: ctx.principal.permissions.has('logistics.read') }),
      ),
  }),
  serials: router({
    list: read
      .input(z.object({ materialId: id.optional(), lotId: id.optional() }).default({}))
      .query(({ ctx, input }) => listSerials(ctx.tx, input)),
    create: manage
      .input(z.object({ plantId: id, materialId: id, serial: catalogueCodeInput, lotId: id.nullish() }))
      .mutation(({ ctx, input }) => createSerial(ctx.tx, ctx.principal, input)),
    setStatus: manage
      .input(z.object({ id, status: choice(tables.serialStatuses), reason }))
      .mutation(({ ctx, input }) => setSerialStatus(ctx.tx, input)),
  }),
});
