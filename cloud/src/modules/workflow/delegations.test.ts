import type { Permission } from '@plantline/schema';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../db/index.js';
import { type ApiClient, addUser, signIn } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { useTestApp } from '../../testing/app.js';
import { auditTrail } from '../../testing/audit-entries.js';
import { testEngines } from '../../testing/engines.js';
import { activeDelegators } from './delegations.js';
import { DELEGATION_KIND } from './workflow-notify.js';

/*
 * Dated delegation (docs/workflows.md, "Delegation"): who may give one and for whom, the checks on the
 * period and the people, who sees and revokes it, the audit trail and the notifications; and the rule
 * activeDelegators applies at the edges of a period.
 */
describe.each(testEngines)('delegations ($name engine)', (engine) => {
  const app = useTestApp(engine);
  const hour = 3_600_000;
  const inHours = (h: number) => new Date(Date.now() + h * hour);
  let made = 0;

  async function person(permissions: Permission[] = ['kpi.read']) {
    const role = await app.admin.trpc.rbac.roles.create.mutate({
      key: `deleg-${++made}`,
      name: `Delegation ${made}`,
      permissions,
    });
    const { id, email } = await addUser(app.admin, {
      roleIds: [role.id],
      plantIds: [app.tenants.a.plantIds[0]!],
    });
    return { id, client: (await signIn(app.server.url, email)) as ApiClient };
  }

  const notificationsOf = (userId: string) =>
    app.database.db.transact({ tenantId: app.tenants.a.tenantId, plantIds: 'all' }, (tx) =>
      rows<{ title: string; link: string }>(
        tx,
        sql`select title, link from notifications where user_id = ${userId}::uuid and kind = ${DELEGATION_KIND}
             order by created_at, id`,
      ),
    );

  let ann: Awaited<ReturnType<typeof person>>;
  let bob: Awaited<ReturnType<typeof person>>;
  let cleo: Awaited<ReturnType<typeof person>>;
  beforeAll(async () => {
    ann = await person();
    bob = await person();
    cleo = await person();
  }, 60_000);

  it('gives one’s own delegation, audited, and tells both people', async () => {
    const trail = auditTrail(app.database.db, app.tenants.a);
    const mark = await trail.lastSeq();
    const given = await ann.client.trpc.workflow.delegations.create.mutate({
      delegateId: bob.id,
      startsAt: new Date(Date.now() - 60_000),
      endsAt: inHours(24),
      reason: 'Holiday',
    });
    const entries = await trail.since(mark);
    expect(given).toMatchObject({
      delegator: { id: ann.id },
      delegate: { id: bob.id },
      createdBy: { id: ann.id },
      reason: 'Holiday',
      status: 'active',
      revokedAt: null,
    });
    expect(entries).toEqual([
      expect.objectContaining({
        action: 'workflow_delegation.create',
        entityId: given.id,
        actorUserId: ann.id,
        newValues: expect.objectContaining({ delegatorId: ann.id, delegateId: bob.id, reason: 'Holiday' }),
      }),
    ]);
    expect(await notificationsOf(bob.id)).toEqual([
      { title: expect.stringMatching(/^You act for User .* from /), link: '/tasks/delegations' },
    ]);
    expect(await notificationsOf(ann.id)).toEqual([
      { title: expect.stringMatching(/acts for you from /), link: '/tasks/delegations' },
    ]);
    expect((await bob.client.trpc.workflow.delegations.list.query()).map((d) => d.id)).toContain(given.id);
    expect((await cleo.client.trpc.workflow.delegations.list.query()).map((d) => d.id)).not.toContain(
      given.id,
    );
    expect((await app.admin.trpc.workflow.delegations.list.query()).map((d) => d.id)).toContain(given.id);
  });

  it('refuses delegating to oneself, a period that ends first or is over, and an overlapping one', async () => {
    const create = (input: { delegateId: string; startsAt: Date; endsAt: Date }) =>
      ann.client.trpc.workflow.delegations.create.mutate({ ...input, reason: '' });
    await expectApiError(
      create({ delegateId: ann.id, startsAt: inHours(1), endsAt: inHours(2) }),
      'BAD_REQUEST',
    );
    await expectApiError(
      create({ delegateId: cleo.id, startsAt: inHours(2), endsAt: inHours(1) }),
      'BAD_REQUEST',
    );
    await expectApiError(
      create({ delegateId: cleo.id, startsAt: inHours(-3), endsAt: inHours(-1) }),
      'BAD_REQUEST',
    );
    await expectApiError(
      create({ delegateId: bob.id, startsAt: inHours(10), endsAt: inHours(30) }),
      'CONFLICT',
    );
    // After the first one ends, the same two people may have another.
    const later = await create({ delegateId: bob.id, startsAt: inHours(30), endsAt: inHours(40) });
    expect(later.status).toBe('scheduled');
  });

  it('needs an active delegate of the tenant', async () => {
    const leaving = await person();
    await app.admin.trpc.users.update.mutate({ id: leaving.id, isActive: false });
    const create = (delegateId: string) =>
      ann.client.trpc.workflow.delegations.create.mutate({
        delegateId,
        startsAt: inHours(1),
        endsAt: inHours(2),
        reason: '',
      });
    await expectApiError(create(leaving.id), 'BAD_REQUEST', /active user/);
    await expectApiError(create(app.tenants.b.adminUserId), 'BAD_REQUEST', /active user/);
  });

  it('delegates for someone else only with users.manage', async () => {
    const input = {
      delegatorId: cleo.id,
      delegateId: bob.id,
      startsAt: inHours(1),
      endsAt: inHours(5),
      reason: '',
    };
    await expectApiError(ann.client.trpc.workflow.delegations.create.mutate(input), 'FORBIDDEN');
    const given = await app.admin.trpc.workflow.delegations.create.mutate(input);
    expect(given).toMatchObject({
      delegator: { id: cleo.id },
      delegate: { id: bob.id },
      status: 'scheduled',
    });
    expect(given.createdBy?.id).toBe(app.tenants.a.adminUserId);
  });

  it('is revoked by either person or users.manage, once, audited', async () => {
    const given = await cleo.client.trpc.workflow.delegations.create.mutate({
      delegateId: ann.id,
      startsAt: inHours(1),
      endsAt: inHours(3),
      reason: '',
    });
    await expectApiError(bob.client.trpc.workflow.delegations.revoke.mutate({ id: given.id }), 'NOT_FOUND');
    const trail = auditTrail(app.database.db, app.tenants.a);
    const mark = await trail.lastSeq();
    const revoked = await ann.client.trpc.workflow.delegations.revoke.mutate({ id: given.id });
    const entries = await trail.since(mark);
    expect(revoked.status).toBe('revoked');
    expect(entries).toEqual([
      expect.objectContaining({
        action: 'workflow_delegation.revoke',
        entityId: given.id,
        actorUserId: ann.id,
      }),
    ]);
    await expectApiError(app.admin.trpc.workflow.delegations.revoke.mutate({ id: given.id }), 'CONFLICT');
    expect((await notificationsOf(cleo.id)).at(-1)?.title).toMatch(/no longer acts for you$/);
  });

  it('counts a delegation from its start to just before its end, until revoked, never through a chain', async () => {
    const dan = await person();
    const eve = await person();
    const start = new Date('2030-01-01T08:00:00Z');
    const end = new Date('2030-01-02T08:00:00Z');
    const revokedAt = new Date('2030-01-01T12:00:00Z');
    const { tenantId } = app.tenants.a;
    await app.database.db.transact({ tenantId, plantIds: 'all' }, (tx) =>
      tx.execute(sql`insert into workflow_delegations (tenant_id, delegator_id, delegate_id, starts_at, ends_at, revoked_at)
                     values (${tenantId}::uuid, ${dan.id}::uuid, ${eve.id}::uuid, ${start.toISOString()}::timestamptz,
                             ${end.toISOString()}::timestamptz, null),
                            (${tenantId}::uuid, ${cleo.id}::uuid, ${eve.id}::uuid, ${start.toISOString()}::timestamptz,
                             ${end.toISOString()}::timestamptz, ${revokedAt.toISOString()}::timestamptz),
                            (${tenantId}::uuid, ${eve.id}::uuid, ${ann.id}::uuid, ${start.toISOString()}::timestamptz,
                             ${end.toISOString()}::timestamptz, null)`),
    );
    const of = (delegateId: string, at: Date) =>
      app.database.db.transact({ tenantId, plantIds: 'all' }, async (tx) =>
        (await activeDelegators(tx, delegateId, at)).map((p) => p.id).sort(),
      );
    expect(await of(eve.id, new Date(start.getTime() - 1))).toEqual([]);
    expect(await of(eve.id, start)).toEqual([dan.id, cleo.id].sort());
    expect(await of(eve.id, revokedAt)).toEqual([dan.id]);
    expect(await of(eve.id, new Date(end.getTime() - 1))).toEqual([dan.id]);
    expect(await of(eve.id, end)).toEqual([]);
    // Ann acts for Eve, who acts for Dan: Ann does not act for Dan.
    expect(await of(ann.id, start)).toEqual([eve.id]);
    // A deactivated delegator's authority ends with the account.
    await app.admin.trpc.users.update.mutate({ id: dan.id, isActive: false });
    expect(await of(eve.id, start)).toEqual([cleo.id]);
  });
});
