import { readFile } from 'node:fs/promises';
import { CODE_PATTERN, TELEMETRY_NAME_PATTERN } from '@plantline/schema';
import { z } from 'zod';

/*
 * Which Sparkplug B metrics are which Plantline machine's states, counts and telemetry
 * (docs/device-integration.md, "Sparkplug B"). One flat rule per metric, so that the same rules can
 * later be rows kept in the cloud and fetched by the edge, as telemetry deadbands are
 * (deadband/deadband-sync.ts); for now they are read from the file named by EDGE_SPARKPLUG_MAPPING.
 */

const code = z.string().regex(CODE_PATTERN, 'must be a code of 1–32 characters A–Z a–z 0–9 _ -');
/** Sparkplug 3.0, section 4.1.1: group and edge node ids are UTF-8 strings without `/`, `+` or `#`. */
const sparkplugId = z
  .string()
  .min(1)
  .regex(/^[^/+#]+$/, 'must not contain /, + or #');
const label = z
  .string()
  .trim()
  .min(1)
  .max(64)
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the contract's labels refuse control characters
  .regex(/^[^\u0000-\u001f\u007f]+$/, 'must not contain control characters');

const where = {
  group: sparkplugId,
  node: sparkplugId,
  /** Absent or null: a metric of the edge node itself (NBIRTH/NDATA). */
  device: sparkplugId.nullish().transform((device) => device ?? null),
  metric: z.string().min(1),
  plant: code,
  line: code,
  machine: code,
};

export const sparkplugRuleSchema = z.discriminatedUnion('kind', [
  z
    .object({
      ...where,
      kind: z.literal('state'),
      /** Metric value (as text: `1`, `true`, `Running`) → state code; without it the value is the code. */
      states: z.record(z.string(), label).optional(),
    })
    .strict(),
  z
    .object({
      ...where,
      kind: z.literal('count'),
      /** A counter that only grows, but for resets: its increase is the count of good or scrap parts. */
      count: z.enum(['good', 'scrap']),
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

export const sparkplugMappingSchema = z
  .object({ rules: z.array(sparkplugRuleSchema).max(100_000) })
  .strict()
  .superRefine((mapping, ctx) => {
    const seen = new Set<string>();
    mapping.rules.forEach((rule, index) => {
      const key = ruleKey(rule.group, rule.node, rule.device, rule.metric);
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

function ruleKey(group: string, node: string, device: string | null, metric: string): string {
  return JSON.stringify([group, node, device, metric]);
}

/** Finds the rule of a metric in constant time. */
export class SparkplugRules {
  #rules = new Map<string, SparkplugRule>();

  constructor(mapping: SparkplugMapping) {
    for (const rule of mapping.rules)
      this.#rules.set(ruleKey(rule.group, rule.node, rule.device, rule.metric), rule);
  }

  /** The machines (`plant/line/machine`) the rules of one node or device map to. */
  machinesOf(group: string, node: string, device: string | null): string[] {
    const machines = new Set<string>();
    for (const rule of this.#rules.values()) {
      if (rule.group === group && rule.node === node && rule.device === device) {
        machines.add(`${rule.plant}/${rule.line}/${rule.machine}`);
      }
    }
    return [...machines];
  }

  get size(): number {
    return this.#rules.size;
  }

  find(group: string, node: string, device: string | null, metric: string): SparkplugRule | undefined {
    return this.#rules.get(ruleKey(group, node, device, metric));
  }
}

/** Reads and checks the mapping file; the error names the file and what is wrong, by rule. */
export async function readSparkplugMapping(path: string): Promise<SparkplugMapping> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new Error(`Sparkplug mapping ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const parsed = sparkplugMappingSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Sparkplug mapping ${path}:\n  - ${problems.join('\n  - ')}`);
  }
  return parsed.data;
}
