import { TRPCError } from '@trpc/server';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../db/index.js';
import { addUser, signIn } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { type TestApp, useTestApp } from '../../testing/app.js';
import { auditTrail } from '../../testing/audit-entries.js';
import { testEngines } from '../../testing/engines.js';
import { TEST_PASSWORD } from '../../testing/tenants.js';
import { hashPassword } from '../identity/index.js';
import { loadRecord, signedContent } from './record-fields.js';
import { orderUnderReview, sessionPrincipal, signingCaller } from './signing-fixtures.js';

/*
 * Electronic signatures (docs/workflows.md, "Electronic signatures"; 21 CFR 11.50, 11.70, 11.200):
 * which components a signing needs in a session, refusals recorded although the call fails, the
 * signature bound to the record's hash and voided when the signed fields change, and who may list them.
 */
describe.each(testEngines)('electronic signatures ($name engine)', (engine) => {
  const app: TestApp = useTestApp(engine);
  let plantId: string;
  const owner = () => ({ tenantId: app.tenants.a.tenantId, plantIds: 'all' as const });
  const sql1 = <T>(query: ReturnType<typeof sql>) =>
    app.database.db.ownerTransact(owner(), (tx) => rows<T>(tx, query));

  beforeAll(async () => {
    plantId = app.tenants.a.plantIds[0]!;
  });

  /** A fresh session of tenant A's administrator, over the API and as the signing calls' caller. */
  async function freshSession() {
    const client = await signIn(app.server.url, app.tenants.a.adminEmail);
    return { client, caller: signingCaller(app, await sessionPrincipal(app, client)) };
  }

  const refusal = (error: unknown) => {
    expect(error).toBeInstanceOf(TRPCError);
    const { code, message, cause } = error as TRPCError;
    return { code, message, fieldErrors: (cause as { fieldErrors?: unknown } | undefined)?.fieldErrors };
  };

  it('asks for both components first in a session, then the password, then both after the idle time', async () => {
    const { orderId } = await orderUnderReview(app, plantId);
    const { client, caller } = await freshSession();
    expect(await client.trpc.workflow.signatures.requirement.query()).toEqual({
      components: 'both',
      idleMinutes: 15,
    });
    const withoutEmail = await caller.sign({ entityId: orderId, password: TEST_PASSWORD }).catch(refusal);
    expect(withoutEmail).toMatchObject({ code: 'BAD_REQUEST', fieldErrors: { email: expect.any(String) } });

    const first = await caller.sign({
      entityId: orderId,
      email: app.tenants.a.adminEmail.toUpperCase(),
      password: TEST_PASSWORD,
    });
    const record = await app.database.db.transact(owner(), (tx) =>
      loadRecord(tx, app.server.deps.workflowEntities.get('production_order')!, orderId),
    );
    expect(first.recordSha256).toBe(signedContent(record).sha256);
    const [stored] = await sql1<{
      signer_name: string;
      components: string;
      meaning: string;
      record: unknown;
    }>(
      sql`select signer_name, components, meaning, record from electronic_signatures where id = ${first.id}`,
    );
    expect(stored).toEqual({
      signer_name: 'Admin A',
      components: 'both',
      meaning: 'approval',
      record: signedContent(record).content,
    });

    expect(await client.trpc.workflow.signatures.requirement.query()).toMatchObject({
      components: 'password',
    });
    const second = await caller.sign({ entityId: orderId, password: TEST_PASSWORD });
    const [again] = await sql1<{ components: string }>(
      sql`select components from electronic_signatures where id = ${second.id}`,
    );
    expect(again?.components).toBe('password');
    // Another session of the same person starts again with both.
    const other = await signIn(app.server.url, app.tenants.a.adminEmail);
    expect(await other.trpc.workflow.signatures.requirement.query()).toMatchObject({ components: 'both' });

    // 16 minutes after the signing with both, the 15 minutes of idle time have passed.
    const principal = await sessionPrincipal(app, client);
    await sql1(
      sql`update sessions set signing_verified_at = now() - interval '16 minutes' where id = ${principal.sessionId}`,
    );
    expect(await client.trpc.workflow.signatures.requirement.query()).toMatchObject({ components: 'both' });
    await app.admin.trpc.settings.update.mutate({
      version: (await app.admin.trpc.settings.get.query()).version,
      patch: { workflow: { signatureIdleMinutes: 30 } },
    });
    expect(await client.trpc.workflow.signatures.requirement.query()).toEqual({
      components: 'password',
      idleMinutes: 30,
    });
  });

  it('checks the password at every signing of a period, also once the session has proved it', async () => {
    const { orderId } = await orderUnderReview(app, plantId);
    const { caller } = await freshSession();
    await caller.sign({ entityId: orderId, email: app.tenants.a.adminEmail, password: TEST_PASSWORD });
    // The proved password compares quickly (identity/password-confirmations.ts); any other is refused.
    await caller.sign({ entityId: orderId, password: TEST_PASSWORD });
    const wrong = await caller.sign({ entityId: orderId, password: `${TEST_PASSWORD}x` }).catch(refusal);
    expect(wrong).toMatchObject({ code: 'BAD_REQUEST', message: 'The password is not correct' });

    // A new password hash ends what the session proved: the old password no longer signs.
    const adminId = (await sessionPrincipal(app, await signIn(app.server.url, app.tenants.a.adminEmail)))
      .userId;
    const [kept] = await sql1<{ password_hash: string }>(
      sql`select password_hash from users where id = ${adminId}`,
    );
    await sql1(
      sql`update users set password_hash = ${await hashPassword('a-new-password-1')} where id = ${adminId}`,
    );
    try {
      const old = await caller.sign({ entityId: orderId, password: TEST_PASSWORD }).catch(refusal);
      expect(old).toMatchObject({ code: 'BAD_REQUEST', message: 'The password is not correct' });
      await caller.sign({ entityId: orderId, password: 'a-new-password-1' });
    } finally {
      await sql1(sql`update users set password_hash = ${kept!.password_hash} where id = ${adminId}`);
    }
  });

  it('refuses a wrong password or email alike and records the attempt although the call fails', async () => {
    const { orderId, instanceId, number } = await orderUnderReview(app, plantId);
    const { caller } = await freshSession();
    const trail = auditTrail(app.database.db, app.tenants.a);
    const before = await trail.lastSeq();
    const wrongPassword = await caller
      .sign({ entityId: orderId, email: app.tenants.a.adminEmail, password: 'not the password' })
      .catch(refusal);
    const wrongEmail = await caller
      .sign({ entityId: orderId, email: 'someone@test.plantline.local', password: TEST_PASSWORD })
      .catch(refusal);
    for (const answer of [wrongPassword, wrongEmail]) {
      expect(answer).toEqual({
        code: 'BAD_REQUEST',
        message: 'The password is not correct',
        fieldErrors: { password: 'The password is not correct' },
      });
    }
    const entries = await trail.since(before);
    expect(entries.map((e) => [e.action, e.entityId, e.entityLabel, e.actorName, e.newValues])).toEqual([
      ['signature.failed', orderId, number, 'Admin A', { failure: 'wrong password' }],
      ['signature.failed', orderId, number, 'Admin A', { failure: 'wrong email' }],
    ]);
    const events = await sql1<{ kind: string; detail: unknown }>(
      sql`select kind, detail from workflow_events where instance_id = ${instanceId} order by at`,
    );
    expect(events).toEqual([
      { kind: 'signature_failed', detail: {} },
      { kind: 'signature_failed', detail: {} },
    ]);
    expect(await sql1(sql`select id from electronic_signatures where entity_id = ${orderId}`)).toEqual([]);

    // Five failures in the window (the test limiter's tight limit), then even the right password waits.
    for (let i = 0; i < 3; i++)
      await caller.sign({ entityId: orderId, email: 'x@y.z', password: 'no' }).catch(refusal);
    const throttled = await caller
      .sign({ entityId: orderId, email: app.tenants.a.adminEmail, password: TEST_PASSWORD })
      .catch(refusal);
    expect(throttled).toMatchObject({ code: 'TOO_MANY_REQUESTS', message: /Too many signing attempts/ });
    const failures = (await trail.since(before)).map((e) => e.newValues);
    expect(failures.at(-1)).toEqual({ failure: 'too many attempts' });
    // On a server the attempts are counted in the database (identity/login-limiter-shared.ts), for
    // every caller: the next cases, signing as the same person within the window, start from none.
    await app.database.db.ownerTransact(null, (tx) => tx.execute(sql`delete from login_attempts`));
  });

  it('lets only a person in a session sign: an API key is refused', async () => {
    const { orderId } = await orderUnderReview(app, plantId);
    const edge = await app.edge([plantId]);
    await expectApiError(edge.trpc.workflow.signatures.requirement.query(), 'FORBIDDEN', /API key cannot/);
    const keyCaller = signingCaller(app, {
      ...(await sessionPrincipal(app, app.admin)),
      kind: 'api-key',
      userId: null,
      sessionId: null,
      apiKeyId: '00000000-0000-4000-8000-000000000000',
    });
    const refused = await keyCaller.sign({ entityId: orderId, password: TEST_PASSWORD }).catch(refusal);
    expect(refused).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('voids a pending signature and its vote when the signed fields change, and only then', async () => {
    const { orderId, instanceId, number } = await orderUnderReview(app, plantId);
    const inspector = await addUser(app.admin, {
      roleIds: [app.tenants.a.roleIds.quality!],
      plantIds: [plantId],
    });
    const inspectorClient = await signIn(app.server.url, inspector.email);
    const signer = signingCaller(app, await sessionPrincipal(app, inspectorClient));
    const signature = await signer.sign({
      entityId: orderId,
      email: inspector.email,
      password: TEST_PASSWORD,
    });
    await sql1(
      sql`insert into approvals (tenant_id, plant_id, instance_id, round, transition_key, voter_id, counts_for_id, decision, signature_id)
          values (${app.tenants.a.tenantId}, ${plantId}, ${instanceId}, 1, 'approve', ${inspector.id}, ${inspector.id}, 'approve', ${signature.id})`,
    );
    const { caller: editor } = await freshSession();

    // The same note again: the content signed is unchanged, so the signature stands.
    expect(await editor.editNote({ entityId: orderId, note: 'Bracket, 40 pieces' })).toBe(0);
    const trail = auditTrail(app.database.db, app.tenants.a);
    const before = await trail.lastSeq();
    expect(await editor.editNote({ entityId: orderId, note: 'Bracket, 45 pieces' })).toBe(1);

    const [voided] = await sql1<{ voided: boolean; void_reason: string }>(
      sql`select voided_at is not null as voided, void_reason from electronic_signatures where id = ${signature.id}`,
    );
    expect(voided).toEqual({ voided: true, void_reason: 'Note changed after signing' });
    const [vote] = await sql1<{ voided: boolean }>(
      sql`select voided_at is not null as voided from approvals where signature_id = ${signature.id}`,
    );
    expect(vote?.voided).toBe(true);
    const events = await sql1<{ kind: string; comment: string | null }>(
      sql`select kind, comment from workflow_events where instance_id = ${instanceId} order by at, kind`,
    );
    expect(events).toEqual([
      { kind: 'signature', comment: null },
      { kind: 'voided', comment: 'Note changed after signing' },
    ]);
    expect((await trail.since(before)).map((e) => [e.action, e.entityLabel])).toEqual([
      ['production_order.update', null],
      ['signature.void', number],
    ]);
    const notified = await sql1<{ kind: string; title: string; link: string }>(
      sql`select kind, title, link from notifications where user_id = ${inspector.id}`,
    );
    expect(notified).toEqual([
      {
        kind: 'workflow.signature-voided',
        title: `Your signature on ${number} was voided`,
        link: `/config/records/production_order/${orderId}`,
      },
    ]);
    // A voided signature never changes again (migration 0019).
    await expect(
      app.database.db.transact(owner(), (tx) =>
        tx.execute(sql`update electronic_signatures set void_reason = 'other' where id = ${signature.id}`),
      ),
    ).rejects.toThrow();
  });

  it('keeps signatures of an earlier round: their decision is taken', async () => {
    const { orderId, instanceId } = await orderUnderReview(app, plantId);
    const { caller } = await freshSession();
    const signature = await caller.sign({
      entityId: orderId,
      email: app.tenants.a.adminEmail,
      password: TEST_PASSWORD,
    });
    await sql1(sql`update workflow_instances set round = 2 where id = ${instanceId}`);
    expect(await caller.editNote({ entityId: orderId, note: 'Changed after the decision' })).toBe(0);
    const [row] = await sql1<{ voided_at: Date | null }>(
      sql`select voided_at from electronic_signatures where id = ${signature.id}`,
    );
    expect(row?.voided_at).toBeNull();
  });

  it('lists a record’s signatures to those who may read it', async () => {
    const { orderId } = await orderUnderReview(app, plantId);
    const { caller } = await freshSession();
    const delegator = await addUser(app.admin, {
      roleIds: [app.tenants.a.roleIds.quality!],
      plantIds: [plantId],
    });
    await caller.sign({
      entityId: orderId,
      email: app.tenants.a.adminEmail,
      password: TEST_PASSWORD,
      onBehalfOf: { id: delegator.id, name: 'Bea Delegator' },
    });
    await caller.editNote({ entityId: orderId, note: 'Edited' });
    await caller.sign({ entityId: orderId, password: TEST_PASSWORD });
    const list = await app.admin.trpc.workflow.signatures.list.query({
      entityType: 'production_order',
      entityId: orderId,
    });
    expect(list).toMatchObject([
      {
        signerName: 'Admin A',
        onBehalfOfName: 'Bea Delegator',
        meaning: 'approval',
        components: 'both',
        voidReason: 'Note changed after signing',
      },
      {
        signerName: 'Admin A',
        onBehalfOfName: null,
        components: 'password',
        voidedAt: null,
        transitionKey: 'approve',
        round: 1,
      },
    ]);
    expect(list[0]!.voidedAt).not.toBeNull();
    expect(list[0]!.recordSha256).not.toBe(list[1]!.recordSha256);

    const viewer = await app.admin.trpc.rbac.roles.create.mutate({
      key: 'kpi-viewer',
      name: 'KPI viewer',
      permissions: ['kpi.read'],
    });
    const outsider = await addUser(app.admin, { roleIds: [viewer.id], plantIds: [plantId] });
    const elsewhere = await addUser(app.admin, {
      roleIds: [app.tenants.a.roleIds.quality!],
      plantIds: [app.tenants.a.plantIds[1]!],
    });
    const input = { entityType: 'production_order', entityId: orderId };
    const asOutsider = await signIn(app.server.url, outsider.email);
    await expectApiError(
      asOutsider.trpc.workflow.signatures.list.query(input),
      'FORBIDDEN',
      /masterdata\.read/,
    );
    const asElsewhere = await signIn(app.server.url, elsewhere.email);
    await expectApiError(asElsewhere.trpc.workflow.signatures.list.query(input), 'NOT_FOUND');
    await expectApiError(app.adminB.trpc.workflow.signatures.list.query(input), 'NOT_FOUND');
    await expectApiError(
      app.admin.trpc.workflow.signatures.list.query({ entityType: 'no_such_type', entityId: orderId }),
      'BAD_REQUEST',
    );
  });
});
