import { BUILTIN_ROLES_HASH_KEY, readTenantSettings, type TenantSettings, tables } from '@plantline/schema';
import { and, eq, sql } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import { audit, DomainError, type Principal } from '../../platform/index.js';
import {
  AUDIT_RETENTION_FLOOR_DAYS,
  applySettingsPatch,
  flatSettings,
  namesNoSetting,
  retentionFloorMessage,
  type SettingsPatch,
  sameSettings,
  staleVersionMessage,
} from './settings-rules.js';

/*
 * The tenant's settings (docs/settings.md): one document per tenant in system_settings, complete
 * with defaults when read, saved with optimistic concurrency and audited like any other change.
 */

/** The settings with the facts an editor needs: the version to save against, who saved last. */
export interface SettingsRecord {
  settings: TenantSettings;
  /** 0 until the tenant first saves; each save raises it by one. */
  version: number;
  updatedAt: Date | null;
  /** The name of the user who saved last; null before the first save or when an API key did. */
  updatedBy: string | null;
  /** What the editor checks before sending: the shortest audit retention and why. */
  rules: { auditRetentionMinDays: number; auditRetentionMinReason: string };
}

const rules = {
  auditRetentionMinDays: AUDIT_RETENTION_FLOOR_DAYS,
  auditRetentionMinReason: retentionFloorMessage,
};

/** The transaction's tenant's settings, complete with defaults: what other modules read. */
export async function tenantSettings(tx: Sql): Promise<TenantSettings> {
  const [row] = await tx
    .select({ settings: tables.systemSettings.settings })
    .from(tables.systemSettings)
    .where(ofThisTenant);
  return readTenantSettings(row?.settings);
}

const ofThisTenant = eq(tables.systemSettings.tenantId, sql`plantline.current_tenant_id()`);

export async function readSettingsRecord(tx: Sql): Promise<SettingsRecord> {
  const [row] = await tx
    .select({
      settings: tables.systemSettings.settings,
      version: tables.systemSettings.version,
      updatedAt: tables.systemSettings.updatedAt,
      updatedBy: tables.users.displayName,
    })
    .from(tables.systemSettings)
    .leftJoin(tables.users, eq(tables.users.id, tables.systemSettings.updatedBy))
    .where(ofThisTenant);
  // No row, or one Plantline keeps only its own keys in (version 0): never saved by anyone.
  if (row === undefined || row.version === 0) {
    return {
      settings: readTenantSettings(row?.settings),
      version: 0,
      updatedAt: null,
      updatedBy: null,
      rules,
    };
  }
  return { ...row, settings: readTenantSettings(row.settings), rules };
}

export interface SettingsUpdate {
  /** The version the change was made from (SettingsRecord.version). */
  version: number;
  patch: SettingsPatch;
  /** The reason the caller gave for the change, if any. */
  reason: string | null;
}

/**
 * Saves a change made from `version`; a save from an older one is refused, naming who changed the
 * settings since, so two administrators editing at once never overwrite each other unseen.
 */
export async function updateSettings(
  tx: Sql,
  caller: Pick<Principal, 'tenantId' | 'userId'>,
  { version, patch, reason }: SettingsUpdate,
): Promise<SettingsRecord> {
  if (namesNoSetting(patch)) throw new DomainError('invalid', 'Nothing to change');
  const current = await readSettingsRecord(tx);
  if (version !== current.version) throw new DomainError('conflict', staleVersionMessage(current));
  const next = applySettingsPatch(current.settings, patch);
  if (sameSettings(current.settings, next)) return current;
  // The audit writer checks the rule as it stands when the change commits, so switching it off would
  // pass unexplained; a tenant that requires reasons requires one for that too (EU GMP Annex 11 §9).
  if (current.settings.audit.reasonRequired && (reason ?? '').trim() === '') {
    throw new DomainError('invalid', 'Give a reason for this change: this tenant requires one', {
      reason: 'Required',
    });
  }
  const stored = tables.systemSettings;
  // The settings as saved, keeping the key Plantline keeps beside them (BUILTIN_ROLES_HASH_KEY).
  const settings = sql`${JSON.stringify(next)}::jsonb || jsonb_strip_nulls(jsonb_build_object(
    ${BUILTIN_ROLES_HASH_KEY}::text, ${stored.settings} -> ${BUILTIN_ROLES_HASH_KEY}::text))`;
  const saved = { updatedAt: sql`now()`, updatedBy: caller.userId ?? null };
  const written =
    current.version === 0
      ? await tx
          .insert(stored)
          .values({ tenantId: caller.tenantId, version: 1, settings: next, ...saved })
          .onConflictDoUpdate({
            target: stored.tenantId,
            set: { settings, version: 1, ...saved },
            setWhere: eq(stored.version, 0),
          })
          .returning({ version: stored.version })
      : await tx
          .update(stored)
          .set({ settings, version: current.version + 1, ...saved })
          .where(and(ofThisTenant, eq(stored.version, current.version)))
          .returning({ version: stored.version });
  // Another save committed between our read and our write (it held the row until then).
  if (written.length === 0) {
    throw new DomainError('conflict', staleVersionMessage(await readSettingsRecord(tx)));
  }
  audit(tx, {
    action: 'settings.update',
    entityType: 'settings',
    entityId: caller.tenantId,
    entityLabel: 'Tenant settings',
    before: flatSettings(current.settings),
    after: flatSettings(next),
  });
  return readSettingsRecord(tx);
}
