import { z } from 'zod';
import { idInput as id } from '../../platform/index.js';
import { permittedProcedure, router } from '../../trpc/procedures.js';
import {
  createSchedule,
  getSchedule,
  listSchedules,
  recipientOptions,
  scheduleDeliveries,
  scheduleInput,
  setScheduleActive,
  updateSchedule,
} from './schedules.js';

/*
 * `reports.schedules.*` (docs/reports.md, "Schedules"). Thin: validate, call the function, return.
 * Everything here needs reports.schedule; a schedule is also checked against its maker's right to
 * run the report, when it is saved and again each time it fires.
 */
const schedule = permittedProcedure('reports.schedule');

export const schedulesRouter = router({
  /** The schedules in the caller's plants, of one report when named. */
  list: schedule
    .input(
      z
        .object({ reportKey: z.string().trim().min(1).max(64).optional(), reportId: id.optional() })
        .default({}),
    )
    .query(({ ctx, input }) => listSchedules(ctx.tx, input)),
  get: schedule.input(z.object({ id })).query(({ ctx, input }) => getSchedule(ctx.tx, input.id)),
  create: schedule
    .input(scheduleInput)
    .mutation(({ ctx, input }) => createSchedule(ctx.tx, ctx.principal, input)),
  update: schedule
    .input(scheduleInput.extend({ id, expectedVersion: z.number().int().min(1) }))
    .mutation(({ ctx, input }) => updateSchedule(ctx.tx, ctx.principal, input)),
  /** Pauses or resumes; resuming plans the next fire from now. */
  setActive: schedule
    .input(z.object({ id, active: z.boolean(), expectedVersion: z.number().int().min(1) }))
    .mutation(({ ctx, input }) => setScheduleActive(ctx.tx, input)),
  /** What became of the schedule's runs: delivered to how many, skipped as empty, retried, failed. */
  deliveries: schedule
    .input(z.object({ id }))
    .query(({ ctx, input }) => scheduleDeliveries(ctx.tx, input.id)),
  /** The roles and the people of a plant a schedule can be sent to. */
  recipientOptions: schedule
    .input(z.object({ plantId: id.nullable() }))
    .query(({ ctx, input }) => recipientOptions(ctx.tx, input.plantId)),
});
