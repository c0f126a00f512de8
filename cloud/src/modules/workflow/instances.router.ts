import { z } from 'zod';
import { idInput } from '../../platform/index.js';
import { router, signedInProcedure } from '../../trpc/procedures.js';
import { act } from './act.js';
import { recordWorkflow } from './record-view.js';

const entityTypeInput = z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'Not a record type');

/*
 * A record's workflow (docs/workflows.md, "Running a workflow"). Signed in is the declared access:
 * who may read a record's workflow depends on the record type (its read permission), and who may act
 * on the transition, so both are checked in code.
 */
export const instancesRouter = router({
  /** The record's state, the actions the caller may take now (or why not), the votes and the timeline. */
  get: signedInProcedure
    .input(z.object({ entityType: entityTypeInput, entityId: idInput }))
    .query(({ ctx, input }) => recordWorkflow(ctx, input)),
  /**
   * Takes a transition, or votes on an approval transition, against the instance version the caller
   * saw; a retry with the same idempotency key gets the first answer.
   */
  act: signedInProcedure
    .input(
      z.object({
        instanceId: idInput,
        transitionKey: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'Not a transition'),
        expectedVersion: z.number().int().min(1),
        idempotencyKey: z.string().trim().min(8).max(100),
        decision: z.enum(['approve', 'reject']).optional(),
        comment: z.string().max(2000).optional(),
        signature: z
          .object({ email: z.string().max(320).optional(), password: z.string().min(1).max(1000) })
          .optional(),
      }),
    )
    .mutation(({ ctx, input }) => act(ctx, input)),
});
