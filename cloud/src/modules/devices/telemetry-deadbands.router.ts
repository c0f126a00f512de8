import { deadbandModes, deadbandSettingsProblem, TELEMETRY_NAME_PATTERN } from '@plantline/schema';
import { z } from 'zod';
import { DomainError, idInput } from '../../platform/index.js';
import { permittedProcedure, router } from '../../trpc/procedures.js';
import {
  listTelemetryDeadbands,
  removeTelemetryDeadband,
  setTelemetryDeadband,
  telemetryDeadbandsForEdge,
} from './telemetry-deadbands.js';

/*
 * Deadbands are part of a machine's configuration, so they follow master data's permissions: every
 * reader of master data sees them, engineers (masterdata.manage) change them.
 */
const ruleInput = z
  .object({
    plantId: idInput,
    lineId: idInput.optional(),
    machineId: idInput.optional(),
    /** Null: every value of the scope that has no rule of its own name. */
    metric: z.string().trim().regex(TELEMETRY_NAME_PATTERN, 'Use 1–64 of A–Z a–z 0–9 _ . -').nullable(),
    mode: z.enum(deadbandModes),
    deadband: z.number(),
    heartbeatS: z.number().nullable(),
  })
  .superRefine((input, context) => {
    const problem = deadbandSettingsProblem(input);
    if (problem) context.addIssue({ code: 'custom', path: [problem.field], message: problem.message });
  });

export const telemetryDeadbandsRouter = router({
  list: permittedProcedure('masterdata.read')
    .input(z.object({ plantId: idInput.optional() }).default({}))
    .query(({ ctx, input }) => listTelemetryDeadbands(ctx.tx, input)),
  /** Creates the rule of a scope and value name, or replaces the one already there. */
  set: permittedProcedure('masterdata.manage')
    .input(ruleInput)
    .mutation(({ ctx, input }) => setTelemetryDeadband(ctx.tx, ctx.principal, input)),
  remove: permittedProcedure('masterdata.manage')
    .input(z.object({ id: idInput }))
    .mutation(({ ctx, input }) => removeTelemetryDeadband(ctx.tx, input.id)),
});

/** The edge's side: the rules of its key's plants (edge.telemetryDeadbands). */
export const edgeTelemetryDeadbands = permittedProcedure('ingest.write').query(({ ctx }) => {
  if (ctx.principal.apiKeyId === null) {
    throw new DomainError('forbidden', 'Only API keys identify edge nodes');
  }
  return telemetryDeadbandsForEdge(ctx.tx);
});
