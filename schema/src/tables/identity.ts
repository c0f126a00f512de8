import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  foreignKey,
  index,
  inet,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAtColumn, idColumn } from './columns.js';

/*
 * Identity and tenancy (docs/security.md, "Tenancy"). Every table but `tenants` and the global
 * `permissions` catalogue carries tenant_id. References between tenant tables are composite
 * (tenant_id, id) foreign keys: a foreign-key check bypasses row-level security, so a plain
 * reference would let a row of tenant A point at a row of tenant B.
 */

export const tenants = pgTable('tenants', {
  id: idColumn(),
  name: text('name').notNull(),
  slug: text('slug').notNull().unique(),
  createdAt: createdAtColumn(),
  /**
   * Set by the operator (`pnpm tenant suspend`, docs/security.md, "Tenants"): the tenant's sessions, keys and
   * sign-ins are refused while it is set. The application role cannot write it (0042).
   */
  suspendedAt: timestamp('suspended_at', { withTimezone: true }),
  suspendedReason: text('suspended_reason'),
});

export const plants = pgTable(
  'plants',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    code: text('code').notNull(),
    name: text('name').notNull(),
    timezone: text('timezone').notNull().default('UTC'),
    /** The ship-from address on logistic labels and delivery notes (docs/labels.md). */
    street: text('street').notNull().default(''),
    postalCode: text('postal_code').notNull().default(''),
    city: text('city').notNull().default(''),
    /** ISO 3166-1 alpha-2, or empty while not set. */
    country: text('country').notNull().default(''),
    /** The plant's Global Location Number (13 digits, GS1 check digit checked by the API). */
    gln: text('gln'),
    createdAt: createdAtColumn(),
  },
  (t) => [
    unique('plants_tenant_id_id_key').on(t.tenantId, t.id),
    unique('plants_tenant_code_key').on(t.tenantId, t.code),
    check('plants_gln_check', sql`${t.gln} is null or ${t.gln} ~ '^[0-9]{13}$'`),
  ],
);

export const users = pgTable(
  'users',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    displayName: text('display_name').notNull(),
    passwordHash: text('password_hash').notNull(),
    isActive: boolean('is_active').notNull().default(true),
    lastLoginAt: timestamp('last_login_at', { withTimezone: true }),
    createdAt: createdAtColumn(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('users_tenant_id_id_key').on(t.tenantId, t.id),
    // Sign-in asks for an email only, so an address names one account across all tenants.
    uniqueIndex('users_email_key').on(sql`lower(${t.email})`),
  ],
);

export const sessions = pgTable(
  'sessions',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id').notNull(),
    userId: uuid('user_id').notNull(),
    // Only the SHA-256 of the cookie value is stored: a leaked table cannot be replayed.
    tokenHash: text('token_hash').notNull().unique(),
    // After rotation the previous token stays valid for a few seconds so that requests
    // already in flight with the old cookie do not sign the user out.
    previousTokenHash: text('previous_token_hash').unique(),
    previousValidUntil: timestamp('previous_valid_until', { withTimezone: true }),
    createdAt: createdAtColumn(),
    rotatedAt: timestamp('rotated_at', { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    idleExpiresAt: timestamp('idle_expires_at', { withTimezone: true }).notNull(),
    absoluteExpiresAt: timestamp('absolute_expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    /**
     * The last electronic signature made in this session with both identification components
     * (21 CFR 11.200(a)(1)(i)): while it is recent, a further signing needs the password only.
     */
    signingVerifiedAt: timestamp('signing_verified_at', { withTimezone: true }),
    ipAddress: inet('ip_address'),
    userAgent: text('user_agent'),
  },
  (t) => [
    foreignKey({
      name: 'sessions_user_fk',
      columns: [t.tenantId, t.userId],
      foreignColumns: [users.tenantId, users.id],
    }).onDelete('cascade'),
    index('sessions_tenant_user_idx').on(t.tenantId, t.userId),
  ],
);

/**
 * Sign-in attempts counted against the limits (docs/security.md, "Sign-in"), shared by every cloud
 * instance on a PostgreSQL server: one row per attempt and limit it counts against. `keyHash` is the
 * SHA-256 of the limit's key (an account, an address, or both), so the table holds no email or
 * address. Not a tenant table: attempts are counted before anyone knows the tenant.
 */
export const loginAttempts = pgTable(
  'login_attempts',
  {
    id: idColumn(),
    keyHash: text('key_hash').notNull(),
    /** The attempt a success takes back; one attempt has a row per limit. */
    attemptId: uuid('attempt_id').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [index('login_attempts_key_at_idx').on(t.keyHash, t.at), index('login_attempts_at_idx').on(t.at)],
);

/** The permission catalogue, synchronised from code at every migration run (see permissions.ts). */
export const permissions = pgTable('permissions', {
  key: text('key').primaryKey(),
  area: text('area').notNull(),
  description: text('description').notNull(),
});

export const roles = pgTable(
  'roles',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    builtin: boolean('builtin').notNull().default(false),
    createdAt: createdAtColumn(),
  },
  (t) => [
    unique('roles_tenant_id_id_key').on(t.tenantId, t.id),
    unique('roles_tenant_key_key').on(t.tenantId, t.key),
  ],
);

export const rolePermissions = pgTable(
  'role_permissions',
  {
    tenantId: uuid('tenant_id').notNull(),
    roleId: uuid('role_id').notNull(),
    permission: text('permission')
      .notNull()
      .references(() => permissions.key, { onDelete: 'cascade' }),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.roleId, t.permission] }),
    foreignKey({
      name: 'role_permissions_role_fk',
      columns: [t.tenantId, t.roleId],
      foreignColumns: [roles.tenantId, roles.id],
    }).onDelete('cascade'),
    index('role_permissions_permission_idx').on(t.permission),
  ],
);

/**
 * The permissions each built-in role of a tenant has been offered: a permission new in the catalogue
 * is granted to the built-in roles that define it once, and never again after a tenant removed it
 * (cloud/src/db/builtin-roles.ts).
 */
export const rolePermissionOffers = pgTable(
  'role_permission_offers',
  {
    tenantId: uuid('tenant_id').notNull(),
    roleId: uuid('role_id').notNull(),
    permission: text('permission')
      .notNull()
      .references(() => permissions.key, { onDelete: 'cascade' }),
    offeredAt: timestamp('offered_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.roleId, t.permission] }),
    foreignKey({
      name: 'role_permission_offers_role_fk',
      columns: [t.tenantId, t.roleId],
      foreignColumns: [roles.tenantId, roles.id],
    }).onDelete('cascade'),
    index('role_permission_offers_permission_idx').on(t.permission),
  ],
);

export const userRoles = pgTable(
  'user_roles',
  {
    tenantId: uuid('tenant_id').notNull(),
    userId: uuid('user_id').notNull(),
    roleId: uuid('role_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.userId, t.roleId] }),
    foreignKey({
      name: 'user_roles_user_fk',
      columns: [t.tenantId, t.userId],
      foreignColumns: [users.tenantId, users.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'user_roles_role_fk',
      columns: [t.tenantId, t.roleId],
      foreignColumns: [roles.tenantId, roles.id],
    }).onDelete('cascade'),
    index('user_roles_role_idx').on(t.tenantId, t.roleId),
  ],
);

export const userPlantAccess = pgTable(
  'user_plant_access',
  {
    tenantId: uuid('tenant_id').notNull(),
    userId: uuid('user_id').notNull(),
    plantId: uuid('plant_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.userId, t.plantId] }),
    foreignKey({
      name: 'user_plant_access_user_fk',
      columns: [t.tenantId, t.userId],
      foreignColumns: [users.tenantId, users.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'user_plant_access_plant_fk',
      columns: [t.tenantId, t.plantId],
      foreignColumns: [plants.tenantId, plants.id],
    }).onDelete('cascade'),
    index('user_plant_access_plant_idx').on(t.tenantId, t.plantId),
  ],
);

export const apiKeys = pgTable(
  'api_keys',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    // The visible part of the key, used to identify it in lists; the secret is only hashed.
    prefix: text('prefix').notNull().unique(),
    keyHash: text('key_hash').notNull().unique(),
    scopes: text('scopes').array().notNull(),
    createdBy: uuid('created_by'),
    createdAt: createdAtColumn(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    unique('api_keys_tenant_id_id_key').on(t.tenantId, t.id),
    foreignKey({
      name: 'api_keys_created_by_fk',
      columns: [t.tenantId, t.createdBy],
      foreignColumns: [users.tenantId, users.id],
    }),
    index('api_keys_created_by_idx').on(t.tenantId, t.createdBy),
  ],
);

export const apiKeyPlants = pgTable(
  'api_key_plants',
  {
    tenantId: uuid('tenant_id').notNull(),
    apiKeyId: uuid('api_key_id').notNull(),
    plantId: uuid('plant_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.apiKeyId, t.plantId] }),
    foreignKey({
      name: 'api_key_plants_key_fk',
      columns: [t.tenantId, t.apiKeyId],
      foreignColumns: [apiKeys.tenantId, apiKeys.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'api_key_plants_plant_fk',
      columns: [t.tenantId, t.plantId],
      foreignColumns: [plants.tenantId, plants.id],
    }).onDelete('cascade'),
    index('api_key_plants_plant_idx').on(t.tenantId, t.plantId),
  ],
);

/**
 * Keys of the installation's operators, outside every tenant (docs/security.md, "Tenants"): they call
 * the system API that creates, lists, suspends and resumes tenants. Like API keys, only the SHA-256
 * of the key is stored. The application role may not read them (0043): they are looked up as owner.
 */
export const operatorKeys = pgTable('operator_keys', {
  id: idColumn(),
  name: text('name').notNull(),
  // The visible part of the key, which names it in lists; the secret is only hashed.
  prefix: text('prefix').notNull().unique(),
  keyHash: text('key_hash').notNull().unique(),
  createdAt: createdAtColumn(),
  lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
});
