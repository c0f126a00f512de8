import { tables } from '@plantline/schema';
import { and, asc, eq, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Sql } from '../../db/index.js';
import { auditCreate, auditDelete, auditUpdate, DomainError, unlessTaken } from '../../platform/index.js';
import { findPackage } from './packages.js';
import { packageName } from './packing-rules.js';
import { notFoundOn } from './references.js';
import { lockShipment } from './shipment-queries.js';
import { announce, refuseUnless, type ShipmentCall } from './shipments.js';

/*
 * What each plant station works on (docs/logistics.md, "Scanning at a station"): a person with
 * logistics.pack assigns a station to pack a shipment into one of its open packages, to pack a
 * transfer into one of its packages, or to receive a transfer. One task per station; assigning
 * again replaces it against the version its assigner saw. A plant scanner's scans at the station are
 * then checked against the task (station-scans.ts). A shipment that ships or is cancelled ends its
 * stations' tasks.
 */

const st = tables.stations;
const t = tables.stationTasks;
const sh = tables.shipments;
const tr = tables.transferOrders;
const pk = tables.packages;
const assigner = alias(tables.users, 'task_assigner');

export type StationTaskRow = Awaited<ReturnType<typeof listStationTasks>>[number];

/** The plant's stations (all the caller reaches without a plant) with their current task, by code. */
export async function listStationTasks(tx: Sql, input: { plantId?: string | undefined }) {
  const found = await tx
    .select({
      stationId: st.id,
      plantId: st.plantId,
      plantCode: tables.plants.code,
      code: st.code,
      name: st.name,
      lineCode: tables.lines.code,
      taskId: t.id,
      mode: t.mode,
      shipmentId: t.shipmentId,
      shipmentNumber: sh.number,
      transferOrderId: t.transferOrderId,
      transferNumber: tr.number,
      packageId: t.packageId,
      packageKind: pk.kind,
      packageSscc: pk.sscc,
      assignedByName: assigner.displayName,
      assignedAt: t.assignedAt,
      version: t.version,
    })
    .from(st)
    .innerJoin(tables.plants, and(eq(tables.plants.tenantId, st.tenantId), eq(tables.plants.id, st.plantId)))
    .leftJoin(tables.lines, and(eq(tables.lines.tenantId, st.tenantId), eq(tables.lines.id, st.lineId)))
    .leftJoin(t, and(eq(t.tenantId, st.tenantId), eq(t.stationId, st.id)))
    .leftJoin(sh, and(eq(sh.tenantId, t.tenantId), eq(sh.id, t.shipmentId)))
    .leftJoin(tr, and(eq(tr.tenantId, t.tenantId), eq(tr.id, t.transferOrderId)))
    .leftJoin(pk, and(eq(pk.tenantId, t.tenantId), eq(pk.id, t.packageId)))
    .leftJoin(assigner, and(eq(assigner.tenantId, t.tenantId), eq(assigner.id, t.assignedBy)))
    .where(input.plantId === undefined ? undefined : eq(st.plantId, input.plantId))
    .orderBy(asc(tables.plants.code), asc(st.code));
  return found.map(({ taskId, mode, version, assignedAt, ...row }) => ({
    stationId: row.stationId,
    plantId: row.plantId,
    plantCode: row.plantCode,
    code: row.code,
    name: row.name,
    lineCode: row.lineCode,
    task:
      taskId === null || mode === null || version === null || assignedAt === null
        ? null
        : {
            id: taskId,
            mode,
            shipmentId: row.shipmentId,
            shipmentNumber: row.shipmentNumber,
            transferOrderId: row.transferOrderId,
            transferNumber: row.transferNumber,
            packageId: row.packageId,
            packageKind: row.packageKind,
            packageSscc: row.packageSscc,
            assignedByName: row.assignedByName,
            assignedAt,
            version,
          },
  }));
}

export interface StationAssignment {
  stationId: string;
  mode: tables.StationTaskMode;
  shipmentId?: string | null | undefined;
  transferOrderId?: string | null | undefined;
  /** The open package a packing station packs into; none when receiving. */
  packageId?: string | null | undefined;
  /** The version of the station's task the assigner saw; null when they saw none. */
  expectedVersion: number | null;
}

const invalid = (message: string, field: string, problem: string) =>
  new DomainError('invalid', message, { [field]: problem });

/** Assigns the station its task, replacing the one it had. */
export async function assignStationTask(call: ShipmentCall, input: StationAssignment) {
  const { tx, principal } = call;
  const station = await findStation(tx, input.stationId);
  const target = await checkTarget(call, station, input);
  const current = await lockTask(tx, station.id);
  checkTaskVersion(station.code, current, input.expectedVersion);
  const values = {
    mode: input.mode,
    shipmentId: target.shipmentId,
    transferOrderId: target.transferOrderId,
    packageId: target.packageId,
    assignedBy: principal.userId,
  };
  const taken = () =>
    new DomainError('conflict', `Station ${station.code} was assigned meanwhile; reload and try again`, {
      expectedVersion: 'Assigned meanwhile',
    });
  const [saved] =
    current === undefined
      ? await unlessTaken(
          tx
            .insert(t)
            .values({
              tenantId: principal.tenantId,
              plantId: station.plantId,
              stationId: station.id,
              ...values,
            })
            .returning(),
          taken,
        )
      : await tx
          .update(t)
          .set({ ...values, assignedAt: new Date(), version: current.version + 1 })
          .where(eq(t.id, current.id))
          .returning();
  const after = { ...audited(saved!), target: target.label };
  const record = { label: station.code, plantId: station.plantId };
  if (current === undefined) auditCreate(tx, 'station_task', after, record, 'assign');
  else auditUpdate(tx, 'station_task', audited(current), after, record, 'assign');
  if (target.shipmentId !== null) announce(call, { id: target.shipmentId, plantId: station.plantId });
  return { id: saved!.id, stationId: station.id, version: saved!.version, target: target.label };
}

/** The station stops answering scans with a task. */
export async function clearStationTask(
  call: ShipmentCall,
  input: { stationId: string; expectedVersion: number },
) {
  const { tx } = call;
  const station = await findStation(tx, input.stationId);
  const current = await lockTask(tx, station.id);
  if (current === undefined)
    throw new DomainError('conflict', `Station ${station.code} has no task`, {
      expectedVersion: 'No task',
    });
  checkTaskVersion(station.code, current, input.expectedVersion);
  await tx.delete(t).where(eq(t.id, current.id));
  auditDelete(
    tx,
    'station_task',
    audited(current),
    { label: station.code, plantId: station.plantId },
    'clear',
  );
  if (current.shipmentId !== null) announce(call, { id: current.shipmentId, plantId: station.plantId });
  return { stationId: station.id };
}

/**
 * A shipment that left or was cancelled takes its stations' tasks with it: their scanners then hear
 * "Station … has no open task". Called under the shipment's lock by the move itself.
 */
export async function endStationTasks(tx: Sql, shipment: { id: string; plantId: string; number: string }) {
  const ended = await tx
    .delete(t)
    .where(and(eq(t.plantId, shipment.plantId), eq(t.shipmentId, shipment.id)))
    .returning();
  for (const task of ended)
    auditDelete(
      tx,
      'station_task',
      { ...audited(task), target: shipment.number },
      {
        label: shipment.number,
        plantId: shipment.plantId,
      },
      'end',
    );
}

type TaskRow = typeof t.$inferSelect;

const audited = (task: TaskRow) => ({
  id: task.id,
  stationId: task.stationId,
  mode: task.mode,
  shipmentId: task.shipmentId,
  transferOrderId: task.transferOrderId,
  packageId: task.packageId,
});

async function findStation(tx: Sql, stationId: string) {
  const [station] = await tx
    .select({ id: st.id, plantId: st.plantId, code: st.code })
    .from(st)
    .where(eq(st.id, stationId));
  if (station === undefined) throw notFoundOn('Station', 'stationId');
  return station;
}

async function lockTask(tx: Sql, stationId: string): Promise<TaskRow | undefined> {
  const [task] = await tx.select().from(t).where(eq(t.stationId, stationId)).for('update');
  return task;
}

function checkTaskVersion(code: string, current: TaskRow | undefined, expected: number | null) {
  if ((current?.version ?? null) === expected) return;
  throw new DomainError(
    'conflict',
    current === undefined
      ? `Station ${code} has no task any more; reload and try again`
      : `Station ${code} was assigned meanwhile; reload and try again`,
    { expectedVersion: 'Changed since you opened it' },
  );
}

interface Target {
  shipmentId: string | null;
  transferOrderId: string | null;
  packageId: string | null;
  /** "pack SHP-… into pallet 0095…", for the audit trail and the answer. */
  label: string;
}

/** What the station is to work on, checked against the station's plant and the mode. */
async function checkTarget(
  call: ShipmentCall,
  station: { plantId: string; code: string },
  input: StationAssignment,
): Promise<Target> {
  const both = input.shipmentId != null && input.transferOrderId != null;
  if (both || (input.shipmentId == null && input.transferOrderId == null))
    throw invalid('Choose a shipment or a transfer, one of them', 'shipmentId', 'Choose one');
  if (input.mode === 'receive' && input.packageId != null)
    throw invalid(
      'A receiving station packs nothing: leave the package out',
      'packageId',
      'Not when receiving',
    );
  if (input.mode === 'pack' && input.packageId == null)
    throw invalid('Choose the open package the station packs into', 'packageId', 'Choose a package');
  if (input.shipmentId != null) return shipmentTarget(call, station, input.shipmentId, input);
  return transferTarget(call.tx, station, input.transferOrderId!, input);
}

async function shipmentTarget(
  call: ShipmentCall,
  station: { plantId: string; code: string },
  shipmentId: string,
  input: StationAssignment,
): Promise<Target> {
  if (input.mode !== 'pack')
    throw invalid('A shipment is packed, not received, at a station', 'mode', 'Shipments are packed');
  // Locked like every packing, so a shipment being shipped right now does not get a task after it left.
  const shipment = await lockShipment(call.tx, shipmentId).catch(() => {
    throw notFoundOn('Shipment', 'shipmentId');
  });
  refuseUnless(shipment, 'pack');
  if (shipment.plantId !== station.plantId)
    throw invalid(
      `Station ${station.code} is not in ${shipment.number}'s plant`,
      'stationId',
      'Not in the shipment’s plant',
    );
  const target = await findPackage(call.tx, input.packageId!).catch(() => {
    throw notFoundOn('Package', 'packageId');
  });
  if (target.shipmentId !== shipment.id)
    throw invalid(`The package is not one of ${shipment.number}`, 'packageId', 'Another shipment’s');
  if (target.status !== 'open')
    throw invalid(`${capital(packageName(target))} is closed: open a new one`, 'packageId', 'Closed');
  return {
    shipmentId: shipment.id,
    transferOrderId: null,
    packageId: target.id,
    label: `pack ${shipment.number} into ${packageName(target)}`,
  };
}

async function transferTarget(
  tx: Sql,
  station: { plantId: string; code: string },
  transferOrderId: string,
  input: StationAssignment,
): Promise<Target> {
  const [transfer] = await tx
    .select({ id: tr.id, number: tr.number, status: tr.status, from: tr.fromPlantId, to: tr.toPlantId })
    .from(tr)
    .where(eq(tr.id, transferOrderId));
  if (transfer === undefined) throw notFoundOn('Transfer', 'transferOrderId');
  if (transfer.status === 'received' || transfer.status === 'cancelled')
    throw new DomainError(
      'conflict',
      `${transfer.number} is ${transfer.status}: there is nothing left to scan`,
    );
  if (input.mode === 'receive') {
    if (transfer.to !== station.plantId)
      throw invalid(
        `Station ${station.code} is not in the plant receiving ${transfer.number}`,
        'stationId',
        'Not in the receiving plant',
      );
    return {
      shipmentId: null,
      transferOrderId: transfer.id,
      packageId: null,
      label: `receive ${transfer.number}`,
    };
  }
  if (transfer.status !== 'draft' && transfer.status !== 'picking')
    throw new DomainError('conflict', `${transfer.number} has left: it can only be received now`);
  if (transfer.from !== station.plantId)
    throw invalid(
      `Station ${station.code} is not in the plant sending ${transfer.number}`,
      'stationId',
      'Not in the sending plant',
    );
  const packageOf: SQL | undefined = and(eq(pk.id, input.packageId!), eq(pk.transferOrderId, transfer.id));
  const [target] = await tx
    .select({ id: pk.id, kind: pk.kind, sscc: pk.sscc, status: pk.status })
    .from(pk)
    .where(packageOf);
  if (target === undefined)
    throw invalid(`The package is not one of ${transfer.number}`, 'packageId', 'Not this transfer’s');
  if (target.status !== 'open')
    throw invalid(`${capital(packageName(target))} is closed: open a new one`, 'packageId', 'Closed');
  return {
    shipmentId: null,
    transferOrderId: transfer.id,
    packageId: target.id,
    label: `pack ${transfer.number} into ${packageName(target)}`,
  };
}

const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
