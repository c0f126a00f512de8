import { tables } from '@plantline/schema';
import { and, eq, sql } from 'drizzle-orm';
import { rows, type Sql } from '../../db/index.js';
import { auditCreate, auditUpdate, DomainError, notFound } from '../../platform/index.js';
import { packageName } from './packing-rules.js';
import { lockShipment } from './shipment-queries.js';
import { announce, refuseUnless, type ShipmentCall } from './shipments.js';
import { issueSscc } from './sscc.js';

/*
 * Pallets and cartons of a shipment (docs/logistics.md, "Packing by scanning"): each opened with its
 * SSCC, a carton possibly on an open pallet of the same shipment, closed once full. Packages change
 * under the shipment's lock, like everything packed into them.
 */

const pk = tables.packages;

const packageColumns = {
  id: pk.id,
  plantId: pk.plantId,
  shipmentId: pk.shipmentId,
  kind: pk.kind,
  sscc: pk.sscc,
  status: pk.status,
  parentId: pk.parentId,
  closedAt: pk.closedAt,
};

export type ShipmentPackage = Awaited<ReturnType<typeof findPackage>>;

/** A package of a customer shipment (transfers pack theirs elsewhere). */
export async function findPackage(tx: Sql, id: string) {
  const [found] = await tx.select(packageColumns).from(pk).where(eq(pk.id, id));
  if (found === undefined || found.shipmentId === null) throw notFound('Package');
  return { ...found, shipmentId: found.shipmentId };
}

const audited = (p: ShipmentPackage, shipmentNumber: string) => ({
  id: p.id,
  shipment: shipmentNumber,
  kind: p.kind,
  sscc: p.sscc,
  status: p.status,
  parentId: p.parentId,
});

export interface NewPackage {
  shipmentId: string;
  kind: 'pallet' | 'carton';
  /** The open pallet of the same shipment a carton goes onto. */
  parentId?: string | null | undefined;
  /** When it was opened: now unless given (the demo's past shipments; docs/demo.md, "Shipments"). */
  at?: Date | undefined;
}

/** Opens a pallet or carton with the next SSCC. */
export async function openPackage(call: ShipmentCall, input: NewPackage) {
  const { tx, principal } = call;
  const shipment = await lockShipment(tx, input.shipmentId);
  refuseUnless(shipment, 'pack');
  if (input.parentId != null) {
    const parent = await findPackage(tx, input.parentId).catch(() => {
      throw new DomainError('not_found', 'Pallet not found', { parentId: 'Not found' });
    });
    if (parent.shipmentId !== shipment.id)
      throw new DomainError('invalid', 'The pallet is of another shipment', {
        parentId: 'Another shipment’s',
      });
    if (input.kind !== 'carton' || parent.kind !== 'pallet')
      throw new DomainError('invalid', 'Only a carton goes onto a pallet', {
        parentId: 'Not a pallet for a carton',
      });
    if (parent.status !== 'open')
      throw new DomainError('conflict', `${capitalised(packageName(parent))} is closed`, {
        parentId: 'Closed',
      });
  }
  const sscc = await issueSscc(tx, principal.tenantId);
  const [created] = await tx
    .insert(pk)
    .values({
      tenantId: principal.tenantId,
      plantId: shipment.plantId,
      shipmentId: shipment.id,
      parentId: input.parentId ?? null,
      kind: input.kind,
      sscc,
      ...(input.at === undefined ? {} : { createdAt: input.at }),
      createdBy: principal.userId,
    })
    .returning({ id: pk.id });
  const opened = await findPackage(tx, created!.id);
  auditCreate(tx, 'package', audited(opened, shipment.number), { label: sscc, plantId: shipment.plantId });
  announce(call, shipment);
  return opened;
}

/** Closes an open package that holds something; what it holds no longer changes. */
export async function closePackage(call: ShipmentCall, input: { packageId: string }) {
  const { tx } = call;
  const found = await findPackage(tx, input.packageId);
  const shipment = await lockShipment(tx, found.shipmentId);
  refuseUnless(shipment, 'pack');
  const current = await findPackage(tx, input.packageId);
  const name = packageName(current);
  if (current.status !== 'open') throw new DomainError('conflict', `${capitalised(name)} is closed already`);
  const tenantId = call.principal.tenantId;
  const [held] = await rows<{ held: boolean }>(
    tx,
    sql`select exists (select 1 from package_contents c where c.tenant_id = ${tenantId}::uuid
                         and c.plant_id = ${current.plantId}::uuid and c.package_id = ${current.id}::uuid)
            or exists (select 1 from packages p where p.tenant_id = ${tenantId}::uuid
                         and p.plant_id = ${current.plantId}::uuid and p.parent_id = ${current.id}::uuid) as held`,
  );
  if (held?.held !== true)
    throw new DomainError('conflict', `${capitalised(name)} is empty: pack something first`);
  await tx
    .update(pk)
    .set({ status: 'closed', closedAt: new Date() })
    .where(and(eq(pk.plantId, current.plantId), eq(pk.id, current.id)));
  const closed = await findPackage(tx, current.id);
  auditUpdate(tx, 'package', audited(current, shipment.number), audited(closed, shipment.number), {
    label: current.sscc,
    plantId: current.plantId,
  });
  announce(call, shipment);
  return closed;
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
