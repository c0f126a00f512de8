import { tables } from '@plantline/schema';
import { workflowKeySchema } from '@plantline/schema/workflow';
import { z } from 'zod';
import { idInput as id, patchOf } from '../../platform/index.js';
import { permittedProcedure, router } from '../../trpc/procedures.js';
import { customValuesInput } from '../config/index.js';
import {
  linkInspection,
  prefillFromInspection,
  prefillFromMachine,
  raiseFromInspection,
  unlinkInspection,
} from './ncr-inspections.js';
import { listNcrs } from './ncr-queries.js';
import { createNcr, getNcr, updateNcr } from './ncrs.js';

/*
 * Non-conformance reports (docs/ncrs.md): quality.read sees them, ncrs.raise raises them and edits
 * one's own drafts, quality.manage edits any (ncr-rules.ts editRefusal); the workflow's field locks
 * apply on top.
 */
const read = permittedProcedure('quality.read');
const raise = permittedProcedure('ncrs.raise');

const longText = z.string().trim().max(10_000, 'At most 10000 characters');
const label = z.string().trim().max(64, 'At most 64 characters');
const amount = z.number().finite().min(0, 'Cannot be negative').max(1e12);

const ncrFields = {
  title: z.string().trim().min(1, 'Enter a title').max(200, 'At most 200 characters'),
  lineId: id.nullish(),
  machineId: id.nullish(),
  productId: id.nullish(),
  productionOrderId: id.nullish(),
  lot: label.nullish(),
  serial: label.nullish(),
  defectCodeId: id.nullish(),
  quantityAffected: amount.nullish(),
  description: longText.optional(),
  containment: longText.optional(),
  ownerId: id.nullish(),
};

const editableFields = {
  ...ncrFields,
  rootCause: longText,
  disposition: z
    .enum(tables.ncrDispositions, { error: `Choose one of ${tables.ncrDispositions.join(', ')}` })
    .nullable(),
  cost: amount.nullable(),
};

const byInspection = z.object({ ncrId: id, inspectionId: id });

export const ncrsRouter = router({
  /** Newest first; pass the previous page's nextCursor for the next page. */
  list: read
    .input(
      z
        .object({
          plantId: id.optional(),
          status: z.array(workflowKeySchema).max(20).optional(),
          machineId: id.optional(),
          productId: id.optional(),
          text: z.string().trim().max(100).optional(),
          limit: z.number().int().min(1).max(200).default(50),
          cursor: id.optional(),
        })
        .default({ limit: 50 }),
    )
    .query(({ ctx, input }) => listNcrs(ctx.tx, input)),
  /** The NCR with its linked inspections, and whether the caller may edit it now. */
  get: read.input(z.object({ id })).query(({ ctx, input }) => getNcr(ctx, input.id)),
  /** Numbered from the plant's `ncr` sequence; raised in the caller's name. */
  create: raise
    .input(
      z.object({
        plantId: id,
        ...ncrFields,
        inspectionIds: z.array(id).max(20).optional(),
        custom: customValuesInput,
      }),
    )
    .mutation(({ ctx, input }) => createNcr(ctx, input)),
  /** An edit against the `version` the editor saw; a stale one is a conflict naming who changed it. */
  update: raise
    .input(
      z
        .object({
          id,
          expectedVersion: z.number().int().min(1),
          patch: patchOf(editableFields).optional(),
          custom: customValuesInput,
        })
        .refine((input) => input.patch !== undefined || input.custom !== undefined, 'Nothing to change'),
    )
    .mutation(({ ctx, input }) => updateNcr(ctx, input)),
  /** One click from a failed inspection: an NCR prefilled from it and linked to it. */
  raiseFromInspection: raise
    .input(z.object({ inspectionId: id, custom: customValuesInput }))
    .mutation(({ ctx, input }) => raiseFromInspection(ctx, input)),
  /** The new-NCR form's values for a failed inspection, or for a machine. */
  prefillFromInspection: raise
    .input(z.object({ inspectionId: id }))
    .query(({ ctx, input }) => prefillFromInspection(ctx.tx, input.inspectionId)),
  prefillFromMachine: raise
    .input(z.object({ machineId: id }))
    .query(({ ctx, input }) => prefillFromMachine(ctx.tx, input.machineId)),
  linkInspection: raise.input(byInspection).mutation(({ ctx, input }) => linkInspection(ctx, input)),
  unlinkInspection: raise.input(byInspection).mutation(({ ctx, input }) => unlinkInspection(ctx, input)),
});
