import { tables } from '@plantline/schema';
import { asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/index.js';
import { type TestDatabase, testEngines } from '../testing/engines.js';
import { createTwoTenants } from '../testing/tenants.js';
import { auditEntryHash, GENESIS_HASH } from './audit-chain.js';
import { audit, describeAuditCaller } from './audit-trail.js';

/*
 * The writer's side of the audit chain (docs/audit.md): entries are sealed in the transaction that
 * records them, numbered without gaps per tenant, each hash following the previous one, and a
 * rolled-back change leaves no entry.
 */
describe.each(testEngines)('audit trail on the $name engine', (engine) => {
  let test: TestDatabase;
  let db: Database;
  let tenants: Awaited<ReturnType<typeof createTwoTenants>>;

  beforeAll(async () => {
    test = await engine.create();
    db = test.db;
    tenants = await createTwoTenants(db);
  });
  afterAll(() => test?.drop());

  const scopeOf = (t: 'a' | 'b') => ({
    tenantId: tenants[t].tenantId,
    userId: tenants[t].adminUserId,
    plantIds: 'all' as const,
  });
  const chain = (t: 'a' | 'b') =>
    db.transact(scopeOf(t), (tx) => tx.select().from(tables.auditLog).orderBy(asc(tables.auditLog.seq)));

  it('seals entries into a gap-free chain whose hashes recompute', async () => {
    const before = (await chain('a')).length;
    await db.transact(scopeOf('a'), async (tx) => {
      describeAuditCaller(tx, {
        actor: { kind: 'user', userId: tenants.a.adminUserId, apiKeyId: null, onBehalfOfUserId: null },
        requestId: 'req-1',
        clientAddress: '10.0.0.9',
        reason: 'Typo in the name',
      });
      audit(tx, {
        action: 'role.update',
        entityType: 'role',
        entityId: 'r-1',
        entityLabel: 'Lead',
        before: { name: 'Lead', description: 'same' },
        after: { name: 'Line lead', description: 'same' },
      });
      audit(tx, { action: 'role.create', entityType: 'role', entityId: 'r-2', after: { name: 'New' } });
      // Nothing changed: nothing to record.
      audit(tx, {
        action: 'role.update',
        entityType: 'role',
        entityId: 'r-3',
        before: { a: 1 },
        after: { a: 1 },
      });
    });
    const entries = await chain('a');
    expect(entries).toHaveLength(before + 2);
    let prev = GENESIS_HASH;
    entries.forEach((entry, index) => {
      expect(entry.seq).toBe(index + 1);
      expect(entry.prevHash).toBe(prev);
      const { hash, prevHash: _, changesText: __, recordedAt, ...content } = entry;
      expect(auditEntryHash(prev, { ...content, recordedAt: recordedAt.toISOString() })).toBe(hash);
      prev = hash;
    });
    const update = entries.at(-2)!;
    expect(update).toMatchObject({
      action: 'role.update',
      actorName: 'Admin A',
      oldValues: { name: 'Lead' },
      newValues: { name: 'Line lead' },
      reason: 'Typo in the name',
      requestId: 'req-1',
      clientAddress: '10.0.0.9',
    });
    const [head] = await db.transact(scopeOf('a'), (tx) =>
      tx.select().from(tables.auditChainHeads).where(eq(tables.auditChainHeads.tenantId, tenants.a.tenantId)),
    );
    expect(head).toMatchObject({ seq: entries.length, headHash: prev });
  });

  it('leaves nothing of a rolled-back change, and keeps tenants on chains of their own', async () => {
    const before = (await chain('b')).length;
    await expect(
      db.transact(scopeOf('b'), async (tx) => {
        audit(tx, { action: 'plant.create', entityType: 'plant', entityId: 'p', after: { code: 'X' } });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await chain('b')).toHaveLength(before);
    await db.transact(scopeOf('b'), async (tx) => {
      audit(tx, { action: 'plant.create', entityType: 'plant', entityId: 'p', after: { code: 'X' } });
    });
    const entries = await chain('b');
    expect(entries.at(-1)).toMatchObject({ seq: before + 1, actorKind: 'user', actorName: 'Admin B' });
  });

  it('asks for a reason for changes and deletions when the tenant requires one', async () => {
    await db.ownerTransact(scopeOf('b'), (tx) =>
      tx.insert(tables.systemSettings).values({
        tenantId: tenants.b.tenantId,
        settings: { audit: { reasonRequired: true } },
      }),
    );
    const change = {
      action: 'role.update',
      entityType: 'role',
      entityId: 'r',
      before: { n: 1 },
      after: { n: 2 },
    };
    await expect(db.transact(scopeOf('b'), async (tx) => audit(tx, change))).rejects.toThrow(/reason/);
    // A creation needs none; a change with a reason passes.
    await db.transact(scopeOf('b'), async (tx) => audit(tx, { ...change, before: null }));
    await db.transact(scopeOf('b'), async (tx) => audit(tx, { ...change, reason: 'Corrected' }));
    expect((await chain('b')).at(-1)).toMatchObject({ reason: 'Corrected' });
  });

  it('numbers concurrent writers of one tenant without gaps or forks', async () => {
    const writers = engine.name === 'server' ? 8 : 1;
    const perWriter = 10;
    await Promise.all(
      Array.from({ length: writers }, (_, w) =>
        (async () => {
          for (let i = 0; i < perWriter; i++) {
            await db.transact(scopeOf('a'), async (tx) => {
              await tx.execute(sql`select pg_sleep(0.001)`);
              audit(tx, { action: 'test.write', entityType: 'test', entityId: `${w}-${i}`, after: { i } });
            });
          }
        })(),
      ),
    );
    const entries = await chain('a');
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
    for (let i = 1; i < entries.length; i++) expect(entries[i]!.prevHash).toBe(entries[i - 1]!.hash);
  });

  it('refuses changes to written entries, even by the owner', async () => {
    await expect(
      db.transact(scopeOf('a'), (tx) => tx.execute(sql`update audit_log set reason = 'x'`)),
    ).rejects.toThrow();
    const refused = { cause: { message: expect.stringMatching(/audit_log is append-only/) } };
    for (const statement of [sql`delete from audit_log`, sql`truncate audit_log`]) {
      await expect(db.ownerTransact(scopeOf('a'), (tx) => tx.execute(statement))).rejects.toMatchObject(
        refused,
      );
    }
  });
});
