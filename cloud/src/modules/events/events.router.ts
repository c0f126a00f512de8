import { z } from 'zod';
import { permittedProcedure, router } from '../../trpc/procedures.js';
import { liveEvents } from './live.js';

const ids = z.array(z.uuid('Not a valid id')).min(1).max(1000).optional();

export const eventsRouter = router({
  /**
   * Stored plant events as they arrive, filtered by plant, line and machine (within the caller's
   * plants). Over WebSocket the tRPC client resends the last event id when it reconnects, and the
   * stream resumes after it.
   */
  live: permittedProcedure('events.read')
    .input(
      z.object({
        plantIds: ids,
        lineIds: ids,
        machineIds: ids,
        lastEventId: z.uuid().nullish(),
      }),
    )
    .subscription(({ ctx, input, signal }) => liveEvents(ctx.deps, ctx.principal, input, signal)),
});
