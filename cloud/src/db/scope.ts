import { type SQL, sql } from 'drizzle-orm';
import { openAuditTrail, sealAuditTrail } from '../platform/audit-trail.js';
import type { Scope } from '../platform/index.js';
import type { Opening, ScopedWork, Sql } from './database.js';
import { namedRows } from './named.js';
import { rows } from './rows.js';
import type { FirstStatement } from './server-transaction.js';

export const APP_ROLE = 'plantline_app';

/**
 * The statement that opens every scoped transaction: optionally drop to the application role and
 * set the request scope read by the policies (schema/migrations/0001_security.sql). All settings
 * are transaction-local (`is_local = true`), so nothing leaks to the next user of a pooled
 * connection. Built once per role, named, with the scope's values as placeholders.
 */
export function scopeStatement(scope: Scope | null, role: typeof APP_ROLE | null): FirstStatement {
  return {
    ...(role === null ? OWNER_SCOPE : APP_SCOPE),
    values: {
      tenantId: scope?.tenantId ?? '',
      userId: scope?.userId ?? '',
      plantIds: scope === null || scope.plantIds === 'all' ? '' : scope.plantIds.join(','),
      allPlants: scope?.plantIds === 'all' ? 'on' : 'off',
    },
  };
}

function scopeSettings(setRole: SQL): SQL {
  return sql`select ${setRole}
    set_config('plantline.tenant_id', ${sql.placeholder('tenantId')}, true),
    set_config('plantline.user_id', ${sql.placeholder('userId')}, true),
    set_config('plantline.plant_ids', ${sql.placeholder('plantIds')}, true),
    set_config('plantline.all_plants', ${sql.placeholder('allPlants')}, true)`;
}

const APP_SCOPE = {
  name: 'plantline_scope',
  statement: scopeSettings(sql`set_config('role', ${APP_ROLE}, true),`),
};
const OWNER_SCOPE = { name: 'plantline_owner_scope', statement: scopeSettings(sql``) };

/** A scope setting an opening statement (database.ts, `Opening`) computes from what it reads. */
export type ScopeSetting = 'tenant_id' | 'user_id' | 'plant_ids' | 'all_plants';

/**
 * `set_config` of one scope setting, transaction-local, for an opening statement's select list. The
 * role comes with the tenant: whatever reads the tenant's rows after it runs as plantline_app.
 */
export function scopeSetting(setting: ScopeSetting, value: SQL): SQL {
  const config = `plantline.${setting}`;
  const setRole =
    setting === 'tenant_id' ? sql`set_config('role', ${APP_ROLE}, true) as scope_role, ` : sql``;
  return sql`${setRole}set_config(${config}, ${value}, true) as ${sql.identifier(`scope_${setting}`)}`;
}

/**
 * The body of a transaction opened by a statement that sets its own scope (`Opening`): the statement,
 * then the work with what it found, then the audit entries, sealed as in `runScoped`.
 */
export async function runOpened<Found, T>(
  tx: Sql,
  opening: Opening<Found>,
  work: (tx: Sql, found: Found) => Promise<T>,
): Promise<T> {
  const rows = await namedRows<Record<string, unknown>>(tx, opening, opening.values);
  return finishOpened(tx, opening, rows, work);
}

/** The rest of an opened transaction once its opening statement's rows are in. */
export async function finishOpened<Found, T>(
  tx: Sql,
  opening: Opening<Found>,
  rows: Record<string, unknown>[],
  work: (tx: Sql, found: Found) => Promise<T>,
): Promise<T> {
  const { found, scope } = opening.read(rows);
  openAuditTrail(tx, scope);
  const result = await work(tx, found);
  await sealAuditTrail(tx);
  return result;
}

/**
 * The body of every transaction either engine opens: the scope first, then the work, then the audit
 * entries the work recorded, sealed into the tenant's chain as the last statements before commit.
 */
export async function runScoped<T>(
  tx: Sql,
  scope: Scope | null,
  role: typeof APP_ROLE | null,
  work: ScopedWork<T>,
): Promise<T> {
  const statement = scopeStatement(scope, role);
  await namedRows(tx, statement, statement.values);
  return finishScoped(tx, scope, work);
}

/** The rest of a scoped transaction once its scope is set. */
export async function finishScoped<T>(tx: Sql, scope: Scope | null, work: ScopedWork<T>): Promise<T> {
  openAuditTrail(tx, scope);
  const result = await work(tx);
  await sealAuditTrail(tx);
  return result;
}

/**
 * Runs `work` with `plantIds` added to the transaction's plant scope, then puts the scope back. For an
 * act that belongs to two plants by a rule the caller's module has already checked — a transfer's
 * receipt takes its goods out of the sending plant's transit (docs/materials.md, "Transfers between
 * plants") — and for nothing else. A caller who reaches every plant is left as it is.
 */
export async function withPlantsInScope<T>(tx: Sql, plantIds: readonly string[], work: () => Promise<T>) {
  const [scope] = await rows<{ plantIds: string; all: string }>(
    tx,
    sql`select current_setting('plantline.plant_ids', true) as "plantIds",
               current_setting('plantline.all_plants', true) as "all"`,
  );
  const before = scope?.plantIds ?? '';
  if (scope?.all === 'on') return work();
  const widened = [...new Set([...before.split(',').filter((id) => id !== ''), ...plantIds])].join(',');
  const restore = () => tx.execute(sql`select set_config('plantline.plant_ids', ${before}, true)`);
  await tx.execute(sql`select set_config('plantline.plant_ids', ${widened}, true)`);
  let result: T;
  try {
    result = await work();
  } catch (error) {
    // A refusal the caller catches leaves the transaction going: it must go on in its own scope. After
    // a database error the transaction is aborted and the restore fails with it, which changes nothing.
    await restore().catch(() => undefined);
    throw error;
  }
  await restore();
  return result;
}
