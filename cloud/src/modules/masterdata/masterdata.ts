import { tables } from '@plantline/schema';
import { and, asc, eq, type SQL } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import { DomainError, notFound, takenCode, uniqueCode } from '../../platform/index.js';
import { auditedRecord, auditSaved } from './audited-records.js';

/*
 * Areas, lines, machines and stations. Codes are what devices put in MQTT topics, so they
 * follow the contract's CODE_PATTERN. Every read goes through row-level security: a plant, line or
 * area of another tenant or outside the caller's plants is "not found", never "forbidden".
 */
async function visiblePlant(tx: Sql, plantId: string) {
  const [plant] = await tx
    .select({ id: tables.plants.id })
    .from(tables.plants)
    .where(eq(tables.plants.id, plantId));
  if (plant === undefined) throw notFound('Plant');
  return plant;
}

async function visibleLine(tx: Sql, lineId: string) {
  const [line] = await tx
    .select({ id: tables.lines.id, plantId: tables.lines.plantId })
    .from(tables.lines)
    .where(eq(tables.lines.id, lineId));
  if (line === undefined) throw notFound('Line');
  return line;
}

async function visibleArea(tx: Sql, areaId: string, plantId: string) {
  const [area] = await tx
    .select({ id: tables.areas.id, plantId: tables.areas.plantId })
    .from(tables.areas)
    .where(eq(tables.areas.id, areaId));
  if (area === undefined) throw notFound('Area');
  if (area.plantId !== plantId) throw new DomainError('invalid', 'The area belongs to another plant');
  return area;
}

const byPlant = (column: typeof tables.lines.plantId | typeof tables.areas.plantId, plantId?: string) =>
  plantId === undefined ? undefined : eq(column, plantId);

// ---- areas

const areaColumns = {
  id: tables.areas.id,
  plantId: tables.areas.plantId,
  code: tables.areas.code,
  name: tables.areas.name,
};

export function listAreas(tx: Sql, input: { plantId?: string | undefined }) {
  return tx
    .select(areaColumns)
    .from(tables.areas)
    .where(byPlant(tables.areas.plantId, input.plantId))
    .orderBy(asc(tables.areas.code));
}

export async function createArea(
  tx: Sql,
  tenantId: string,
  input: { plantId: string; code: string; name: string },
) {
  await visiblePlant(tx, input.plantId);
  const [area] = await tx
    .insert(tables.areas)
    .values({ ...input, tenantId })
    .onConflictDoNothing()
    .returning(areaColumns);
  if (area === undefined) throw takenCode();
  await auditSaved(tx, 'area', area.id, null);
  return area;
}

export async function updateArea(
  tx: Sql,
  id: string,
  patch: { code?: string | undefined; name?: string | undefined },
) {
  const before = await auditedRecord(tx, 'area', id);
  if (before === null) throw notFound('Area');
  const [area] = await uniqueCode(
    tx.update(tables.areas).set(patch).where(eq(tables.areas.id, id)).returning(areaColumns),
  );
  if (area === undefined) throw notFound('Area');
  await auditSaved(tx, 'area', id, before);
  return area;
}

// ---- lines

const lineColumns = {
  id: tables.lines.id,
  plantId: tables.lines.plantId,
  areaId: tables.lines.areaId,
  code: tables.lines.code,
  name: tables.lines.name,
};

export function listLines(tx: Sql, input: { plantId?: string | undefined }) {
  return tx
    .select(lineColumns)
    .from(tables.lines)
    .where(byPlant(tables.lines.plantId, input.plantId))
    .orderBy(asc(tables.lines.code));
}

export async function createLine(
  tx: Sql,
  tenantId: string,
  input: { plantId: string; areaId?: string | null | undefined; code: string; name: string },
) {
  await visiblePlant(tx, input.plantId);
  if (input.areaId != null) await visibleArea(tx, input.areaId, input.plantId);
  const [line] = await tx
    .insert(tables.lines)
    .values({ ...input, areaId: input.areaId ?? null, tenantId })
    .onConflictDoNothing()
    .returning(lineColumns);
  if (line === undefined) throw takenCode();
  await auditSaved(tx, 'line', line.id, null);
  return line;
}

export async function updateLine(
  tx: Sql,
  id: string,
  patch: { code?: string | undefined; name?: string | undefined; areaId?: string | null | undefined },
) {
  const line = await visibleLine(tx, id);
  if (patch.areaId != null) await visibleArea(tx, patch.areaId, line.plantId);
  const before = await auditedRecord(tx, 'line', id);
  const [updated] = await uniqueCode(
    tx.update(tables.lines).set(patch).where(eq(tables.lines.id, id)).returning(lineColumns),
  );
  if (updated === undefined) throw notFound('Line');
  await auditSaved(tx, 'line', id, before);
  return updated;
}

// ---- machines

const machineColumns = {
  id: tables.machines.id,
  plantId: tables.machines.plantId,
  lineId: tables.machines.lineId,
  code: tables.machines.code,
  name: tables.machines.name,
};

export function listMachines(tx: Sql, input: { plantId?: string | undefined; lineId?: string | undefined }) {
  const conditions: SQL[] = [];
  if (input.plantId !== undefined) conditions.push(eq(tables.machines.plantId, input.plantId));
  if (input.lineId !== undefined) conditions.push(eq(tables.machines.lineId, input.lineId));
  return tx
    .select(machineColumns)
    .from(tables.machines)
    .where(and(...conditions))
    .orderBy(asc(tables.machines.code));
}

/** The plant is the line's: a machine cannot be put in a line of another plant. */
export async function createMachine(
  tx: Sql,
  tenantId: string,
  input: { lineId: string; code: string; name: string },
) {
  const line = await visibleLine(tx, input.lineId);
  const [machine] = await tx
    .insert(tables.machines)
    .values({ ...input, plantId: line.plantId, tenantId })
    .onConflictDoNothing()
    .returning(machineColumns);
  if (machine === undefined) throw takenCode();
  await auditSaved(tx, 'machine', machine.id, null);
  return machine;
}

export async function updateMachine(
  tx: Sql,
  id: string,
  patch: { code?: string | undefined; name?: string | undefined; lineId?: string | undefined },
) {
  const [current] = await tx
    .select({ plantId: tables.machines.plantId })
    .from(tables.machines)
    .where(eq(tables.machines.id, id));
  if (current === undefined) throw notFound('Machine');
  if (patch.lineId !== undefined) {
    const line = await visibleLine(tx, patch.lineId);
    if (line.plantId !== current.plantId)
      throw new DomainError('invalid', 'A machine cannot move to another plant');
  }
  const before = await auditedRecord(tx, 'machine', id);
  const [machine] = await uniqueCode(
    tx.update(tables.machines).set(patch).where(eq(tables.machines.id, id)).returning(machineColumns),
  );
  if (machine === undefined) throw notFound('Machine');
  await auditSaved(tx, 'machine', id, before);
  return machine;
}

// ---- stations

const stationColumns = {
  id: tables.stations.id,
  plantId: tables.stations.plantId,
  lineId: tables.stations.lineId,
  code: tables.stations.code,
  name: tables.stations.name,
};

export function listStations(tx: Sql, input: { plantId?: string | undefined }) {
  return tx
    .select(stationColumns)
    .from(tables.stations)
    .where(input.plantId === undefined ? undefined : eq(tables.stations.plantId, input.plantId))
    .orderBy(asc(tables.stations.code));
}

export async function createStation(
  tx: Sql,
  tenantId: string,
  input: { plantId: string; lineId?: string | null | undefined; code: string; name: string },
) {
  await visiblePlant(tx, input.plantId);
  if (input.lineId != null) {
    const line = await visibleLine(tx, input.lineId);
    if (line.plantId !== input.plantId) throw new DomainError('invalid', 'The line belongs to another plant');
  }
  const [station] = await tx
    .insert(tables.stations)
    .values({ ...input, lineId: input.lineId ?? null, tenantId })
    .onConflictDoNothing()
    .returning(stationColumns);
  if (station === undefined) throw takenCode();
  await auditSaved(tx, 'station', station.id, null);
  return station;
}

export async function updateStation(
  tx: Sql,
  id: string,
  patch: { code?: string | undefined; name?: string | undefined },
) {
  const before = await auditedRecord(tx, 'station', id);
  if (before === null) throw notFound('Station');
  const [station] = await uniqueCode(
    tx.update(tables.stations).set(patch).where(eq(tables.stations.id, id)).returning(stationColumns),
  );
  if (station === undefined) throw notFound('Station');
  await auditSaved(tx, 'station', id, before);
  return station;
}
