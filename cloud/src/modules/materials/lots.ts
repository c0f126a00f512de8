import { tables } from '@plantline/schema';
import { and, asc, desc, eq, lt, or } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import {
  audit,
  auditCreate,
  canSeePlant,
  DomainError,
  notFound,
  type Scope,
  unlessTaken,
} from '../../platform/index.js';
import { getMaterial } from './catalogue.js';

/*
 * Lots and serial numbers (docs/materials.md, "Lots and serials"). A lot is the tenant's, made or
 * received at one plant and free to travel; its status decides what the ledger lets it do
 * (stock-rules.ts), and every status change is audited with the reason given.
 */

const lot = tables.materialLots;
export const lotColumns = {
  id: lot.id,
  plantId: lot.plantId,
  materialId: lot.materialId,
  lotCode: lot.lotCode,
  supplierLot: lot.supplierLot,
  supplier: lot.supplier,
  expiresOn: lot.expiresOn,
  producedAt: lot.producedAt,
  status: lot.status,
  statusReason: lot.statusReason,
  createdAt: lot.createdAt,
};
export type Lot = Awaited<ReturnType<typeof getLot>>;

export async function getLot(tx: Sql, id: string, lock = false) {
  const query = tx.select(lotColumns).from(lot).where(eq(lot.id, id));
  const [found] = await (lock ? query.for('update') : query);
  if (found === undefined) throw notFound('Lot');
  return found;
}

/** Newest first, a page at a time after `cursor` (the last lot of the previous page). */
export async function listLots(
  tx: Sql,
  input: {
    materialId?: string | undefined;
    status?: tables.LotStatus | undefined;
    limit: number;
    cursor?: string | undefined;
  },
) {
  const after = input.cursor === undefined ? undefined : await getLot(tx, input.cursor);
  return tx
    .select(lotColumns)
    .from(lot)
    .where(
      and(
        input.materialId === undefined ? undefined : eq(lot.materialId, input.materialId),
        input.status === undefined ? undefined : eq(lot.status, input.status),
        after === undefined
          ? undefined
          : or(
              lt(lot.createdAt, after.createdAt),
              and(eq(lot.createdAt, after.createdAt), lt(lot.id, after.id)),
            ),
      ),
    )
    .orderBy(desc(lot.createdAt), desc(lot.id))
    .limit(input.limit);
}

export interface LotFields {
  plantId: string;
  materialId: string;
  lotCode: string;
  supplierLot?: string | null | undefined;
  supplier?: string | null | undefined;
  expiresOn?: string | null | undefined;
  producedAt?: Date | null | undefined;
  status?: 'released' | 'quarantine' | undefined;
}

/** The expiry a lot gets from its material's shelf life when none is given: made or received + days. */
function defaultExpiry(shelfLifeDays: number | null, from: Date) {
  if (shelfLifeDays === null) return null;
  return new Date(from.getTime() + shelfLifeDays * 86_400_000).toISOString().slice(0, 10);
}

export async function createLot(tx: Sql, principal: Scope, input: LotFields) {
  if (!canSeePlant(principal, input.plantId)) throw notFound('Plant');
  const material = await getMaterial(tx, input.materialId);
  if (!material.lotTracked)
    throw new DomainError('invalid', `${material.code} is not lot-tracked`, {
      materialId: 'Not lot-tracked',
    });
  const expiresOn = input.expiresOn ?? defaultExpiry(material.shelfLifeDays, input.producedAt ?? new Date());
  const [created] = await unlessTaken(
    tx
      .insert(lot)
      .values({ ...input, expiresOn, tenantId: principal.tenantId })
      .returning(lotColumns),
    () =>
      new DomainError('conflict', `${material.code} already has lot ${input.lotCode}`, {
        lotCode: 'Already used',
      }),
  );
  if (created === undefined) throw notFound('Lot');
  auditCreate(tx, 'material_lot', created, {
    label: `${material.code} ${created.lotCode}`,
    plantId: created.plantId,
  });
  return created;
}

const STATUS_VERBS = {
  released: 'release',
  quarantine: 'quarantine',
  blocked: 'block',
  consumed: 'consume',
} as const satisfies Record<tables.LotStatus, string>;

/** A lot released, quarantined, blocked or marked consumed, with the reason the trail keeps. */
export async function setLotStatus(tx: Sql, input: { id: string; status: tables.LotStatus; reason: string }) {
  const before = await getLot(tx, input.id, true);
  if (before.status === input.status)
    throw new DomainError('conflict', `Lot ${before.lotCode} is already ${input.status}`);
  const [after] = await tx
    .update(lot)
    .set({ status: input.status, statusReason: input.reason })
    .where(eq(lot.id, input.id))
    .returning(lotColumns);
  if (after === undefined) throw notFound('Lot');
  audit(tx, {
    action: `material_lot.${STATUS_VERBS[input.status]}`,
    entityType: 'material_lot',
    entityId: after.id,
    entityLabel: after.lotCode,
    plantId: after.plantId,
    before: { status: before.status },
    after: { status: after.status },
    reason: input.reason,
  });
  return after;
}

// ---- serial numbers

const s = tables.serialNumbers;
const serialColumns = {
  id: s.id,
  plantId: s.plantId,
  materialId: s.materialId,
  serial: s.serial,
  lotId: s.lotId,
  status: s.status,
};

export function listSerials(tx: Sql, input: { materialId?: string | undefined; lotId?: string | undefined }) {
  return tx
    .select(serialColumns)
    .from(s)
    .where(
      and(
        input.materialId === undefined ? undefined : eq(s.materialId, input.materialId),
        input.lotId === undefined ? undefined : eq(s.lotId, input.lotId),
      ),
    )
    .orderBy(asc(s.serial))
    .limit(500);
}

export async function createSerial(
  tx: Sql,
  principal: Scope,
  input: { plantId: string; materialId: string; serial: string; lotId?: string | null | undefined },
) {
  if (!canSeePlant(principal, input.plantId)) throw notFound('Plant');
  const material = await getMaterial(tx, input.materialId);
  if (!material.serialTracked)
    throw new DomainError('invalid', `${material.code} is not serial-tracked`, {
      materialId: 'Not serial-tracked',
    });
  if (input.lotId != null && (await getLot(tx, input.lotId)).materialId !== material.id)
    throw new DomainError('invalid', `That lot is not a lot of ${material.code}`, {
      lotId: 'Another material’s lot',
    });
  const [created] = await unlessTaken(
    tx
      .insert(s)
      .values({ ...input, tenantId: principal.tenantId })
      .returning(serialColumns),
    () =>
      new DomainError('conflict', `${material.code} already has serial ${input.serial}`, {
        serial: 'Already used',
      }),
  );
  if (created === undefined) throw notFound('Serial number');
  auditCreate(tx, 'serial_number', created, {
    label: `${material.code} ${created.serial}`,
    plantId: created.plantId,
  });
  return created;
}

export async function setSerialStatus(
  tx: Sql,
  input: { id: string; status: tables.SerialStatus; reason: string },
) {
  const [before] = await tx.select(serialColumns).from(s).where(eq(s.id, input.id)).for('update');
  if (before === undefined) throw notFound('Serial number');
  const [after] = await tx
    .update(s)
    .set({ status: input.status })
    .where(eq(s.id, input.id))
    .returning(serialColumns);
  if (after === undefined) throw notFound('Serial number');
  audit(tx, {
    action: 'serial_number.status',
    entityType: 'serial_number',
    entityId: after.id,
    entityLabel: after.serial,
    plantId: after.plantId,
    before: { status: before.status },
    after: { status: after.status },
    reason: input.reason,
  });
  return after;
}
