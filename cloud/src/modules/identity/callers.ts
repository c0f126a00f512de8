import { isPermission, type Permission, tables } from '@plantline/schema';
import { eq, type SQL, sql } from 'drizzle-orm';
import { type Database, type Opening, scopeSetting } from '../../db/index.js';
import type { Principal, Scope } from '../../platform/index.js';
import { sha256 } from './secrets.js';
import {
  type NewSession,
  renewSession,
  type SessionPolicy,
  type SessionStanding,
  sessionUpkeepDue,
} from './sessions.js';

/**
 * What a request presents to say who calls: a session cookie or an API key (`Authorization: Bearer`).
 * Each call checks it in its own transaction (`callerOpening`), so a revoked session or key, a
 * deactivated user or a role that lost a permission is refused by the very next call.
 */
export type Credential = { kind: 'session'; token: string } | { kind: 'api-key'; key: string };

/** The caller a credential names, or why it names none, said to the caller. */
export type CallerCheck =
  | { kind: 'valid'; principal: Principal; upkeep: CallerUpkeep | null }
  | { kind: 'refused'; problem: string };

/** Bookkeeping a valid credential is due for, done apart from the call (`keepCallerAlive`). */
export type CallerUpkeep =
  | { kind: 'session'; standing: SessionStanding; rotate: boolean }
  | { kind: 'api-key'; apiKeyId: string; tenantId: string };

/** API keys are written last-used at most this often. */
export const KEY_TOUCH_INTERVAL_MS = 60_000;

/**
 * The first statement of a call's transaction: it finds the credential's session or key across
 * tenants (through the two functions made for it, schema/migrations/0001_security.sql), and only
 * when that is live it sets the tenant and user, reads the user's standing, roles' permissions and
 * plants (or the key's scopes and plants) within that tenant and sets the plants. One round trip.
 *
 * The materialized CTEs order the work: each runs when the next reads it, so the tenant is set
 * before anything reads under its policies. Should an engine ever read earlier, the policies would
 * hide the rows and the call would be refused, never widened (callers.test.ts pins the outcome).
 */
export function callerOpening(credential: Credential, when: CheckTime): Opening<CallerCheck> {
  return credential.kind === 'session'
    ? sessionOpening(sha256(credential.token), when)
    : apiKeyOpening(sha256(credential.key), when.now);
}

/**
 * When a credential is checked: `now`, the session policy, and whether the request's response can
 * carry a new cookie (an HTTP one), which a session's token rotation needs.
 */
export interface CheckTime {
  now: Date;
  policy: SessionPolicy;
  mayRotate: boolean;
}

/** The same check in a transaction of its own, for a caller known before any call (WebSocket, downloads). */
export function identify(db: Database, credential: Credential, when: CheckTime): Promise<CallerCheck> {
  return db.transactOpened(callerOpening(credential, when), async (_tx, found) => found);
}

/**
 * The bookkeeping a call's credential was found due for: a session's sliding expiry and token
 * rotation (sessions.ts), an API key's last use. It runs after the call's transaction, in one of its
 * own, and only when due: at most once a minute per session or key. Returns a session's new token.
 */
export async function keepCallerAlive(
  db: Database,
  upkeep: CallerUpkeep,
  credential: Credential,
  options: { policy: SessionPolicy; now: Date },
): Promise<NewSession | null> {
  const { now } = options;
  if (upkeep.kind === 'api-key') {
    await db.transact({ tenantId: upkeep.tenantId, plantIds: [] }, (tx) =>
      tx.update(tables.apiKeys).set({ lastUsedAt: now }).where(eq(tables.apiKeys.id, upkeep.apiKeyId)),
    );
    return null;
  }
  if (credential.kind !== 'session') return null;
  return renewSession(db, upkeep.standing, credential.token, options.policy, { rotate: upkeep.rotate, now });
}

interface SessionOpeningRow {
  session_id: string;
  tenant_id: string;
  user_id: string;
  is_current_token: boolean;
  rotated_at: Date | string;
  idle_expires_at: Date | string;
  absolute_expires_at: Date | string;
  live: boolean;
  active: boolean | null;
  /** False while the tenant is suspended; null when the session is not live. */
  tenant_open: boolean | null;
  /** Comma-separated, sorted: the same text for the same set (`permissionSet`). */
  permissions: string | null;
  plant_ids: string | null;
}

/** Built once: each call only fills in the token's hash and the time. */
const SESSION_OPENING = sql`
  with found as materialized (
    select s.*, (s.revoked_at is null and s.idle_expires_at > ${sql.placeholder('now')}::timestamptz
                 and s.absolute_expires_at > ${sql.placeholder('now')}::timestamptz) as live
      from plantline.auth_session(${sql.placeholder('hash')}) s
     limit 1
  ), scoped as materialized (
    select f.*,
           ${scopeSetting('tenant_id', sql`case when f.live then f.tenant_id::text else '' end`)},
           ${scopeSetting('user_id', sql`case when f.live then f.user_id::text else '' end`)}
      from found f
  ), access as materialized (
    select c.*,
           (select u.is_active from users u where c.live and u.id = c.user_id) as active,
           (select t.suspended_at is null from tenants t where c.live and t.id = c.tenant_id) as tenant_open,
           (select array_agg(distinct rp.permission collate "C")
              from user_roles ur
              join role_permissions rp on rp.tenant_id = ur.tenant_id and rp.role_id = ur.role_id
             where c.live and ur.user_id = c.user_id) as permissions,
           (select array_agg(upa.plant_id::text)
              from user_plant_access upa
             where c.live and upa.user_id = c.user_id) as plant_ids
      from scoped c
  )
  select a.session_id, a.tenant_id, a.user_id, a.is_current_token, a.rotated_at, a.idle_expires_at,
         a.absolute_expires_at, a.live, a.active, array_to_string(a.permissions, ',') as permissions,
         array_to_string(a.plant_ids, ',') as plant_ids, a.tenant_open,
         ${plantSettings(
           sql`a.live and a.active and a.tenant_open`,
           sql`'plants.all' = any(a.permissions)`,
           sql`array_to_string(a.plant_ids, ',')`,
         )}
    from access a`;

function sessionOpening(tokenHash: string, when: CheckTime): Opening<CallerCheck> {
  const { now } = when;
  return {
    statement: SESSION_OPENING,
    values: { hash: tokenHash, now },
    name: 'plantline_caller_session',
    read: (rows) => {
      const row = rows[0] as SessionOpeningRow | undefined;
      if (row === undefined) return refused('Sign in first');
      if (!row.live) return refused('Your session has expired; sign in again');
      if (row.active !== true) return refused('This account is deactivated');
      if (row.tenant_open !== true) return refused(TENANT_SUSPENDED);
      const permissions = permissionSet(row.permissions);
      const principal: Principal = {
        kind: 'user',
        tenantId: row.tenant_id,
        userId: row.user_id,
        apiKeyId: null,
        sessionId: row.session_id,
        permissions,
        plantIds: permissions.has('plants.all') ? 'all' : listOf(row.plant_ids),
      };
      const standing: SessionStanding = {
        sessionId: row.session_id,
        tenantId: row.tenant_id,
        userId: row.user_id,
        isCurrentToken: row.is_current_token,
        rotatedAt: new Date(row.rotated_at),
        idleExpiresAt: new Date(row.idle_expires_at),
        absoluteExpiresAt: new Date(row.absolute_expires_at),
      };
      const due = sessionUpkeepDue(standing, when.policy, when);
      return valid(
        principal,
        due.rotate || due.touch ? { kind: 'session', standing, rotate: due.rotate } : null,
      );
    },
  };
}

interface ApiKeyOpeningRow {
  api_key_id: string;
  tenant_id: string;
  revoked: boolean;
  expired: boolean;
  /** Comma-separated, as the session's permissions. */
  scopes: string | null;
  plant_ids: string | null;
  touch_due: boolean;
  /** False while the tenant is suspended; null when the key is not live. */
  tenant_open: boolean | null;
}

/** Built once: each call only fills in the key's hash and the time. */
const API_KEY_OPENING = sql`
  with found as materialized (
    select k.api_key_id, k.tenant_id, k.revoked_at is not null as revoked,
           (k.expires_at is not null and k.expires_at <= ${sql.placeholder('now')}::timestamptz) as expired
      from plantline.auth_api_key(${sql.placeholder('hash')}) k
     limit 1
  ), scoped as materialized (
    select f.*, (not f.revoked and not f.expired) as live,
           ${scopeSetting('tenant_id', sql`case when not f.revoked and not f.expired then f.tenant_id::text else '' end`)},
           ${scopeSetting('user_id', sql`''`)}
      from found f
  ), access as materialized (
    select c.*, array(select s from unnest(k.scopes) s order by s collate "C") as scopes,
           array(select p.plant_id::text from api_key_plants p where p.api_key_id = c.api_key_id) as plant_ids,
           (k.last_used_at is null
            or ${sql.placeholder('now')}::timestamptz - k.last_used_at > ${KEY_TOUCH_INTERVAL_MS} * interval '1 millisecond') as touch_due,
           (select t.suspended_at is null from tenants t where c.live and t.id = c.tenant_id) as tenant_open
      from scoped c
      left join lateral (select * from api_keys k where c.live and k.id = c.api_key_id) k on true
  )
  select a.api_key_id, a.tenant_id, a.revoked, a.expired, array_to_string(a.scopes, ',') as scopes,
         array_to_string(a.plant_ids, ',') as plant_ids, a.touch_due, a.tenant_open,
         ${plantSettings(sql`a.live and a.tenant_open`, sql`false`, sql`array_to_string(a.plant_ids, ',')`)}
    from access a`;

function apiKeyOpening(keyHash: string, now: Date): Opening<CallerCheck> {
  return {
    statement: API_KEY_OPENING,
    values: { hash: keyHash, now },
    name: 'plantline_caller_api_key',
    read: (rows) => {
      const row = rows[0] as ApiKeyOpeningRow | undefined;
      if (row === undefined) return refused('API key not recognised');
      if (row.revoked) return refused('API key has been revoked');
      if (row.expired) return refused('API key has expired');
      if (row.tenant_open !== true) return refused(TENANT_SUSPENDED);
      const principal: Principal = {
        kind: 'api-key',
        tenantId: row.tenant_id,
        userId: null,
        apiKeyId: row.api_key_id,
        sessionId: null,
        permissions: permissionSet(row.scopes),
        plantIds: listOf(row.plant_ids),
      };
      const upkeep: CallerUpkeep | null = row.touch_due
        ? { kind: 'api-key', apiKeyId: row.api_key_id, tenantId: row.tenant_id }
        : null;
      return valid(principal, upkeep);
    },
  };
}

/**
 * The permissions a comma-separated, sorted list names, known to the catalogue. A caller's list is
 * the same text on every call while their roles stay as they are, so its set is built once and
 * shared (callers only read it); the text itself is read afresh by every call's opening statement.
 */
function permissionSet(list: string | null): ReadonlySet<Permission> {
  const key = list ?? '';
  let set = permissionSets.get(key);
  if (set === undefined) {
    set = new Set(listOf(list).filter(isPermission));
    // Bounded by the distinct lists in use, which are few; a flood of them only rebuilds sets.
    if (permissionSets.size >= PERMISSION_SETS_KEPT) permissionSets.clear();
    permissionSets.set(key, set);
  }
  return set;
}

const permissionSets = new Map<string, ReadonlySet<Permission>>();
const PERMISSION_SETS_KEPT = 1000;

function listOf(list: string | null): string[] {
  return list === null || list === '' ? [] : list.split(',');
}

/** The plants' settings, set only for a caller that may work (`allowed`); otherwise no plant at all. */
function plantSettings(allowed: SQL, allPlants: SQL, plantIds: SQL): SQL {
  return sql`${scopeSetting('plant_ids', sql`case when ${allowed} and not ${allPlants} then coalesce(${plantIds}, '') else '' end`)},
    ${scopeSetting('all_plants', sql`case when ${allowed} and ${allPlants} then 'on' else 'off' end`)}`;
}

/** What every caller of a suspended tenant hears (docs/security.md, "Tenants"). */
export const TENANT_SUSPENDED = 'This tenant is suspended; ask your Plantline operator';

function valid(principal: Principal, upkeep: CallerUpkeep | null): { found: CallerCheck; scope: Scope } {
  const scope: Scope = {
    tenantId: principal.tenantId,
    userId: principal.userId,
    plantIds: principal.plantIds,
  };
  return { found: { kind: 'valid', principal, upkeep }, scope };
}

function refused(problem: string): { found: CallerCheck; scope: null } {
  return { found: { kind: 'refused', problem }, scope: null };
}
