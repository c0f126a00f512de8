import {
  SPARKPLUG_ID_PATTERN,
  SPARKPLUG_METRIC_PATTERN,
  SPARKPLUG_STATE_PATTERN,
  sparkplugCountKinds,
  sparkplugStatesSchema,
  TELEMETRY_NAME_PATTERN,
} from '@plantline/schema';
import { z } from 'zod';
import { DomainError, idInput } from '../../platform/index.js';
import { permittedProcedure, router } from '../../trpc/procedures.js';
import {
  listSparkplugRules,
  removeSparkplugRule,
  saveSparkplugRule,
  sparkplugMappingForEdge,
} from './sparkplug-rules.js';

/*
 * The Sparkplug B mapping is part of a machine's configuration, so it follows master data's
 * permissions, as telemetry deadbands do: readers of master data see it, engineers change it.
 */
const sparkplugId = z.string().trim().regex(SPARKPLUG_ID_PATTERN, 'Use 1–255 characters without / + #');

const where = {
  id: idInput.optional(),
  /** With `id`: when the edited rule was last changed, so a change made meanwhile is not overwritten. */
  updatedAt: z.string().datetime().optional(),
  plantId: idInput,
  lineId: idInput,
  machineId: idInput,
  group: sparkplugId,
  node: sparkplugId,
  device: sparkplugId.nullable(),
  metric: z.string().trim().regex(SPARKPLUG_METRIC_PATTERN, 'Use 1–255 characters'),
};

const ruleInput = z.discriminatedUnion('kind', [
  z.object({
    ...where,
    kind: z.literal('state'),
    states: sparkplugStatesSchema.nullable(),
    /** The machine's state once its node or device dies; null: a death changes no state. */
    offline: z.string().trim().regex(SPARKPLUG_STATE_PATTERN, 'Use 1–64 characters').nullable().default(null),
  }),
  z.object({ ...where, kind: z.literal('count'), count: z.enum(sparkplugCountKinds) }),
  z.object({
    ...where,
    kind: z.literal('telemetry'),
    name: z.string().trim().regex(TELEMETRY_NAME_PATTERN, 'Use 1–64 of A–Z a–z 0–9 _ . -'),
  }),
]);

export const sparkplugRulesRouter = router({
  list: permittedProcedure('masterdata.read')
    .input(z.object({ plantId: idInput.optional() }).default({}))
    .query(({ ctx, input }) => listSparkplugRules(ctx.tx, input)),
  /** Creates a rule, or changes the one with `id`. */
  save: permittedProcedure('masterdata.manage')
    .input(ruleInput)
    .mutation(({ ctx, input }) => saveSparkplugRule(ctx.tx, ctx.principal, input)),
  remove: permittedProcedure('masterdata.manage')
    .input(z.object({ id: idInput }))
    .mutation(({ ctx, input }) => removeSparkplugRule(ctx.tx, input.id)),
});

/** The edge's side: the rules of its key's plants (edge.sparkplugRules). */
export const edgeSparkplugRules = permittedProcedure('ingest.write').query(({ ctx }) => {
  if (ctx.principal.apiKeyId === null) {
    throw new DomainError('forbidden', 'Only API keys identify edge nodes');
  }
  return sparkplugMappingForEdge(ctx.tx);
});
