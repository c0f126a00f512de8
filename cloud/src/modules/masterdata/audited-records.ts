import { tables } from '@plantline/schema';
import { and, eq } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import { auditCreate, auditUpdate } from '../../platform/index.js';

/*
 * Master data as the audit trail records it (docs/audit.md): each record's readable fields, with
 * the codes of the records it refers to rather than their ids, so an entry reads without a lookup
 * that a later rename or deletion would falsify. Every entry carries the record's plant.
 */

export type MasterdataEntity = 'plant' | 'area' | 'line' | 'machine' | 'station';

export interface MasterdataSnapshot {
  plantId: string;
  fields: { code: string } & Record<string, unknown>;
}

/** The record as it is now in this transaction, or null when it is not there (or not in reach). */
export function auditedRecord(
  tx: Sql,
  entityType: MasterdataEntity,
  id: string,
): Promise<MasterdataSnapshot | null> {
  return readers[entityType](tx, id);
}

/**
 * Records a creation (`before` null) or an update of a record just written in this transaction;
 * an update that changed nothing records nothing.
 */
export async function auditSaved(
  tx: Sql,
  entityType: MasterdataEntity,
  id: string,
  before: MasterdataSnapshot | null,
): Promise<void> {
  const after = await auditedRecord(tx, entityType, id);
  if (after === null) throw new Error(`The ${entityType} just saved cannot be read back`);
  const record = { label: after.fields.code, plantId: after.plantId };
  const saved = { ...after.fields, id };
  if (before === null) auditCreate(tx, entityType, saved, record);
  else auditUpdate(tx, entityType, { ...before.fields, id }, saved, record, 'update');
}

async function auditedPlant(tx: Sql, id: string): Promise<MasterdataSnapshot | null> {
  const p = tables.plants;
  const [row] = await tx
    .select({
      code: p.code,
      name: p.name,
      timezone: p.timezone,
      street: p.street,
      postalCode: p.postalCode,
      city: p.city,
      country: p.country,
      gln: p.gln,
    })
    .from(p)
    .where(eq(p.id, id));
  return row === undefined ? null : { plantId: id, fields: row };
}

async function auditedArea(tx: Sql, id: string): Promise<MasterdataSnapshot | null> {
  const a = tables.areas;
  const [row] = await tx
    .select({ plantId: a.plantId, code: a.code, name: a.name })
    .from(a)
    .where(eq(a.id, id));
  return row === undefined ? null : { plantId: row.plantId, fields: { code: row.code, name: row.name } };
}

async function auditedLine(tx: Sql, id: string): Promise<MasterdataSnapshot | null> {
  const l = tables.lines;
  const a = tables.areas;
  const [row] = await tx
    .select({ plantId: l.plantId, code: l.code, name: l.name, area: a.code })
    .from(l)
    .leftJoin(a, and(eq(a.tenantId, l.tenantId), eq(a.id, l.areaId)))
    .where(eq(l.id, id));
  return row === undefined
    ? null
    : { plantId: row.plantId, fields: { code: row.code, name: row.name, area: row.area } };
}

async function auditedMachine(tx: Sql, id: string): Promise<MasterdataSnapshot | null> {
  const m = tables.machines;
  const l = tables.lines;
  const [row] = await tx
    .select({ plantId: m.plantId, code: m.code, name: m.name, line: l.code })
    .from(m)
    .innerJoin(l, and(eq(l.tenantId, m.tenantId), eq(l.id, m.lineId)))
    .where(eq(m.id, id));
  return row === undefined
    ? null
    : { plantId: row.plantId, fields: { code: row.code, name: row.name, line: row.line } };
}

async function auditedStation(tx: Sql, id: string): Promise<MasterdataSnapshot | null> {
  const s = tables.stations;
  const l = tables.lines;
  const [row] = await tx
    .select({ plantId: s.plantId, code: s.code, name: s.name, line: l.code })
    .from(s)
    .leftJoin(l, and(eq(l.tenantId, s.tenantId), eq(l.id, s.lineId)))
    .where(eq(s.id, id));
  return row === undefined
    ? null
    : { plantId: row.plantId, fields: { code: row.code, name: row.name, line: row.line } };
}

const readers: Record<MasterdataEntity, (tx: Sql, id: string) => Promise<MasterdataSnapshot | null>> = {
  plant: auditedPlant,
  area: auditedArea,
  line: auditedLine,
  machine: auditedMachine,
  station: auditedStation,
};
