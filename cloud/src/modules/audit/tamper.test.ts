import { tables } from '@plantline/schema';
import { and, asc, eq, gte, type SQL, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Sql } from '../../db/index.js';
import { type AuditEntryContent, audit, auditEntryHash } from '../../platform/index.js';
import { type ApiClient, signIn } from '../../testing/api.js';
import { type TestServer, useTestApp } from '../../testing/app.js';
import { type TestDatabase, testEngines } from '../../testing/engines.js';
import { TEST_PASSWORD } from '../../testing/tenants.js';
import { createTenant } from '../tenancy/index.js';

/*
 * Tampering with the trail as the database owner, with the append-only triggers switched off — what
 * only a superuser or the schema's owner can do — and what verification says about it
 * (docs/audit.md, "What proves what"). Each case gets a tenant of its own, so its chain is fresh.
 */

const { auditLog, auditChainHeads } = tables;

describe.each(testEngines)('tampering with the audit trail ($name engine)', (engine) => {
  const app = useTestApp(engine);
  let database: TestDatabase;
  let server: TestServer;

  beforeAll(() => {
    ({ database, server } = app);
  });

  interface Victim {
    tenantId: string;
    admin: ApiClient;
    /** The seq of the i-th of the twelve entries written (0-based). */
    seq(i: number): number;
    head(): number;
  }

  /** A new tenant whose chain holds (at least) twelve audited changes, and its signed-in admin. */
  async function victim(): Promise<Victim> {
    const code = Math.random().toString(36).slice(2, 8);
    const email = `admin-${code}@tamper.plantline.local`;
    const created = await createTenant(database.db, {
      name: `Tamper ${code}`,
      slug: `tamper-${code}`,
      plants: [{ code: 'T1', name: 'Plant', timezone: 'UTC' }],
      admin: { email, displayName: 'Admin T', password: TEST_PASSWORD },
    });
    const scope = { tenantId: created.tenantId, userId: created.adminUserId, plantIds: 'all' as const };
    for (let i = 0; i < 12; i++) {
      await database.db.transact(scope, async (tx) => {
        audit(tx, {
          action: 'recipe.update',
          entityType: 'recipe',
          entityId: `r-${i}`,
          plantId: i % 3 === 0 ? created.plantIds[0] : null,
          before: { temperature: 180 + i },
          after: { temperature: 181 + i },
        });
      });
    }
    const admin = await signIn(server.url, email);
    const chain = await owner(created.tenantId, (tx) =>
      tx
        .select({ seq: auditLog.seq, entityId: auditLog.entityId })
        .from(auditLog)
        .where(eq(auditLog.tenantId, created.tenantId))
        .orderBy(asc(auditLog.seq)),
    );
    const seqs = chain.filter((e) => e.entityId.startsWith('r-')).map((e) => e.seq);
    const head = chain.at(-1)!.seq;
    return { tenantId: created.tenantId, admin, seq: (i) => seqs[i]!, head: () => head };
  }

  /** The owner, a superuser on both test engines: row-level security does not bind it, so say the tenant. */
  const owner = <T>(tenantId: string, work: (tx: Sql) => Promise<T>) =>
    database.db.ownerTransact({ tenantId, plantIds: 'all' }, work);

  /** Runs statements as the owner with the append-only triggers off, as a superuser could. */
  async function tamper(tenantId: string, work: (tx: Sql) => Promise<void>) {
    await owner(tenantId, async (tx) => {
      await tx.execute(sql`alter table audit_log disable trigger user`);
      await work(tx);
      await tx.execute(sql`alter table audit_log enable trigger user`);
    });
  }

  const statements = (tenantId: string, ...list: SQL[]) =>
    tamper(tenantId, async (tx) => {
      for (const statement of list) await tx.execute(statement);
    });

  it('verifies an untouched chain from the start and from a checkpoint', async () => {
    const v = await victim();
    expect(await v.admin.trpc.audit.verify.mutate({ from: 'start' })).toMatchObject({
      ok: true,
      checked: v.head(),
      fromSeq: 1,
      firstBadSeq: null,
    });
    const { checkpoint } = await v.admin.trpc.audit.checkpoints.create.mutate();
    expect(checkpoint?.seq).toBe(v.head());
    expect(await v.admin.trpc.audit.verify.mutate({})).toMatchObject({
      ok: true,
      checked: 0,
      fromSeq: v.head() + 1,
    });
  });

  it('names an entry whose values were edited', async () => {
    const v = await victim();
    const edited = v.seq(4);
    await statements(
      v.tenantId,
      sql`update audit_log set new_values = '{"temperature": 250}' where tenant_id = ${v.tenantId} and seq = ${edited}`,
    );
    for (const from of ['start', 'checkpoint'] as const) {
      expect(await v.admin.trpc.audit.verify.mutate({ from })).toMatchObject({
        ok: false,
        firstBadSeq: edited,
        reason: `entry ${edited} was changed after it was written`,
        checked: edited - 1,
      });
    }
    // Whoever reads the trail is told, not only the log (notifications/audit-alerts.ts).
    await vi.waitFor(async () => {
      const { items } = await v.admin.trpc.notifications.list.query({ unreadOnly: true });
      expect(items).toContainEqual(
        expect.objectContaining({
          kind: 'audit.verify.failed',
          title: `A verification of the audit trail failed at entry ${edited}`,
          body: `entry ${edited} was changed after it was written`,
        }),
      );
    });
  });

  it('names an entry deleted from the middle', async () => {
    const v = await victim();
    const deleted = v.seq(6);
    const failures: unknown[] = [];
    const off = server.deps.bus.on('audit.verification-failed', (event) => failures.push(event));
    await statements(
      v.tenantId,
      sql`delete from audit_log where tenant_id = ${v.tenantId} and seq = ${deleted}`,
    );
    const result = await v.admin.trpc.audit.verify.mutate({});
    off();
    expect(result).toMatchObject({ ok: false, firstBadSeq: deleted, reason: `entry ${deleted} is missing` });
    // The finding is announced for the notification to administrators, and the run is on record.
    expect(failures).toEqual([
      {
        tenantId: v.tenantId,
        trigger: 'request',
        firstBadSeq: deleted,
        reason: `entry ${deleted} is missing`,
      },
    ]);
    expect((await v.admin.trpc.audit.verifications.list.query({}))[0]).toMatchObject({
      ok: false,
      firstBadSeq: deleted,
      trigger: 'request',
    });
  });

  it('names the first of two entries that exchanged their places', async () => {
    const v = await victim();
    const [first, second] = [v.seq(3), v.seq(4)];
    const where = sql`tenant_id = ${v.tenantId}`;
    await statements(
      v.tenantId,
      sql`update audit_log set seq = -1 where ${where} and seq = ${first}`,
      sql`update audit_log set seq = ${first} where ${where} and seq = ${second}`,
      sql`update audit_log set seq = ${second} where ${where} and seq = -1`,
    );
    expect(await v.admin.trpc.audit.verify.mutate({ from: 'start' })).toMatchObject({
      ok: false,
      firstBadSeq: first,
      reason: `entry ${first} does not follow entry ${first - 1}`,
    });
  });

  it('names the first of the entries cut from the end', async () => {
    const v = await victim();
    const cut = v.seq(9);
    await statements(
      v.tenantId,
      sql`delete from audit_log where tenant_id = ${v.tenantId} and seq >= ${cut}`,
    );
    expect(await v.admin.trpc.audit.verify.mutate({ from: 'start' })).toMatchObject({
      ok: false,
      firstBadSeq: cut,
      reason: `entries ${cut} to ${v.head()} are missing (the end of the trail)`,
      checked: cut - 1,
    });
  });

  it('passes a perfect rewrite from the start, but not against a checkpoint signed before it', async () => {
    const v = await victim();
    const { checkpoint } = await v.admin.trpc.audit.checkpoints.create.mutate();
    const signedHead = v.head();
    expect(checkpoint).toMatchObject({ seq: signedHead, signedByCurrentKey: true });
    // The superuser edits entry 5 and recomputes every later hash and the chain head.
    const rewritten = v.seq(4);
    await tamper(v.tenantId, async (tx) => {
      await tx.execute(
        sql`update audit_log set new_values = '{"temperature": 250}' where tenant_id = ${v.tenantId} and seq = ${rewritten}`,
      );
      await rehash(tx, v.tenantId, rewritten);
    });
    expect(await v.admin.trpc.audit.verify.mutate({ from: 'start' })).toMatchObject({
      ok: true,
      checked: signedHead,
    });
    expect(await v.admin.trpc.audit.verify.mutate({})).toMatchObject({
      ok: false,
      firstBadSeq: signedHead,
      reason: `the signed checkpoint at entry ${signedHead} no longer matches the log`,
    });
    // Nor is a new checkpoint signed over the rewritten log.
    const again = await v.admin.trpc.audit.checkpoints.create.mutate();
    expect(again).toMatchObject({ checkpoint: null, signed: false, verification: { ok: false } });

    // Moving the checkpoint onto the new hash needs the signing key, which the database does not hold.
    const [newHead] = await owner(v.tenantId, (tx) =>
      tx.select().from(auditChainHeads).where(eq(auditChainHeads.tenantId, v.tenantId)),
    );
    await owner(v.tenantId, async (tx) => {
      await tx.execute(sql`alter table audit_checkpoints disable trigger user`);
      await tx.execute(
        sql`update audit_checkpoints set head_hash = ${newHead!.headHash} where tenant_id = ${v.tenantId}`,
      );
      await tx.execute(sql`alter table audit_checkpoints enable trigger user`);
    });
    expect(await v.admin.trpc.audit.verify.mutate({})).toMatchObject({
      ok: false,
      firstBadSeq: signedHead,
      reason: `the signed checkpoint at entry ${signedHead} has a signature that does not check`,
    });
  });

  it('names an entry added around the chain, without its head', async () => {
    const v = await victim();
    const last = await owner(v.tenantId, (tx) =>
      tx
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.tenantId, v.tenantId), eq(auditLog.seq, v.head()))),
    );
    const { hash, prevHash: _, changesText: __, recordedAt, ...content } = last[0]!;
    const forged: AuditEntryContent = {
      ...content,
      seq: v.head() + 1,
      recordedAt: recordedAt.toISOString(),
      action: 'recipe.delete',
    };
    // The application role may insert: a well-formed entry that bypassed the chain head.
    await database.db.transact({ tenantId: v.tenantId, plantIds: 'all' }, (tx) =>
      tx.insert(auditLog).values({
        ...forged,
        recordedAt,
        prevHash: hash,
        hash: auditEntryHash(hash, forged),
      }),
    );
    expect(await v.admin.trpc.audit.verify.mutate({})).toMatchObject({
      ok: false,
      firstBadSeq: v.head() + 1,
      reason: `entry ${v.head() + 1} was added outside the chain (the chain head ends at ${v.head()})`,
    });
  });

  /** Recomputes the hash of every entry from `fromSeq` on, and the head: a rewrite that hides itself. */
  async function rehash(tx: Sql, tenantId: string, fromSeq: number) {
    const [previous] = await tx
      .select({ hash: auditLog.hash })
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, tenantId), eq(auditLog.seq, fromSeq - 1)));
    let prevHash = previous!.hash;
    const later = await tx
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, tenantId), gte(auditLog.seq, fromSeq)))
      .orderBy(asc(auditLog.seq));
    for (const { hash: _, prevHash: __, changesText: ___, recordedAt, ...content } of later) {
      const hash = auditEntryHash(prevHash, { ...content, recordedAt: recordedAt.toISOString() });
      await tx.execute(
        sql`update audit_log set prev_hash = ${prevHash}, hash = ${hash} where tenant_id = ${tenantId} and seq = ${content.seq}`,
      );
      prevHash = hash;
    }
    await tx.execute(sql`update audit_chain_heads set head_hash = ${prevHash} where tenant_id = ${tenantId}`);
  }
});
