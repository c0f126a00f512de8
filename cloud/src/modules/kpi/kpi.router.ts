import { z } from 'zod';
import { idInput as id } from '../../platform/index.js';
import { permittedLaggingProcedure, permittedSubscription, router } from '../../trpc/procedures.js';
import { countsPerHour } from './counts-per-hour.js';
import { boardPlants, DAY_MS, MAX_WINDOW_DAYS } from './kpi-scope.js';
import { liveKpi } from './live-kpi.js';
import { downtimePareto, oeeReport, oeeSeries } from './oee-query.js';
import { otdKpi } from './otd-query.js';
import { fpyReport, rtyReport } from './quality-yield.js';
import { stateTimeline } from './state-timeline.js';

/*
 * The KPI procedures (docs/kpis.md, "API"). Thin: validate, call the query function, return.
 * Instants go out as epoch milliseconds (the API has no transformer, and charts want numbers).
 */
// KPI history may be a moment old: with a read server these queries read there (docs/kpis.md, "API").
const read = permittedLaggingProcedure('kpi.read');

const instant = z.coerce.date({ error: 'Not a valid date and time' });

const scope = z.object({ kind: z.enum(['machine', 'line', 'plant']), id });

const range = z
  .object({ from: instant, to: instant })
  .refine((r) => r.to > r.from, { message: 'The window ends before it starts', path: ['to'] })
  .refine((r) => r.to.getTime() - r.from.getTime() <= MAX_WINDOW_DAYS * DAY_MS, {
    message: `A window spans at most ${MAX_WINDOW_DAYS} days`,
    path: ['to'],
  });

/** An explicit range, the plant's current shift (live), a local day, an ISO week, or one shift. */
const window = z.union([
  z.literal('currentShift'),
  range,
  z.object({ day: z.iso.date('Use a date like 2026-11-25') }),
  z.object({ week: z.string().regex(/^\d{4}-W\d{2}$/, 'Use an ISO week like 2026-W48') }),
  z.object({ shiftId: id }),
]);

const liveIds = z.array(id).min(1).max(1000).optional();

/** A calendar date; PostgreSQL has no year 0, and nothing was shipped before 1970. */
const calendarDate = z.iso
  .date('Use a date like 2026-11-25')
  .refine((d) => d >= '1970-01-01', 'Use a date from 1970 on');

/** Two years of days: the longest period an OTD report spans. */
const OTD_MAX_DAYS = 731;

const otdInput = z
  .object({
    plantId: id.optional(),
    customerId: id.optional(),
    from: calendarDate,
    to: calendarDate,
    bucket: z.enum(['day', 'week', 'month']),
  })
  .refine((p) => p.to >= p.from, { message: 'The period ends before it starts', path: ['to'] })
  .refine((p) => Date.parse(p.to) - Date.parse(p.from) < OTD_MAX_DAYS * DAY_MS, {
    message: `A period spans at most ${OTD_MAX_DAYS} days`,
    path: ['to'],
  });

const lossBucket = z.enum(['performance_loss', 'availability_loss', 'planned_stop']);

export const kpiRouter = router({
  /** The caller's plants with lines, those that have reported first: where the board opens. */
  boardPlants: read.query(({ ctx }) => boardPlants(ctx.tx)),
  /** OEE with A, P, Q and their components, for the scope's total, each line and each machine. */
  oee: read.input(z.object({ scope, window })).query(({ ctx, input }) => oeeReport(ctx.tx, input)),
  /** A trend: the scope's OEE per shift, local day or ISO week of a range. */
  oeeSeries: read
    .input(z.object({ scope, from: instant, to: instant, by: z.enum(['shift', 'day', 'week']) }))
    .query(({ ctx, input }) => oeeSeries(ctx.tx, input)),
  /** Loss time by reason and by bucket, longest first, with cumulative shares. */
  downtimePareto: read
    .input(z.object({ scope, window, buckets: z.array(lossBucket).min(1).max(3).optional() }))
    .query(({ ctx, input }) => downtimePareto(ctx.tx, input)),
  /** One machine's state segments (and gaps) over a window of at most 31 days. */
  stateTimeline: read
    .input(z.object({ machineId: id, window }))
    .query(({ ctx, input }) => stateTimeline(ctx.tx, input)),
  /** Good and scrap per local hour, per machine and in total, over at most 31 days. */
  countsPerHour: read
    .input(z.object({ scope, window }))
    .query(({ ctx, input }) => countsPerHour(ctx.tx, input)),
  /**
   * The plant's current-shift OEE, A, P, Q, counts and machine states, live: a snapshot,
   * then updates of what changed, each machine and line at most once per second, optionally only for
   * some lines or machines. A new snapshot follows a shift change. Messages: live-types.ts.
   */
  live: permittedSubscription('kpi.read')
    .input(z.object({ plantId: id, lineIds: liveIds, machineIds: liveIds }))
    .subscription(({ ctx, input, signal }) => liveKpi(ctx.deps, ctx.principal, input, signal)),
  /** First pass yield over a period, in total and by operation or product (docs/kpis.md). */
  fpy: read
    .input(
      z
        .object({
          from: z.coerce.date(),
          to: z.coerce.date(),
          plantId: id.optional(),
          productId: id.optional(),
          by: z.enum(['operation', 'product']).default('operation'),
        })
        .refine((w) => w.to > w.from, { message: 'The period must end after it starts', path: ['to'] }),
    )
    .query(({ ctx, input }) => fpyReport(ctx.tx, input)),
  /**
   * On-time delivery and on time in full of the lines due in a period (both dates included), to request
   * and to promise side by side: totals, a series per bucket, per customer, and the lines that missed.
   */
  otd: read.input(otdInput).query(({ ctx, input }) => otdKpi(ctx.tx, input, Date.now())),
  /** Rolled throughput yield: the product of FPY over a routing's operations, over a period. */
  rty: read
    .input(
      z
        .object({ routingId: id, from: z.coerce.date(), to: z.coerce.date(), plantId: id.optional() })
        .refine((w) => w.to > w.from, { message: 'The period must end after it starts', path: ['to'] }),
    )
    .query(({ ctx, input }) => rtyReport(ctx.tx, input)),
});
