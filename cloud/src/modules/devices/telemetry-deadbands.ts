import { type DeadbandSettings, type TelemetryDeadbandSet, tables } from '@plantline/schema';
import { and, asc, eq, isNull, type SQL, sql } from 'drizzle-orm';
import { alias, type PgColumn } from 'drizzle-orm/pg-core';
import type { Sql } from '../../db/index.js';
import { auditCreate, auditDelete, auditUpdate, notFound, type Principal } from '../../platform/index.js';
import { type DeviceScope, type DeviceScopeInput, resolveDeviceScope } from './device-scope.js';

/*
 * Telemetry deadbands (docs/device-integration.md, "Telemetry deadbands"; the table:
 * schema/src/tables/telemetry-deadbands.ts). Engineers set a rule per plant, line or machine and
 * optionally per value name; the edges of the plant fetch them (edge.telemetryDeadbands) and filter
 * before their outbox. Row-level security confines users and edge keys to the rules of their plants.
 */

const deadbands = tables.telemetryDeadbands;

const columns = {
  id: deadbands.id,
  plantId: deadbands.plantId,
  lineId: deadbands.lineId,
  machineId: deadbands.machineId,
  metric: deadbands.metric,
  mode: deadbands.mode,
  deadband: deadbands.deadband,
  heartbeatS: deadbands.heartbeatS,
};

interface Rule extends DeadbandSettings {
  id: string;
  metric: string | null;
}

/** The rule as the trail records it: its scope as codes, as the edges and topics name it. */
function audited(row: Rule, scope: DeviceScope) {
  return {
    id: row.id,
    plant: scope.plantCode,
    line: scope.lineCode,
    machine: scope.machineCode,
    metric: row.metric,
    mode: row.mode,
    deadband: row.deadband,
    heartbeatS: row.heartbeatS,
  };
}

/** `RIV/L1/M1 · spindle_temp_c`, `RIV · every value`. */
function labelOf(scope: DeviceScope, metric: string | null): string {
  const where = [scope.plantCode, scope.lineCode, scope.machineCode].filter((code) => code !== null);
  return `${where.join('/')} · ${metric ?? 'every value'}`;
}

function ofScope(plantId: string, lineId: string | null, machineId: string | null, metric: string | null) {
  const same = (column: PgColumn, value: string | null) =>
    value === null ? isNull(column) : eq(column, value);
  return and(
    eq(deadbands.plantId, plantId),
    same(deadbands.lineId, lineId),
    same(deadbands.machineId, machineId),
    same(deadbands.metric, metric),
  );
}

export function listTelemetryDeadbands(
  tx: Sql,
  input: { plantId?: string | undefined; id?: string | undefined } = {},
) {
  const lines = alias(tables.lines, 'scope_line');
  const machines = alias(tables.machines, 'scope_machine');
  const conditions: SQL[] = [];
  if (input.plantId !== undefined) conditions.push(eq(deadbands.plantId, input.plantId));
  if (input.id !== undefined) conditions.push(eq(deadbands.id, input.id));
  return (
    tx
      .select({
        ...columns,
        plantCode: tables.plants.code,
        lineCode: lines.code,
        machineCode: machines.code,
        updatedAt: deadbands.updatedAt,
      })
      .from(deadbands)
      .innerJoin(tables.plants, eq(tables.plants.id, deadbands.plantId))
      .leftJoin(lines, eq(lines.id, deadbands.lineId))
      .leftJoin(machines, eq(machines.id, deadbands.machineId))
      .where(and(...conditions))
      // Wider scopes first, as the page lists them and the edge reads them.
      .orderBy(
        asc(tables.plants.code),
        sql`${lines.code} asc nulls first`,
        sql`${machines.code} asc nulls first`,
        sql`${deadbands.metric} asc nulls first`,
      )
  );
}

export interface TelemetryDeadbandInput extends DeviceScopeInput, DeadbandSettings {
  metric: string | null;
}

/** Sets the rule of a scope and value name: creates it, or replaces the one already there. */
export async function setTelemetryDeadband(tx: Sql, principal: Principal, input: TelemetryDeadbandInput) {
  const scope = await resolveDeviceScope(tx, principal, input);
  const lineId = input.lineId ?? null;
  const machineId = input.machineId ?? null;
  const [previous] = await tx
    .select(columns)
    .from(deadbands)
    .where(ofScope(input.plantId, lineId, machineId, input.metric))
    .for('update');
  const settings = {
    mode: input.mode,
    deadband: input.deadband,
    heartbeatS: input.heartbeatS,
    updatedBy: principal.userId,
  };
  const [row] = await tx
    .insert(deadbands)
    .values({
      tenantId: principal.tenantId,
      plantId: input.plantId,
      lineId,
      machineId,
      metric: input.metric,
      ...settings,
    })
    .onConflictDoUpdate({
      target: [
        deadbands.tenantId,
        deadbands.plantId,
        deadbands.lineId,
        deadbands.machineId,
        deadbands.metric,
      ],
      set: { ...settings, updatedAt: new Date() },
    })
    .returning(columns);
  const record = { label: labelOf(scope, input.metric), plantId: input.plantId };
  if (previous === undefined) auditCreate(tx, 'telemetry_deadband', audited(row!, scope), record);
  else auditUpdate(tx, 'telemetry_deadband', audited(previous, scope), audited(row!, scope), record);
  return row!;
}

/** Removes a rule: the scope's values follow the next wider rule again, or travel unfiltered. */
export async function removeTelemetryDeadband(tx: Sql, id: string) {
  const [found] = await listTelemetryDeadbands(tx, { id });
  if (found === undefined) throw notFound('Deadband rule');
  const [row] = await tx.delete(deadbands).where(eq(deadbands.id, id)).returning(columns);
  if (row === undefined) throw notFound('Deadband rule');
  const scope = { plantCode: found.plantCode, lineCode: found.lineCode, machineCode: found.machineCode };
  auditDelete(tx, 'telemetry_deadband', audited(row, scope), {
    label: labelOf(scope, row.metric),
    plantId: row.plantId,
  });
  return { id: row.id };
}

/** What an edge applies: the rules of its key's plants (row-level security confines the key to them). */
export async function telemetryDeadbandsForEdge(tx: Sql): Promise<TelemetryDeadbandSet> {
  const rules = await listTelemetryDeadbands(tx);
  return {
    rules: rules.map((rule) => ({
      plant: rule.plantCode,
      line: rule.lineCode,
      machine: rule.lineCode === null ? null : rule.machineCode,
      metric: rule.metric,
      mode: rule.mode,
      deadband: rule.deadband,
      heartbeatS: rule.heartbeatS,
    })),
  };
}
