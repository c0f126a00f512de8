import { tables } from '@plantline/schema';
import { eq, sql } from 'drizzle-orm';
import { rows, type Sql } from '../../db/index.js';
import { DomainError, withConstraintErrors } from '../../platform/index.js';

/*
 * What an NCR points at must be of its own tenant and plant (docs/ncrs.md, "References"). The
 * foreign keys hold the tenant everywhere and the plant for the line; a machine, an order and an
 * inspection carry their plant in their own row, so those are compared here, and an owner must be
 * someone who can open the NCR. A reference the caller cannot see (another tenant's, or a plant out of
 * reach) is "not found" on its field, never "forbidden", which would confirm it exists.
 */

const notFoundOn = (what: string, field: string) =>
  new DomainError('not_found', `${what} not found`, { [field]: 'Not found' });

const otherPlant = (what: string, field: string) =>
  new DomainError('invalid', `The ${what} is not one of the NCR’s plant`, { [field]: 'Not in this plant' });

export async function visiblePlant(tx: Sql, plantId: string) {
  const [plant] = await tx
    .select({ id: tables.plants.id, code: tables.plants.code })
    .from(tables.plants)
    .where(eq(tables.plants.id, plantId));
  if (plant === undefined) throw notFoundOn('Plant', 'plantId');
  return plant;
}

/** The references an NCR would hold after a create or an edit. */
export interface NcrReferences {
  plantId: string;
  lineId: string | null;
  machineId: string | null;
  productionOrderId: string | null;
  ownerId: string | null;
}

/**
 * Checks the machine, order and owner of an NCR, given which of them are new (`changed`). Returns
 * the line to store: a machine names its line, so an NCR about a machine is about that line too.
 */
export async function checkReferences(
  tx: Sql,
  refs: NcrReferences,
  changed: { lineId: boolean; machineId: boolean; productionOrderId: boolean; ownerId: boolean },
): Promise<{ lineId: string | null }> {
  let lineId = refs.lineId;
  if (refs.machineId !== null && (changed.machineId || changed.lineId)) {
    const [machine] = await tx
      .select({ plantId: tables.machines.plantId, lineId: tables.machines.lineId })
      .from(tables.machines)
      .where(eq(tables.machines.id, refs.machineId));
    if (machine === undefined) throw notFoundOn('Machine', 'machineId');
    if (machine.plantId !== refs.plantId) throw otherPlant('machine', 'machineId');
    if (lineId === null || (changed.machineId && !changed.lineId)) lineId = machine.lineId;
    else if (lineId !== machine.lineId)
      throw new DomainError('invalid', 'The machine is not on the NCR’s line', {
        machineId: 'Not on this line',
      });
  }
  if (refs.productionOrderId !== null && changed.productionOrderId) {
    const [order] = await tx
      .select({ plantId: tables.productionOrders.plantId })
      .from(tables.productionOrders)
      .where(eq(tables.productionOrders.id, refs.productionOrderId));
    if (order === undefined) throw notFoundOn('Production order', 'productionOrderId');
    if (order.plantId !== refs.plantId) throw otherPlant('production order', 'productionOrderId');
  }
  if (refs.ownerId !== null && changed.ownerId) await checkOwner(tx, refs.ownerId, refs.plantId);
  return { lineId };
}

/** An owner is an active user who may read NCRs and reaches the plant: someone who can open it. */
async function checkOwner(tx: Sql, ownerId: string, plantId: string) {
  const [owner] = await rows<{ is_active: boolean; can_open: boolean }>(
    tx,
    sql`select u.is_active,
               exists (select 1 from user_roles ur
                         join role_permissions rp on rp.tenant_id = ur.tenant_id and rp.role_id = ur.role_id
                        where ur.tenant_id = u.tenant_id and ur.user_id = u.id and rp.permission = 'quality.read')
           and (exists (select 1 from user_plant_access upa
                         where upa.tenant_id = u.tenant_id and upa.user_id = u.id and upa.plant_id = ${plantId}::uuid)
                or exists (select 1 from user_roles ur
                             join role_permissions rp on rp.tenant_id = ur.tenant_id and rp.role_id = ur.role_id
                            where ur.tenant_id = u.tenant_id and ur.user_id = u.id and rp.permission = 'plants.all'))
               as can_open
          from users u where u.id = ${ownerId}::uuid`,
  );
  if (owner === undefined) throw notFoundOn('User', 'ownerId');
  if (!owner.is_active)
    throw new DomainError('invalid', 'The owner’s account is deactivated', { ownerId: 'Deactivated' });
  if (!owner.can_open)
    throw new DomainError('invalid', 'The owner cannot open NCRs of this plant', {
      ownerId: 'No access to this plant’s NCRs',
    });
}

/*
 * The foreign keys check what the checks above leave to them, without row-level security and with
 * the tenant: a line of another plant or tenant, and another tenant's product or defect code.
 */
const constraintErrors: Record<string, () => DomainError> = {
  ncrs_line_fk: () => otherPlant('line', 'lineId'),
  ncrs_machine_fk: () => notFoundOn('Machine', 'machineId'),
  ncrs_product_fk: () => notFoundOn('Product', 'productId'),
  ncrs_order_fk: () => notFoundOn('Production order', 'productionOrderId'),
  ncrs_defect_fk: () => notFoundOn('Defect code', 'defectCodeId'),
  ncrs_owner_fk: () => notFoundOn('User', 'ownerId'),
  ncr_inspections_inspection_fk: () => otherPlant('inspection', 'inspectionId'),
};

/** Runs a write, turning a refused reference into its field's error. */
export const withReferences = <T>(work: Promise<T>): Promise<T> =>
  withConstraintErrors(work, constraintErrors);
