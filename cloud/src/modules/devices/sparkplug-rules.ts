import { type SparkplugMapping, type SparkplugRule, tables } from '@plantline/schema';
import { and, asc, eq, type SQL, sql } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import {
  auditCreate,
  auditDelete,
  auditUpdate,
  DomainError,
  notFound,
  type Principal,
  unlessTaken,
} from '../../platform/index.js';
import { type DeviceScope, resolveDeviceScope } from './device-scope.js';

/*
 * The Sparkplug B mapping (docs/device-integration.md, "Sparkplug B"; the table:
 * schema/src/tables/sparkplug-rules.ts). Engineers map each metric of a Sparkplug node or device to a
 * machine's state, count or telemetry; the plant's edges fetch the rules (edge.sparkplugRules) and map
 * by them. Row-level security confines users and edge keys to the rules of their plants.
 */

const rules = tables.sparkplugRules;

const columns = {
  id: rules.id,
  plantId: rules.plantId,
  lineId: rules.lineId,
  machineId: rules.machineId,
  group: rules.groupId,
  node: rules.nodeId,
  device: rules.deviceId,
  metric: rules.metric,
  kind: rules.kind,
  states: rules.states,
  offline: rules.offlineState,
  count: rules.countKind,
  name: rules.telemetryName,
  updatedAt: rules.updatedAt,
};

/** What the metric is: the settings of its kind, as the contract's rule carries them. */
export type SparkplugRuleSettings =
  | { kind: 'state'; states: Record<string, string> | null; offline: string | null }
  | { kind: 'count'; count: 'good' | 'scrap' }
  | { kind: 'telemetry'; name: string };

export type SparkplugRuleInput = {
  plantId: string;
  lineId: string;
  machineId: string;
  group: string;
  node: string;
  /** Null: a metric of the edge node itself. */
  device: string | null;
  metric: string;
} & SparkplugRuleSettings;

function settingsColumns(input: SparkplugRuleSettings) {
  return {
    kind: input.kind,
    states:
      input.kind === 'state' && input.states !== null && Object.keys(input.states).length > 0
        ? input.states
        : null,
    offlineState: input.kind === 'state' ? input.offline : null,
    countKind: input.kind === 'count' ? input.count : null,
    telemetryName: input.kind === 'telemetry' ? input.name : null,
  };
}

/** `group/node/device · metric`, as the topics name the source. */
function sourceOf(rule: { group: string; node: string; device: string | null; metric: string }): string {
  return `${[rule.group, rule.node, rule.device].filter((part) => part !== null).join('/')} · ${rule.metric}`;
}

/** The rule as the trail records it: its machine as codes, as the edges and topics name it. */
interface AuditedRule {
  id: string;
  group: string;
  node: string;
  device: string | null;
  metric: string;
  kind: string;
  states: Record<string, string> | null;
  offline: string | null;
  count: string | null;
  name: string | null;
}

function audited(rule: AuditedRule, scope: DeviceScope) {
  return {
    id: rule.id,
    group: rule.group,
    node: rule.node,
    device: rule.device,
    metric: rule.metric,
    machine: `${scope.plantCode}/${scope.lineCode}/${scope.machineCode}`,
    kind: rule.kind,
    states: rule.states,
    offline: rule.offline,
    count: rule.count,
    name: rule.name,
  };
}

export function listSparkplugRules(
  tx: Sql,
  input: { plantId?: string | undefined; id?: string | undefined } = {},
) {
  const conditions: SQL[] = [];
  if (input.plantId !== undefined) conditions.push(eq(rules.plantId, input.plantId));
  if (input.id !== undefined) conditions.push(eq(rules.id, input.id));
  return tx
    .select({
      ...columns,
      plantCode: tables.plants.code,
      lineCode: tables.lines.code,
      machineCode: tables.machines.code,
      machineName: tables.machines.name,
    })
    .from(rules)
    .innerJoin(tables.plants, eq(tables.plants.id, rules.plantId))
    .innerJoin(tables.lines, eq(tables.lines.id, rules.lineId))
    .innerJoin(tables.machines, eq(tables.machines.id, rules.machineId))
    .where(and(...conditions))
    .orderBy(
      asc(tables.plants.code),
      asc(rules.groupId),
      asc(rules.nodeId),
      sql`${rules.deviceId} asc nulls first`,
      asc(rules.metric),
    );
}

export type ListedRule = Awaited<ReturnType<typeof listSparkplugRules>>[number];

const takenMetric = () =>
  new DomainError('conflict', 'This metric already has a rule', {
    metric: 'Already mapped',
  });

/**
 * Creates a rule, or changes the one with `id`. `updatedAt`, given with `id`, is when the rule the user
 * edited was last changed: a rule changed since is not overwritten.
 */
export async function saveSparkplugRule(
  tx: Sql,
  principal: Principal,
  input: SparkplugRuleInput & { id?: string | undefined; updatedAt?: string | undefined },
) {
  const scope = await resolveDeviceScope(tx, principal, input);
  const values = {
    plantId: input.plantId,
    lineId: input.lineId,
    machineId: input.machineId,
    groupId: input.group,
    nodeId: input.node,
    deviceId: input.device,
    metric: input.metric,
    ...settingsColumns(input),
    updatedBy: principal.userId,
  };
  const record = { label: sourceOf(input), plantId: input.plantId };
  if (input.id === undefined) {
    const [row] = await unlessTaken(
      tx
        .insert(rules)
        .values({ tenantId: principal.tenantId, ...values })
        .returning(columns),
      takenMetric,
    );
    auditCreate(tx, 'sparkplug_rule', audited(row!, scope), record);
    return row!;
  }
  // Locked, so a concurrent save waits and then sees this one's updatedAt.
  const [previous] = await listSparkplugRules(tx, { id: input.id }).for('update', { of: rules });
  if (previous === undefined) throw notFound('Sparkplug rule');
  if (input.updatedAt !== undefined && previous.updatedAt.toISOString() !== input.updatedAt) {
    throw new DomainError(
      'conflict',
      'Someone else changed this rule meanwhile; reload it to see their version',
    );
  }
  const [row] = await unlessTaken(
    tx
      .update(rules)
      .set({ ...values, updatedAt: new Date() })
      .where(eq(rules.id, input.id))
      .returning(columns),
    takenMetric,
  );
  auditUpdate(tx, 'sparkplug_rule', audited(previous, previous), audited(row!, scope), record);
  return row!;
}

/** Removes a rule: the metric is no longer mapped, and the edges ignore it from their next fetch. */
export async function removeSparkplugRule(tx: Sql, id: string) {
  const [found] = await listSparkplugRules(tx, { id });
  if (found === undefined) throw notFound('Sparkplug rule');
  const [row] = await tx.delete(rules).where(eq(rules.id, id)).returning(columns);
  if (row === undefined) throw notFound('Sparkplug rule');
  auditDelete(tx, 'sparkplug_rule', audited(row, found), { label: sourceOf(row), plantId: row.plantId });
  return { id: row.id };
}

/** The contract's rule of a listed row. */
export function contractRule(rule: ListedRule): SparkplugRule {
  const where = {
    group: rule.group,
    node: rule.node,
    device: rule.device,
    metric: rule.metric,
    plant: rule.plantCode,
    line: rule.lineCode,
    machine: rule.machineCode,
  };
  if (rule.kind === 'state') {
    return {
      ...where,
      kind: 'state',
      ...(rule.states ? { states: rule.states } : {}),
      ...(rule.offline ? { offline: rule.offline } : {}),
    };
  }
  // The table's check gives a count rule its count kind and a telemetry rule its name.
  if (rule.kind === 'count') return { ...where, kind: 'count', count: rule.count! };
  return { ...where, kind: 'telemetry', name: rule.name! };
}

/** What an edge maps by: the rules of its key's plants (row-level security confines the key to them). */
export async function sparkplugMappingForEdge(tx: Sql): Promise<SparkplugMapping> {
  return { rules: (await listSparkplugRules(tx)).map(contractRule) };
}
