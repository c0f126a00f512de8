import { tables } from '@plantline/schema';
import { and, asc, eq } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import {
  auditCreate,
  auditUpdate,
  canSeePlant,
  DomainError,
  notFound,
  type Principal,
  uniqueCode,
  withConstraintErrors,
} from '../../platform/index.js';

/*
 * Inventory locations (docs/materials.md, "Locations"): each plant's tree of warehouses and their
 * bins, plus transit, production, receiving and shipping areas. A location's parent is in its plant
 * (inventory_locations_parent_fk); row-level security hides other plants' locations.
 */

const l = tables.inventoryLocations;
export const locationColumns = {
  id: l.id,
  plantId: l.plantId,
  parentId: l.parentId,
  code: l.code,
  name: l.name,
  kind: l.kind,
  allowNegative: l.allowNegative,
  lineId: l.lineId,
  isActive: l.isActive,
};
export type Location = Awaited<ReturnType<typeof getLocation>>;

export function listLocations(
  tx: Sql,
  input: { plantId?: string | undefined; includeInactive?: boolean | undefined },
) {
  return tx
    .select(locationColumns)
    .from(l)
    .where(
      and(
        input.plantId === undefined ? undefined : eq(l.plantId, input.plantId),
        input.includeInactive === true ? undefined : eq(l.isActive, true),
      ),
    )
    .orderBy(asc(l.plantId), asc(l.code));
}

export async function getLocation(tx: Sql, id: string, lock = false) {
  const query = tx.select(locationColumns).from(l).where(eq(l.id, id));
  const [location] = await (lock ? query.for('update') : query);
  if (location === undefined) throw notFound('Location');
  return location;
}

export interface LocationFields {
  plantId: string;
  parentId?: string | null | undefined;
  code: string;
  name: string;
  kind: tables.LocationKind;
  allowNegative?: boolean | undefined;
  /** For a production location: the line it stocks (its line side). */
  lineId?: string | null | undefined;
}

const parentConstraint = {
  inventory_locations_parent_fk: () =>
    new DomainError('invalid', 'The parent is not a location of this plant', {
      parentId: 'Not in this plant',
    }),
  inventory_locations_line_fk: () =>
    new DomainError('invalid', 'The line is not a line of this plant', { lineId: 'Not in this plant' }),
  inventory_locations_line_key: () =>
    new DomainError('conflict', 'That line already has its line-side location', {
      lineId: 'Already stocked',
    }),
  inventory_locations_line_check: () =>
    new DomainError('invalid', 'Only a production location stocks a line', {
      lineId: 'Not a production location',
    }),
};

/** Refuses a parent that would put `id` under itself. */
async function refuseCycle(tx: Sql, id: string, parentId: string) {
  let current: string | null = parentId;
  for (let depth = 0; current !== null && depth < 100; depth += 1) {
    if (current === id)
      throw new DomainError('invalid', 'A location cannot be inside itself', { parentId: 'Inside this one' });
    const [row]: { parentId: string | null }[] = await tx
      .select({ parentId: l.parentId })
      .from(l)
      .where(eq(l.id, current));
    current = row?.parentId ?? null;
  }
}

export async function createLocation(tx: Sql, principal: Principal, input: LocationFields) {
  if (!canSeePlant(principal, input.plantId)) throw notFound('Plant');
  const [location] = await uniqueCode(
    withConstraintErrors(
      tx
        .insert(l)
        .values({ ...input, tenantId: principal.tenantId })
        .returning(locationColumns),
      parentConstraint,
    ),
  );
  if (location === undefined) throw notFound('Location');
  auditCreate(tx, 'inventory_location', location, { label: location.code, plantId: location.plantId });
  return location;
}

export async function updateLocation(
  tx: Sql,
  id: string,
  patch: Partial<Omit<LocationFields, 'plantId'>> & { isActive?: boolean | undefined },
) {
  const before = await getLocation(tx, id, true);
  if (patch.parentId != null) await refuseCycle(tx, id, patch.parentId);
  const [location] = await uniqueCode(
    withConstraintErrors(
      tx.update(l).set(patch).where(eq(l.id, id)).returning(locationColumns),
      parentConstraint,
    ),
  );
  if (location === undefined) throw notFound('Location');
  auditUpdate(tx, 'inventory_location', before, location, {
    label: location.code,
    plantId: location.plantId,
  });
  return location;
}
