import { eventKinds } from '@plantline/schema';
import { z } from 'zod';
import { idInput } from '../../platform/index.js';
import { permittedProcedure, permittedSubscription, router } from '../../trpc/procedures.js';
import { cursorPattern } from './cursor.js';
import { liveEvents } from './live.js';
import { recentEvents } from './recent.js';

const ids = z.array(idInput).min(1).max(1000).optional();
const kinds = z.array(z.enum(eventKinds)).min(1).max(eventKinds.length).optional();

export const eventsRouter = router({
  /** Stored events, newest first, a page at a time (`next` continues), within the caller's plants. */
  recent: permittedProcedure('events.read')
    .input(
      z.object({
        plantIds: ids,
        lineIds: ids,
        machineIds: ids,
        kinds,
        before: z.string().max(200).optional(),
        limit: z.number().int().min(1).max(500).default(100),
      }),
    )
    .query(({ ctx, input }) => recentEvents(ctx.tx, ctx.principal.tenantId, input)),
  /**
   * Stored plant events as they commit, in batches, filtered by plant, line and machine (within the
   * caller's plants). Over WebSocket the tRPC client resends the last tracked id when it reconnects,
   * and the stream resumes after it in commit order.
   */
  live: permittedSubscription('events.read')
    .input(
      z.object({
        plantIds: ids,
        lineIds: ids,
        machineIds: ids,
        kinds,
        /** The tracked id of the last batch received (a commit-log position, `seq:position`). */
        lastEventId: z.string().regex(cursorPattern, 'Not a live stream position').nullish(),
      }),
    )
    .subscription(({ ctx, input, signal }) => liveEvents(ctx.deps, ctx.principal, input, signal)),
});
