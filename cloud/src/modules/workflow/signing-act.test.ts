import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { auditTrail } from '../../testing/audit-entries.js';
import { testEngines } from '../../testing/engines.js';
import { TEST_PASSWORD } from '../../testing/tenants.js';
import { newKey, useWorkflowRuntime } from './runtime-fixtures.js';

/*
 * Signing as people do it (docs/workflows.md, "Electronic signatures"): a signed transition taken
 * through workflow.instances.act over HTTP — refused without a signature, refused and recorded with
 * a wrong password although the call fails, then signed with both components and shown on the list.
 */
describe.each(testEngines)('signing an action through the API ($name engine)', (engine) => {
  const runtime = useWorkflowRuntime(engine);
  const { app } = runtime;

  beforeAll(async () => {
    await runtime.publish({
      states: [
        { key: 'draft', label: 'Draft', kind: 'initial' },
        { key: 'released', label: 'Released', kind: 'final' },
      ],
      transitions: [
        {
          key: 'release',
          label: 'Release',
          from: 'draft',
          to: 'released',
          actors: { permissions: ['masterdata.manage'] },
          signature: { meaning: 'responsibility' },
        },
      ],
    });
  }, 120_000);

  it('takes a signed transition only with the signer’s own password, and records refusals', async () => {
    const orderId = await runtime.order();
    const instanceId = await runtime.start(orderId, { id: app.tenants.a.adminUserId });
    // A session of its own: its first signing needs both components.
    const admin = await signIn(app.server.url, app.tenants.a.adminEmail);
    const act = (signature?: { email?: string; password: string }) =>
      admin.trpc.workflow.instances.act.mutate({
        instanceId,
        transitionKey: 'release',
        expectedVersion: 1,
        idempotencyKey: newKey(),
        ...(signature === undefined ? {} : { signature }),
      });

    await expectApiError(act(), 'BAD_REQUEST', /needs your electronic signature/);
    const trail = auditTrail(app.database.db, app.tenants.a);
    const before = await trail.lastSeq();
    await expectApiError(
      act({ email: app.tenants.a.adminEmail, password: 'not the password' }),
      'BAD_REQUEST',
      'The password is not correct',
    );
    expect((await trail.since(before)).map((e) => [e.action, e.entityId, e.newValues])).toEqual([
      ['signature.failed', orderId, { failure: 'wrong password' }],
    ]);
    expect((await runtime.events(instanceId)).map((e) => e.kind)).toEqual(['started', 'signature_failed']);

    const done = await act({ email: app.tenants.a.adminEmail, password: TEST_PASSWORD });
    expect(done).toMatchObject({ outcome: 'moved', stateKey: 'released' });
    const input = { entityType: 'production_order', entityId: orderId };
    expect(await admin.trpc.workflow.signatures.list.query(input)).toMatchObject([
      {
        signerName: 'Admin A',
        meaning: 'responsibility',
        components: 'both',
        transitionKey: 'release',
        voidedAt: null,
      },
    ]);
    expect((await runtime.events(instanceId)).map((e) => e.kind)).toEqual([
      'started',
      'signature_failed',
      'signature',
      'transition',
    ]);
    expect(await admin.trpc.workflow.signatures.requirement.query()).toMatchObject({
      components: 'password',
    });
    const [session] = await runtime.query<{ verified: boolean }>(
      sql`select signing_verified_at is not null as verified from sessions
           where user_id = ${app.tenants.a.adminUserId}::uuid and signing_verified_at is not null`,
    );
    expect(session?.verified).toBe(true);
  });
});
