import { readFile } from 'node:fs/promises';
import {
  type SparkplugMapping,
  type SparkplugRule,
  sparkplugMappingSchema,
  sparkplugRuleKey,
} from '@plantline/schema';

/*
 * The edge's side of the Sparkplug B mapping (docs/device-integration.md, "Sparkplug B"; the contract:
 * schema/src/contracts/sparkplug.ts): the rules kept in the cloud and synced (sparkplug-sync.ts), or
 * read from the file named by EDGE_SPARKPLUG_MAPPING.
 */

/** Finds the rule of a metric in constant time. */
export class SparkplugRules {
  #rules = new Map<string, SparkplugRule>();
  /** The rules of each node and its devices, by `sparkplugRuleKey(group, node, null, '')`. */
  #byNode = new Map<string, SparkplugRule[]>();
  #signatures = new Map<string, string>();

  constructor(mapping: SparkplugMapping) {
    for (const rule of mapping.rules) {
      this.#rules.set(sparkplugRuleKey(rule.group, rule.node, rule.device, rule.metric), rule);
      const node = sparkplugRuleKey(rule.group, rule.node, null, '');
      const list = this.#byNode.get(node);
      if (list === undefined) this.#byNode.set(node, [rule]);
      else list.push(rule);
    }
  }

  /** The machines (`plant/line/machine`) the rules of one node or device map to. */
  machinesOf(group: string, node: string, device: string | null): string[] {
    const machines = new Set<string>();
    for (const rule of this.rulesOf(group, node, device)) {
      machines.add(`${rule.plant}/${rule.line}/${rule.machine}`);
    }
    return [...machines];
  }

  /** The rules of the metrics of one node (device null) or one of its devices. */
  rulesOf(group: string, node: string, device: string | null): SparkplugRule[] {
    const rules = this.#byNode.get(sparkplugRuleKey(group, node, null, '')) ?? [];
    return rules.filter((rule) => rule.device === device);
  }

  /** The rules of one node and its devices, as text: equal for equal rules. */
  signatureOf(group: string, node: string): string {
    const key = sparkplugRuleKey(group, node, null, '');
    let signature = this.#signatures.get(key);
    if (signature === undefined) {
      const rules = this.#byNode.get(key) ?? [];
      signature = JSON.stringify(rules.map((rule) => JSON.stringify(rule)).sort());
      this.#signatures.set(key, signature);
    }
    return signature;
  }

  get size(): number {
    return this.#rules.size;
  }

  find(group: string, node: string, device: string | null, metric: string): SparkplugRule | undefined {
    return this.#rules.get(sparkplugRuleKey(group, node, device, metric));
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
