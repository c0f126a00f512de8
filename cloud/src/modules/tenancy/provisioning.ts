import { tables } from '@plantline/schema';
import { asc, eq, sql } from 'drizzle-orm';
import { type Database, rows } from '../../db/index.js';
import { audit, DomainError, type EventBus } from '../../platform/index.js';

/*
 * The operator's side of tenancy (docs/security.md, "Tenants"): list the tenants of an installation,
 * suspend one and lift the suspension. These run as the database owner, across tenants, from the
 * `pnpm tenant` command line; no tenant's user can reach them (the application role cannot write
 * `tenants`, migration 0042). Each change is an entry in the tenant's own audit trail, by the system.
 */

export interface TenantSummary {
  id: string;
  slug: string;
  name: string;
  createdAt: string;
  suspendedAt: string | null;
  suspendedReason: string | null;
  plants: string[];
  users: number;
}

/** Every tenant (or the one with `slug`), by slug, with its plants' codes and how many active users it has. */
export async function listTenants(db: Database, only: { slug?: string } = {}): Promise<TenantSummary[]> {
  const tenants = await db.ownerTransact(null, (tx) =>
    tx
      .select({
        id: tables.tenants.id,
        slug: tables.tenants.slug,
        name: tables.tenants.name,
        createdAt: tables.tenants.createdAt,
        suspendedAt: tables.tenants.suspendedAt,
        suspendedReason: tables.tenants.suspendedReason,
      })
      .from(tables.tenants)
      .where(only.slug === undefined ? undefined : eq(tables.tenants.slug, only.slug))
      .orderBy(asc(tables.tenants.slug)),
  );
  const summaries: TenantSummary[] = [];
  // The forced policies show plants and users only inside their tenant's scope (an owner that is a
  // superuser sees through them, hence the tenant named again): one look per tenant.
  for (const tenant of tenants) {
    const [counts] = await db.ownerTransact({ tenantId: tenant.id, plantIds: 'all' }, (tx) =>
      rows<{ plants: string[] | null; users: number }>(
        tx,
        sql`select (select array_agg(code order by code) from plants where tenant_id = ${tenant.id}) as plants,
                   (select count(*)::int from users where tenant_id = ${tenant.id} and is_active) as users`,
      ),
    );
    summaries.push({
      ...tenant,
      createdAt: tenant.createdAt.toISOString(),
      suspendedAt: tenant.suspendedAt?.toISOString() ?? null,
      plants: counts?.plants ?? [],
      users: counts?.users ?? 0,
    });
  }
  return summaries;
}

/**
 * Suspends a tenant: from the next call on, its sessions, API keys and edge keys are refused and its
 * users cannot sign in; live subscriptions end at their next access check (at once on this process
 * when `bus` is given). Its data stays as it is. Suspending a suspended tenant changes nothing.
 */
export async function suspendTenant(
  db: Database,
  slug: string,
  reason: string,
  bus?: EventBus,
): Promise<TenantSummary> {
  if (reason.trim() === '') throw new DomainError('invalid', 'Say why the tenant is suspended');
  const tenantId = await tenantIdOf(db, slug);
  await db.ownerTransact({ tenantId, plantIds: 'all' }, async (tx) => {
    const [changed] = await tx
      .update(tables.tenants)
      .set({ suspendedAt: new Date(), suspendedReason: reason.trim() })
      .where(sql`${tables.tenants.id} = ${tenantId} and ${tables.tenants.suspendedAt} is null`)
      .returning({ name: tables.tenants.name });
    if (changed === undefined) return;
    audit(tx, {
      action: 'tenant.suspend',
      entityType: 'tenant',
      entityId: tenantId,
      entityLabel: changed.name,
      before: { suspended: false },
      after: { suspended: true, reason: reason.trim() },
    });
  });
  bus?.emit('access.changed', { tenantId, of: 'everyone' });
  return tenantSummary(db, slug);
}

/** Lifts a suspension: the tenant's unexpired sessions and keys work again. */
export async function resumeTenant(db: Database, slug: string): Promise<TenantSummary> {
  const tenantId = await tenantIdOf(db, slug);
  await db.ownerTransact({ tenantId, plantIds: 'all' }, async (tx) => {
    const [before] = await tx
      .select({ name: tables.tenants.name, reason: tables.tenants.suspendedReason })
      .from(tables.tenants)
      .where(sql`${tables.tenants.id} = ${tenantId} and ${tables.tenants.suspendedAt} is not null`);
    if (before === undefined) return;
    await tx
      .update(tables.tenants)
      .set({ suspendedAt: null, suspendedReason: null })
      .where(eq(tables.tenants.id, tenantId));
    audit(tx, {
      action: 'tenant.resume',
      entityType: 'tenant',
      entityId: tenantId,
      entityLabel: before.name,
      before: { suspended: true, reason: before.reason },
      after: { suspended: false },
    });
  });
  return tenantSummary(db, slug);
}

async function tenantIdOf(db: Database, slug: string): Promise<string> {
  const [tenant] = await db.ownerTransact(null, (tx) =>
    tx.select({ id: tables.tenants.id }).from(tables.tenants).where(eq(tables.tenants.slug, slug)),
  );
  if (tenant === undefined) throw new DomainError('not_found', `No tenant has the slug "${slug}"`);
  return tenant.id;
}

/** One tenant's summary; not_found for an unknown slug. */
export async function tenantSummary(db: Database, slug: string): Promise<TenantSummary> {
  const [found] = await listTenants(db, { slug });
  if (found === undefined) throw new DomainError('not_found', `No tenant has the slug "${slug}"`);
  return found;
}
