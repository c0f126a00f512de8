import { z } from 'zod';
import { router, signedInProcedure } from '../../trpc/procedures.js';
import { searchTypeKeys } from './registry.js';
import { searchRecords } from './search.js';

/*
 * One search box (docs/search.md). Any signed-in caller may search: each type of record is shown only
 * to callers holding its permission (registry.ts), and rows only within their tenant and plants.
 */
const searchInput = z.object({
  q: z.string().min(1, 'Type something to search for').max(100, 'At most 100 characters'),
  limit: z.number().int().min(1).max(50).default(20),
  types: z.array(z.enum(searchTypeKeys)).min(1).max(searchTypeKeys.length).optional(),
});

export const searchRouter = router({
  /** The best `limit` records for `q`, grouped by type. */
  query: signedInProcedure
    .input(searchInput)
    .query(({ ctx, input }) => searchRecords(ctx.tx, ctx.principal, input)),
});
