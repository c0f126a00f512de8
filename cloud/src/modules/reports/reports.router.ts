import { z } from 'zod';
import { catalogueCodeInput, idInput as id, nameInput } from '../../platform/index.js';
import {
  permittedProcedure,
  router,
  signedInProcedure,
  signedInSubscription,
} from '../../trpc/procedures.js';
import {
  copyReport,
  getReport,
  listReports,
  reportVersions,
  setReportActive,
  updateReport,
} from './copies.js';
import { runFormats } from './execution.js';
import { runLive } from './live.js';
import { runParameters } from './parameters.js';
import { previewReport } from './preview.js';
import { cancelRun, getRun, listRuns, requestRun } from './runs.js';
import { schedulesRouter } from './schedules.router.js';

/*
 * `reports.*` (docs/reports.md). Thin: validate, call the function, return. Reading and running
 * need only a signed-in caller: each report checks the permission of the data it shows, so every
 * role that may read the data may run it. Copies are adjusted with reports.manage.
 */
const manage = permittedProcedure('reports.manage');

const reportRef = {
  reportKey: z.string().trim().min(1).max(64).optional(),
  reportId: id.optional(),
};

const idOrKey = z.string().trim().min(1).max(64);

const versioned = z.object({ id, version: z.number().int().min(1) });

export const reportsRouter = router({
  /** The catalogue and the tenant's reports, each with its data source's columns and options. */
  list: signedInProcedure
    .input(z.object({ includeInactive: z.boolean().optional() }).default({}))
    .query(({ ctx, input }) => listReports(ctx.tx, ctx.principal, input)),
  /** A catalogue report by key or a tenant's by id. */
  get: signedInProcedure
    .input(z.object({ id: idOrKey }))
    .query(({ ctx, input }) => getReport(ctx.tx, ctx.principal, input.id)),
  versions: signedInProcedure
    .input(z.object({ id }))
    .query(({ ctx, input }) => reportVersions(ctx.tx, input.id)),
  /** A tenant copy of a catalogue report (by key) or of another copy (by id). */
  copy: manage
    .input(
      z.object({
        from: idOrKey,
        code: catalogueCodeInput,
        name: nameInput,
        description: z.string().trim().max(1000).optional(),
      }),
    )
    .mutation(({ ctx, input }) => copyReport(ctx.tx, ctx.principal, input)),
  /** A new version of a copy: its columns, grouping, filters, chart and default parameters. */
  update: manage
    .input(
      versioned.extend({
        name: nameInput.optional(),
        description: z.string().trim().max(1000).optional(),
        definition: z.unknown(),
        message: z.string().trim().min(1, 'Say what changed').max(500),
      }),
    )
    .mutation(({ ctx, input }) => updateReport(ctx.tx, ctx.principal, input)),
  deactivate: manage
    .input(versioned)
    .mutation(({ ctx, input }) => setReportActive(ctx.tx, ctx.principal, { ...input, active: false })),
  reactivate: manage
    .input(versioned)
    .mutation(({ ctx, input }) => setReportActive(ctx.tx, ctx.principal, { ...input, active: true })),
  /** The first rows on screen, read as a run reads them. */
  preview: signedInProcedure
    .input(z.object({ ...reportRef, parameters: runParameters.default({}) }))
    .query(({ ctx, input }) => previewReport(ctx.tx, ctx.principal, input, input.parameters)),
  /** Queues a run; the job writes the output, reports.runLive shows its progress. */
  run: signedInProcedure
    .input(z.object({ ...reportRef, parameters: runParameters.default({}), format: z.enum(runFormats) }))
    .mutation(async ({ ctx, input }) => {
      const created = await requestRun(ctx.tx, ctx.principal, input);
      const { tenantId } = ctx.principal;
      ctx.afterCommit(() => {
        ctx.deps.reports.enqueue(tenantId, created.id).catch((error: unknown) => {
          ctx.deps.log.error({ err: error, executionId: created.id }, 'queueing a report run failed');
        });
      });
      return created;
    }),
  /** The caller's runs, newest first; `all`: everyone's, for those who reach every plant. */
  runs: signedInProcedure
    .input(
      z
        .object({
          all: z.boolean().optional(),
          before: id.optional(),
          limit: z.number().int().min(1).max(200).optional(),
        })
        .default({}),
    )
    .query(({ ctx, input }) => listRuns(ctx.tx, ctx.principal, input)),
  runGet: signedInProcedure
    .input(z.object({ id }))
    .query(({ ctx, input }) => getRun(ctx.tx, ctx.principal, input.id)),
  /** Cancels an unfinished run: its requester's right, or reports.manage; the runner stops at its next batch. */
  runCancel: signedInProcedure
    .input(z.object({ id }))
    .mutation(({ ctx, input }) => cancelRun(ctx.tx, ctx.principal, input.id)),
  /** A run's status and progress, live, until it has finished. */
  runLive: signedInSubscription
    .input(z.object({ id }))
    .subscription(({ ctx, input, signal }) => runLive(ctx.deps.db, ctx.principal, input.id, signal)),
  schedules: schedulesRouter,
});
