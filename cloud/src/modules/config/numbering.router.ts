import { MAX_NUMBER_LENGTH } from '@plantline/schema/configuration';
import { z } from 'zod';
import { idInput as id, nameInput as name, patchOf } from '../../platform/index.js';
import { permittedProcedure, router } from '../../trpc/procedures.js';
import { changeHistory } from './history.js';
import { previewNumber } from './numbering.js';
import { createSequence, listSequences, retireSequence, updateSequence } from './numbering-schemes.js';

/*
 * Numbering schemes (docs/configuration.md, "Numbering"): forms read them to preview numbers
 * (config.read); defining and changing them is configuration (config.manage). Numbers themselves
 * are taken by the domains that number documents, inside their own transactions, never through this
 * router.
 */
const read = permittedProcedure('config.read');
const manage = permittedProcedure('config.manage');

/** What the application asks for (production_order, ncr): a stable machine name. */
const sequenceCode = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_]{0,63}$/, 'Use 1–64 lower-case letters, digits and _, starting with a letter');
// The parser gives the pattern's own errors; this only bounds what reaches it.
const pattern = z.string().trim().min(1, 'Enter a pattern').max(MAX_NUMBER_LENGTH);
const version = z.number().int().min(1).optional();

export const numberingRouter = router({
  list: read
    .input(z.object({ includeInactive: z.boolean().optional() }).default({}))
    .query(({ ctx, input }) => listSequences(ctx.tx, input)),
  /** The next number of a sequence, or of a pattern being edited, without taking it. */
  preview: read
    .input(
      z.object({
        code: sequenceCode.optional(),
        pattern: pattern.optional(),
        plantId: id.nullish(),
        at: z.coerce.date({ error: 'Not a valid date and time' }).optional(),
      }),
    )
    .query(({ ctx, input }) => previewNumber(ctx.tx, input)),
  create: manage
    .input(z.object({ code: sequenceCode, name, pattern }))
    .mutation(({ ctx, input }) => createSequence(ctx.tx, ctx.principal, input)),
  update: manage
    .input(
      z.object({
        id,
        version,
        patch: patchOf({ name, pattern, isActive: z.boolean() }),
      }),
    )
    .mutation(({ ctx, input }) => updateSequence(ctx.tx, ctx.principal, input)),
  retire: manage
    .input(z.object({ id, version }))
    .mutation(({ ctx, input }) => retireSequence(ctx.tx, ctx.principal, input)),
  /** Versions of a scheme, newest first, with who changed it and when. */
  history: read.input(z.object({ id })).query(({ ctx, input }) => changeHistory(ctx.tx, input.id)),
});
