import { permittedProcedure, router } from '../../trpc/procedures.js';
import { readHistoryProgress } from './history-progress.js';

export const demoRouter = router({
  /**
   * The demo's history backfill as the UI shows it (web/src/lib/demo/HistoryProgress.svelte):
   * whoever may read KPIs may see how much of the demo's past they already hold.
   */
  history: permittedProcedure('kpi.read').query(({ ctx }) =>
    readHistoryProgress(ctx.deps.demoHistoryFile, ctx.principal.tenantId),
  ),
});
