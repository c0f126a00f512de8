import { z } from 'zod';
import { TELEMETRY_NAME_PATTERN } from './payloads.js';
import { CODE_PATTERN } from './topics.js';

/*
 * Which Sparkplug B metrics are which Plantline machine's states, counts and telemetry
 * (docs/device-integration.md, "Sparkplug B"). One flat rule per metric, kept in the cloud per plant
 * (sparkplug_rules) and fetched by the plant's edges (edge.sparkplugRules), or read by an edge from
 * the file named by EDGE_SPARKPLUG_MAPPING. The cloud's input and both of the edge's sources are
 * checked with this contract.
 */

export const sparkplugRuleKinds = ['state', 'count', 'telemetry'] as const;
export type SparkplugRuleKind = (typeof sparkplugRuleKinds)[number];
export const sparkplugCountKinds = ['good', 'scrap'] as const;

/** Sparkplug 3.0, section 4.1.1: group, edge node and device ids are UTF-8 strings without `/`, `+` or `#`. */
export const SPARKPLUG_ID_PATTERN = /^[^/+#]{1,255}$/;
/** A metric's name as its birth gives it; `/` separates folders (Sparkplug 3.0, section 6.4.2). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: a name is printable text
export const SPARKPLUG_METRIC_PATTERN = /^[^\u0000-\u001f\u007f]{1,255}$/;
/** A state code a metric's value stands for: as a device's state payload would carry it. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: a code is printable text
export const SPARKPLUG_STATE_PATTERN = /^[^\u0000-\u001f\u007f]{1,64}$/;

const code = z.string().regex(CODE_PATTERN, 'must be a code of 1–32 characters A–Z a–z 0–9 _ -');
const sparkplugId = z.string().regex(SPARKPLUG_ID_PATTERN, 'must be 1–255 characters without /, + or #');
const stateCode = z.string().trim().regex(SPARKPLUG_STATE_PATTERN, 'must be 1–64 characters');

/** Metric value as text (`1`, `true`, `Running`) → state code. */
export const sparkplugStatesSchema = z
  .record(z.string().min(1).max(255), stateCode)
  .refine((states) => Object.keys(states).length <= 100, 'at most 100 values');

const where = {
  group: sparkplugId,
  node: sparkplugId,
  /** Absent or null: a metric of the edge node itself (NBIRTH/NDATA). */
  device: sparkplugId.nullish().transform((device) => device ?? null),
  metric: z.string().regex(SPARKPLUG_METRIC_PATTERN, 'must be 1–255 characters'),
  plant: code,
  line: code,
  machine: code,
};

export const sparkplugRuleSchema = z.discriminatedUnion('kind', [
  z
    .object({
      ...where,
      kind: z.literal('state'),
      /** Without it the value is the state code. */
      states: sparkplugStatesSchema.optional(),
      /**
       * The state the machine is in once its node or device dies (a death certificate, or the broker's
       * will when the connection drops) until the next birth says otherwise; without it a death
       * changes no state.
       */
      offline: stateCode.optional(),
    })
    .strict(),
  z
    .object({
      ...where,
      kind: z.literal('count'),
      /** A counter that only grows, but for resets: its increase is the count of good or scrap parts. */
      count: z.enum(sparkplugCountKinds),
    })
    .strict(),
  z
    .object({
      ...where,
      kind: z.literal('telemetry'),
      /** The telemetry value's name in Plantline. */
      name: z.string().regex(TELEMETRY_NAME_PATTERN, 'must be a telemetry value name (A–Z a–z 0–9 _ . -)'),
    })
    .strict(),
]);

export type SparkplugRule = z.infer<typeof sparkplugRuleSchema>;

/** The key a metric's rule is found by: one rule per metric. */
export function sparkplugRuleKey(group: string, node: string, device: string | null, metric: string): string {
  return JSON.stringify([group, node, device, metric]);
}

export const sparkplugMappingSchema = z
  .object({ rules: z.array(sparkplugRuleSchema).max(100_000) })
  .strict()
  .superRefine((mapping, ctx) => {
    const seen = new Set<string>();
    mapping.rules.forEach((rule, index) => {
      const key = sparkplugRuleKey(rule.group, rule.node, rule.device, rule.metric);
      if (seen.has(key)) {
        ctx.addIssue({
          code: 'custom',
          path: ['rules', index],
          message: 'a second rule for the same metric',
        });
      }
      seen.add(key);
    });
  });

export type SparkplugMapping = z.infer<typeof sparkplugMappingSchema>;
