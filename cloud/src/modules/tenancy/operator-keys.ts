import { randomBytes } from 'node:crypto';
import { tables } from '@plantline/schema';
import { and, asc, eq, isNull, or } from 'drizzle-orm';
import type { Database } from '../../db/index.js';
import { DomainError } from '../../platform/index.js';
import { randomToken, sha256 } from '../identity/index.js';

/*
 * Operator keys (docs/security.md, "Tenants"): the installation's operators, outside every tenant,
 * call the system API with them (http/system-api.ts). `plo_<prefix>_<secret>`; only the SHA-256 of the
 * whole key is kept, as for API keys, and the key is shown once. Made and revoked from the command line
 * (`pnpm tenant operator-key …`), as the database's owner.
 */

export interface OperatorKeySummary {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export async function createOperatorKey(db: Database, name: string): Promise<{ id: string; key: string }> {
  if (name.trim() === '') throw new DomainError('invalid', 'Name the operator key');
  const prefix = randomBytes(4).toString('hex');
  const key = `plo_${prefix}_${randomToken()}`;
  const [created] = await db.ownerTransact(null, (tx) =>
    tx
      .insert(tables.operatorKeys)
      .values({ name: name.trim(), prefix, keyHash: sha256(key) })
      .returning({ id: tables.operatorKeys.id }),
  );
  return { id: created!.id, key };
}

export async function listOperatorKeys(db: Database): Promise<OperatorKeySummary[]> {
  const keys = await db.ownerTransact(null, (tx) =>
    tx.select().from(tables.operatorKeys).orderBy(asc(tables.operatorKeys.createdAt)),
  );
  return keys.map((k) => ({
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    createdAt: k.createdAt.toISOString(),
    lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
    revokedAt: k.revokedAt?.toISOString() ?? null,
  }));
}

/** Revokes the key with this id or prefix; from the next request on it is refused. */
export async function revokeOperatorKey(db: Database, idOrPrefix: string): Promise<void> {
  const uuid = /^[0-9a-f-]{36}$/i.test(idOrPrefix);
  const revoked = await db.ownerTransact(null, (tx) =>
    tx
      .update(tables.operatorKeys)
      .set({ revokedAt: new Date() })
      .where(
        and(
          isNull(tables.operatorKeys.revokedAt),
          uuid
            ? or(eq(tables.operatorKeys.id, idOrPrefix), eq(tables.operatorKeys.prefix, idOrPrefix))
            : eq(tables.operatorKeys.prefix, idOrPrefix),
        ),
      )
      .returning({ id: tables.operatorKeys.id }),
  );
  if (revoked.length === 0)
    throw new DomainError('not_found', `No unrevoked operator key is "${idOrPrefix}"`);
}

/** The operator a presented key belongs to, or null for an unknown or revoked key. */
export async function findOperator(db: Database, key: string): Promise<{ id: string; name: string } | null> {
  const [found] = await db.ownerTransact(null, (tx) =>
    tx
      .update(tables.operatorKeys)
      .set({ lastUsedAt: new Date() })
      .where(and(eq(tables.operatorKeys.keyHash, sha256(key)), isNull(tables.operatorKeys.revokedAt)))
      .returning({ id: tables.operatorKeys.id, name: tables.operatorKeys.name }),
  );
  return found ?? null;
}
