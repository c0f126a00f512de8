import { randomUUID } from 'node:crypto';
import { tables } from '@plantline/schema';
import { and, eq, sql } from 'drizzle-orm';
import pino from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { audit } from '../../platform/index.js';
import { type ApiClient, addUser, signIn } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { type Tenants, type TestServer, useTestApp } from '../../testing/app.js';
import { type TestDatabase, testEngines } from '../../testing/engines.js';
import { type AuditCheckDeps, checkAllChains, checkTenantChain } from './audit-job.js';
import { checkpointSignatureValid } from './checkpoint-document.js';

/*
 * Signed checkpoints through the API and the daily check (docs/audit.md, "Signed checkpoints",
 * "Verifying"): a head is signed only once the chain up to it verifies, the exported document checks
 * on its own, and the job records its runs, signs heads that moved and reports a broken chain.
 */
describe.each(testEngines)('audit checkpoints ($name engine)', (engine) => {
  const app = useTestApp(engine);
  let database: TestDatabase;
  let tenants: Tenants;
  let server: TestServer;
  let admin: ApiClient;
  let adminB: ApiClient;

  beforeAll(() => {
    ({ database, tenants, server, admin, adminB } = app);
  });

  async function write(tenant: 'a' | 'b', count: number, plantId: string | null = null) {
    const { tenantId, adminUserId } = tenants[tenant];
    for (let i = 0; i < count; i++) {
      await database.db.transact({ tenantId, userId: adminUserId, plantIds: 'all' }, async (tx) => {
        audit(tx, {
          action: 'mould.create',
          entityType: 'mould',
          entityId: randomUUID(),
          plantId,
          after: { i },
        });
      });
    }
  }

  const headOf = async (tenantId: string) => {
    const [head] = await database.db.transact({ tenantId, plantIds: 'all' }, (tx) =>
      tx.select().from(tables.auditChainHeads).where(eq(tables.auditChainHeads.tenantId, tenantId)),
    );
    return head!;
  };

  it('signs the verified head, lists it, and exports a document that checks on its own', async () => {
    await write('a', 3);
    const head = await headOf(tenants.a.tenantId);
    const created = await admin.trpc.audit.checkpoints.create.mutate();
    expect(created.verification).toMatchObject({ ok: true, firstBadSeq: null });
    expect(created.signed).toBe(true);
    expect(created.checkpoint).toMatchObject({
      seq: head.seq,
      headHash: head.headHash,
      keyId: server.deps.auditSigningKey.keyId,
      signedByCurrentKey: true,
    });
    const listed = await admin.trpc.audit.checkpoints.list.query({});
    expect(listed[0]).toEqual(created.checkpoint);

    const document = await admin.trpc.audit.checkpoints.export.query({ id: created.checkpoint!.id });
    expect(document).toMatchObject({
      format: 'plantline-audit-checkpoint/1',
      tenantId: tenants.a.tenantId,
      seq: head.seq,
      headHash: head.headHash,
      headRecordedAt: created.checkpoint!.headRecordedAt,
      algorithm: 'Ed25519',
      keyId: server.deps.auditSigningKey.keyId,
    });
    const statement = JSON.parse(document.signedMessage) as Parameters<typeof checkpointSignatureValid>[0];
    expect(statement).toEqual({
      tenantId: document.tenantId,
      seq: document.seq,
      headHash: document.headHash,
      headRecordedAt: document.headRecordedAt,
    });
    const signed = {
      publicKey: server.deps.auditSigningKey.publicKey,
      keyId: document.keyId,
      signature: document.signature,
    };
    expect(checkpointSignatureValid(statement, signed)).toBe(true);
    // The head entry's recorded time is the one signed.
    const [entry] = await database.db.transact({ tenantId: tenants.a.tenantId, plantIds: 'all' }, (tx) =>
      tx
        .select({ recordedAt: tables.auditLog.recordedAt })
        .from(tables.auditLog)
        .where(and(eq(tables.auditLog.tenantId, tenants.a.tenantId), eq(tables.auditLog.seq, head.seq))),
    );
    expect(document.headRecordedAt).toBe(entry!.recordedAt.toISOString());
  });

  it('signs nothing new while the head has not moved', async () => {
    const first = await admin.trpc.audit.checkpoints.create.mutate();
    const again = await admin.trpc.audit.checkpoints.create.mutate();
    expect(again.signed).toBe(false);
    expect(again.checkpoint).toEqual(first.checkpoint);
    // Verification from that checkpoint has nothing left to walk.
    expect(await admin.trpc.audit.verify.mutate({})).toMatchObject({ ok: true, checked: 0 });
  });

  it('signs a head of another plant for a user who sees only some plants', async () => {
    const [plant1, plant2] = tenants.a.plantIds as [string, string];
    const role = await admin.trpc.rbac.roles.create.mutate({
      key: `signer-${Math.random().toString(36).slice(2, 8)}`,
      name: 'Signer',
      permissions: ['audit.read'],
    });
    const user = await addUser(admin, { roleIds: [role.id], plantIds: [plant1] });
    const signer = await signIn(server.url, user.email);
    await write('a', 2, plant2);
    const head = await headOf(tenants.a.tenantId);
    const created = await signer.trpc.audit.checkpoints.create.mutate();
    expect(created.checkpoint).toMatchObject({ seq: head.seq, headHash: head.headHash });
  });

  it('keeps checkpoints to their tenant, and refuses bad ids and callers without audit.read', async () => {
    const [mine] = await admin.trpc.audit.checkpoints.list.query({ limit: 1 });
    expect((await adminB.trpc.audit.checkpoints.list.query({})).map((c) => c.id)).not.toContain(mine!.id);
    await expectApiError(
      adminB.trpc.audit.checkpoints.export.query({ id: mine!.id }),
      'NOT_FOUND',
      'Checkpoint not found',
    );
    await expectApiError(admin.trpc.audit.checkpoints.export.query({ id: 'latest' }), 'BAD_REQUEST', /id/);
    await expectApiError(admin.trpc.audit.checkpoints.list.query({ limit: 0 }), 'BAD_REQUEST', /limit/);
    const engineer = await addUser(admin, { roleIds: [tenants.a.roleIds.engineer!], plantIds: [] });
    const caller = await signIn(server.url, engineer.email);
    await expectApiError(caller.trpc.audit.checkpoints.create.mutate(), 'FORBIDDEN');
    await expectApiError(caller.trpc.audit.checkpoints.list.query({}), 'FORBIDDEN');
    await expectApiError(caller.trpc.audit.checkpoints.export.query({ id: mine!.id }), 'FORBIDDEN');
  });

  describe('the daily check', () => {
    const logged: { tenantId?: string; firstBadSeq?: number; msg: string }[] = [];
    let deps: AuditCheckDeps;
    beforeAll(() => {
      const log = pino({ level: 'error' }, { write: (line: string) => logged.push(JSON.parse(line)) });
      deps = { db: database.db, bus: server.deps.bus, log, signingKey: server.deps.auditSigningKey };
    });

    const runsOf = (tenantId: string) =>
      database.db.transact({ tenantId, plantIds: 'all' }, (tx) =>
        tx.select().from(tables.auditVerifications).where(eq(tables.auditVerifications.tenantId, tenantId)),
      );

    it('verifies every tenant with a chain, records the run and signs heads that moved', async () => {
      await write('a', 1);
      await write('b', 2);
      const before = (await runsOf(tenants.b.tenantId)).length;
      const summary = await checkAllChains(deps);
      expect(summary.failed).toEqual([]);
      expect(summary.tenants).toBeGreaterThanOrEqual(2);
      expect(summary.signed).toBeGreaterThanOrEqual(2);
      const runs = await runsOf(tenants.b.tenantId);
      expect(runs).toHaveLength(before + 1);
      expect(runs.find((r) => r.trigger === 'schedule')).toMatchObject({ ok: true, requestedBy: null });
      const [latest] = await adminB.trpc.audit.checkpoints.list.query({ limit: 1 });
      expect(latest!.seq).toBe((await headOf(tenants.b.tenantId)).seq);
      // Nothing moved since: the next run verifies and signs nothing new.
      const next = await checkTenantChain(deps, tenants.b.tenantId);
      expect(next).toMatchObject({ signed: false, verification: { ok: true, checked: 0 } });
    });

    it('passes over a tenant without a chain', async () => {
      const nobody = randomUUID();
      expect(await checkTenantChain(deps, nobody)).toBeNull();
      expect(await runsOf(nobody)).toEqual([]);
    });

    it('logs and announces a broken chain, signs nothing over it, and leaves other tenants alone', async () => {
      await write('b', 3);
      const head = await headOf(tenants.b.tenantId);
      await database.db.ownerTransact({ tenantId: tenants.b.tenantId, plantIds: 'all' }, async (tx) => {
        await tx.execute(sql`alter table audit_log disable trigger user`);
        await tx.execute(
          sql`update audit_log set reason = 'backdated' where tenant_id = ${tenants.b.tenantId} and seq = ${head.seq - 1}`,
        );
        await tx.execute(sql`alter table audit_log enable trigger user`);
      });
      const announced: unknown[] = [];
      const off = server.deps.bus.on('audit.verification-failed', (event) => announced.push(event));
      const summary = await checkAllChains(deps);
      off();
      const finding = {
        tenantId: tenants.b.tenantId,
        firstBadSeq: head.seq - 1,
        reason: `entry ${head.seq - 1} was changed after it was written`,
      };
      expect(summary.failed).toEqual([finding]);
      expect(announced).toEqual([{ ...finding, trigger: 'schedule' }]);
      expect(logged).toContainEqual(
        expect.objectContaining({ ...finding, msg: 'audit chain verification failed' }),
      );
      const [latestB] = await adminB.trpc.audit.checkpoints.list.query({ limit: 1 });
      expect(latestB!.seq).toBeLessThan(head.seq);
      expect((await admin.trpc.audit.verifications.list.query({ limit: 1 }))[0]).toMatchObject({
        trigger: 'schedule',
        ok: true,
      });
    });
  });
});
