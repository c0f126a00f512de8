import { sql } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import { type NamedStatement, namedRows } from '../../db/index.js';
import type { Principal } from '../../platform/index.js';

interface MeRow {
  user: { id: string; email: string; displayName: string };
  tenant: { id: string; name: string };
  roles: string[] | null;
  plants: { id: string; code: string; name: string; timezone: string }[] | null;
}

/**
 * The web client asks for the caller's profile on every page load, so the statement is named: a
 * server plans it once per connection. Row-level security limits the tenant to the caller's and the
 * plants to those in their scope.
 */
const ME: NamedStatement = {
  name: 'plantline_me',
  statement: sql`select (select json_build_object('id', u.id, 'email', u.email, 'displayName', u.display_name)
                  from users u where u.id = ${sql.placeholder('userId')}::uuid) as user,
               (select json_build_object('id', t.id, 'name', t.name) from tenants t) as tenant,
               (select json_agg(r.key order by r.key)
                  from user_roles ur join roles r on r.id = ur.role_id
                 where ur.user_id = ${sql.placeholder('userId')}::uuid) as roles,
               (select json_agg(json_build_object('id', p.id, 'code', p.code, 'name', p.name,
                                                  'timezone', p.timezone) order by p.code)
                  from plants p) as plants`,
};

/** The signed-in user as the UI needs it: who, where, which roles, what they may do and see. One statement. */
export async function describeMe(tx: Sql, principal: Principal & { userId: string }) {
  const [me] = await namedRows<MeRow>(tx, ME, { userId: principal.userId });
  return {
    user: me!.user,
    tenant: me!.tenant,
    roles: me!.roles ?? [],
    permissions: [...principal.permissions].sort(),
    plants: me!.plants ?? [],
  };
}
