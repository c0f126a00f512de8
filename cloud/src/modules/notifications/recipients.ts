import type { Permission } from '@plantline/schema';
import { type SQL, sql } from 'drizzle-orm';
import { rows, type Sql } from '../../db/index.js';

/**
 * Who a notification is for (docs/notifications.md, "Recipients"): users by id, the members of a role,
 * or everyone holding a permission through one of their roles. A role or permission may be narrowed to
 * a plant: then only those who reach it count (an explicit grant of the plant, or plants.all).
 */
export type Recipients =
  | { userIds: readonly string[] }
  | { role: string; plantId?: string | null }
  | { permission: Permission; plantId?: string | null };

export interface Recipient {
  userId: string;
  email: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether user `u` holds `permission` through any of their roles. */
const holds = (permission: string) => sql`exists (
  select 1 from user_roles ur
    join role_permissions rp on rp.tenant_id = ur.tenant_id and rp.role_id = ur.role_id
   where ur.tenant_id = u.tenant_id and ur.user_id = u.id and rp.permission = ${permission})`;

/** Whether user `u` reaches `plantId`: granted the plant, or every plant. */
const reaches = (plantId: string) => sql`(exists (
    select 1 from user_plant_access upa
     where upa.tenant_id = u.tenant_id and upa.user_id = u.id and upa.plant_id = ${plantId}::uuid)
  or ${holds('plants.all')})`;

/** One selector or several, as a list. */
export function selectorsOf(to: Recipients | readonly Recipients[]): readonly Recipients[] {
  return isList(to) ? to : [to];
}

function isList(to: Recipients | readonly Recipients[]): to is readonly Recipients[] {
  return Array.isArray(to);
}

function selects(to: Recipients): { who: SQL; plantId: string | null } {
  if ('userIds' in to) {
    const ids = to.userIds.filter((id) => UUID.test(id));
    return { who: sql`u.id = any(${sql.param(ids)}::uuid[])`, plantId: null };
  }
  if ('role' in to) {
    // A role is named by its key or its id; a key that looks like an id is still tried as a key.
    const byId = UUID.test(to.role) ? sql`or r.id = ${to.role}::uuid` : sql``;
    const who = sql`exists (
      select 1 from user_roles ur join roles r on r.tenant_id = ur.tenant_id and r.id = ur.role_id
       where ur.tenant_id = u.tenant_id and ur.user_id = u.id and (r.key = ${to.role} ${byId}))`;
    return { who, plantId: to.plantId ?? null };
  }
  return { who: holds(to.permission), plantId: to.plantId ?? null };
}

/**
 * The active users of the tenant in scope whom `to` names, each once, who reach `plantId` (the
 * notification's plant) as well: a notification about a plant is never sent to someone who may not
 * see that plant, since they could not open it.
 */
export async function resolveRecipients(
  tx: Sql,
  to: Recipients | readonly Recipients[],
  plantId: string | null,
): Promise<Recipient[]> {
  const selectors = selectorsOf(to);
  if (selectors.length === 0) return [];
  const anyOf = selectors.map((selector) => {
    const { who, plantId: within } = selects(selector);
    return within === null ? sql`(${who})` : sql`(${who} and ${reaches(within)})`;
  });
  const found = await rows<{ user_id: string; email: string }>(
    tx,
    sql`select u.id::text as user_id, u.email
          from users u
         where u.is_active
           and (${sql.join(anyOf, sql` or `)})
           ${plantId === null ? sql`` : sql`and ${reaches(plantId)}`}
         order by u.id`,
  );
  return found.map((r) => ({ userId: r.user_id, email: r.email }));
}
