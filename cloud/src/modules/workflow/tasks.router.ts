import { z } from 'zod';
import { idInput } from '../../platform/index.js';
import { router, signedInProcedure, signedInSubscription } from '../../trpc/procedures.js';
import { myTasks } from './inbox.js';
import { liveTaskCounts } from './inbox-live.js';

/*
 * "My tasks" (docs/workflows.md, "My tasks"): the caller's own business, so signed in is enough;
 * each task is only a pointer to its record, where the actions are checked and taken.
 */
export const tasksRouter = router({
  /** The caller's open tasks, newest first, a page at a time (`nextCursor` continues), and the counts. */
  mine: signedInProcedure
    .input(
      z
        .object({
          cursor: idInput.optional(),
          limit: z.number().int().min(1).max(100).default(20),
        })
        .default({ limit: 20 }),
    )
    .query(({ ctx, input }) => myTasks(ctx.tx, ctx.principal, input, ctx.deps.workflowEntities)),

  /** The caller's open and overdue counts at once, then again whenever they may have changed. */
  live: signedInSubscription.subscription(({ ctx, signal }) =>
    liveTaskCounts(ctx.deps, ctx.principal, signal),
  ),
});
