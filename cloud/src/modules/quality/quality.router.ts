import { tables } from '@plantline/schema';
import { z } from 'zod';
import { catalogueCodeInput, idInput as id, instantInput, nameInput, patchOf } from '../../platform/index.js';
import { permittedProcedure, router } from '../../trpc/procedures.js';
import {
  createDefectCode,
  createInspectionPlan,
  listDefectCodes,
  listInspectionPlans,
  updateDefectCode,
  updateInspectionPlan,
} from './catalogue.js';
import { getInspection, listInspections, recordInspection, recordReinspection } from './inspections.js';

/*
 * Quality (docs/security.md, "KPI master data and quality"): quality.read sees, quality.inspect
 * records inspections, quality.manage defines defect codes and inspection plans.
 */
const read = permittedProcedure('quality.read');
const inspect = permittedProcedure('quality.inspect');
const manage = permittedProcedure('quality.manage');

const includeInactive = z.object({ includeInactive: z.boolean().optional() }).default({});
const byId = z.object({ id });
const deactivate = { isActive: false } as const;

const defectFields = {
  code: catalogueCodeInput,
  name: nameInput,
  category: z.string().trim().min(1).max(64),
  severity: z.enum(tables.defectSeverities, { error: `Choose one of ${tables.defectSeverities.join(', ')}` }),
};

const finite = z.number().finite();
const characteristicInput = z.object({
  code: catalogueCodeInput,
  name: nameInput,
  kind: z.enum(['attribute', 'variable']),
  unit: z.string().trim().min(1).max(16).nullish(),
  nominal: finite.nullish(),
  lowerLimit: finite.nullish(),
  upperLimit: finite.nullish(),
});

const unitLabel = z.string().trim().min(1, 'Enter a serial number or lot').max(64);
const resultInput = z.object({
  characteristicId: id.nullish(),
  defectCodeId: id.nullish(),
  measuredValue: finite.nullish(),
  passed: z.boolean().optional(),
  note: z.string().trim().max(500).nullish(),
});
const inspectionFields = {
  result: z.enum(tables.inspectionVerdicts, { error: 'Choose pass or fail' }).optional(),
  inspectedAt: instantInput.optional(),
  note: z.string().trim().max(1000).nullish(),
  results: z.array(resultInput).max(200).default([]),
};

export const qualityRouter = router({
  defectCodes: router({
    list: read.input(includeInactive).query(({ ctx, input }) => listDefectCodes(ctx.tx, input)),
    create: manage
      .input(
        z.object({
          ...defectFields,
          category: defectFields.category.default('other'),
          severity: defectFields.severity.default('major'),
        }),
      )
      .mutation(({ ctx, input }) => createDefectCode(ctx.tx, ctx.principal.tenantId, input)),
    update: manage
      .input(z.object({ id, patch: patchOf({ ...defectFields, isActive: z.boolean() }) }))
      .mutation(({ ctx, input }) => updateDefectCode(ctx.tx, input.id, input.patch)),
    deactivate: manage
      .input(byId)
      .mutation(({ ctx, input }) => updateDefectCode(ctx.tx, input.id, deactivate)),
  }),
  inspectionPlans: router({
    list: read
      .input(
        z
          .object({
            productId: id.optional(),
            operationId: id.optional(),
            includeInactive: z.boolean().optional(),
          })
          .default({}),
      )
      .query(({ ctx, input }) => listInspectionPlans(ctx.tx, input)),
    create: manage
      .input(
        z.object({
          code: catalogueCodeInput,
          name: nameInput,
          productId: id,
          operationId: id,
          characteristics: z.array(characteristicInput).max(200).default([]),
        }),
      )
      .mutation(({ ctx, input }) => createInspectionPlan(ctx.tx, ctx.principal.tenantId, input)),
    update: manage
      .input(
        z.object({
          id,
          patch: patchOf({
            code: catalogueCodeInput,
            name: nameInput,
            isActive: z.boolean(),
            characteristics: z.array(characteristicInput).max(200),
          }),
        }),
      )
      .mutation(({ ctx, input }) =>
        updateInspectionPlan(ctx.tx, ctx.principal.tenantId, input.id, input.patch),
      ),
    deactivate: manage
      .input(byId)
      .mutation(({ ctx, input }) =>
        updateInspectionPlan(ctx.tx, ctx.principal.tenantId, input.id, deactivate),
      ),
  }),
  inspections: router({
    list: read
      .input(
        z
          .object({
            plantId: id.optional(),
            productId: id.optional(),
            operationId: id.optional(),
            unit: unitLabel.optional(),
            from: instantInput.optional(),
            to: instantInput.optional(),
            limit: z.number().int().min(1).max(1000).default(100),
          })
          .default({ limit: 100 }),
      )
      .query(({ ctx, input }) => listInspections(ctx.tx, input)),
    get: read.input(byId).query(({ ctx, input }) => getInspection(ctx.tx, input.id)),
    /** The first inspection of a serial number or lot at an operation. */
    record: inspect
      .input(
        z.object({
          plantId: id,
          productId: id,
          operationId: id,
          planId: id.nullish(),
          serial: unitLabel.optional(),
          lot: unitLabel.optional(),
          quantity: z.number().int().min(1).max(1_000_000).optional(),
          ...inspectionFields,
        }),
      )
      .mutation(({ ctx, input }) =>
        recordInspection(ctx.tx, ctx.principal.tenantId, ctx.principal.userId, input),
      ),
    /** The next attempt after a failed inspection (after rework unless said otherwise). */
    reinspect: inspect
      .input(z.object({ previousInspectionId: id, afterRework: z.boolean().optional(), ...inspectionFields }))
      .mutation(({ ctx, input }) =>
        recordReinspection(ctx.tx, ctx.principal.tenantId, ctx.principal.userId, input),
      ),
  }),
});
