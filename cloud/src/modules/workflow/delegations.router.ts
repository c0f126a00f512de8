import { z } from 'zod';
import { idInput, instantInput } from '../../platform/index.js';
import { router, signedInProcedure } from '../../trpc/procedures.js';
import { createDelegation, delegationPeople, listDelegations, revokeDelegation } from './delegations.js';

/** Dates a person plans with; outside these years an input is a typo, not a plan. */
const periodInstant = instantInput.refine(
  (at) => at.getUTCFullYear() >= 2000 && at.getUTCFullYear() <= 2999,
  'Give a date between the years 2000 and 2999',
);

/*
 * Dated delegation (docs/workflows.md, "Delegation"). Signed in is enough to delegate one's own
 * authority; the functions check the rest (users.manage for someone else's, the parties to revoke).
 */
export const delegationsRouter = router({
  /** The caller's delegations given and received; with users.manage, everyone's. */
  list: signedInProcedure.query(({ ctx }) => listDelegations(ctx.tx, ctx.principal, new Date())),

  /** Active users by name, for choosing a delegate. */
  people: signedInProcedure.query(({ ctx }) => delegationPeople(ctx.tx)),

  create: signedInProcedure
    .input(
      z.object({
        delegatorId: idInput.optional(),
        delegateId: idInput,
        startsAt: periodInstant,
        endsAt: periodInstant,
        reason: z.string().trim().max(500).default(''),
      }),
    )
    .mutation(({ ctx, input }) => createDelegation(ctx, input, new Date())),

  revoke: signedInProcedure
    .input(z.object({ id: idInput }))
    .mutation(({ ctx, input }) => revokeDelegation(ctx, input.id, new Date())),
});
