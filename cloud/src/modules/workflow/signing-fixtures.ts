import { createHash, randomBytes } from 'node:crypto';
import { allPermissions, type Permission, tables } from '@plantline/schema';
import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { rows, type Sql } from '../../db/index.js';
import { audit, type Principal } from '../../platform/index.js';
import type { ApiClient } from '../../testing/api.js';
import type { TestApp } from '../../testing/app.js';
import { callerContext } from '../../testing/context.js';
import { router, signedInProcedure } from '../../trpc/procedures.js';
import { readableRecord, recordSignature, voidStaleSignatures } from './signatures.js';
import { verifySigner } from './signing-auth.js';

/*
 * What the signature tests share (signatures.test.ts, signature-page.test.ts): production orders (as
 * the app describes them, config-entities.ts) under a workflow, an instance per order written as rows,
 * and calls that sign and edit through the access middleware as a person in a real session — the way
 * the runtime's actions do, without depending on a definition's rules.
 */

const definition = {
  states: [
    { key: 'planned', label: 'Planned', kind: 'initial' },
    { key: 'review', label: 'Review', kind: 'normal' },
    { key: 'released', label: 'Released', kind: 'final' },
  ],
  transitions: [
    { key: 'approve', label: 'Approve', from: 'review', to: 'released', signature: { meaning: 'approval' } },
  ],
};

/** A new order of tenant A's `plantId` with a workflow instance in state review, round 1. */
export async function orderUnderReview(app: TestApp, plantId: string, note = 'Bracket, 40 pieces') {
  const tenantId = app.tenants.a.tenantId;
  const product = await app.admin.trpc.production.products.create.mutate({
    code: `P-${randomBytes(3).toString('hex').toUpperCase()}`,
    name: 'Bracket',
  });
  const order = await app.admin.trpc.production.orders.create.mutate({
    plantId,
    productId: product.id,
    quantity: 40,
    note,
  });
  const instanceId = await app.database.db.ownerTransact({ tenantId, plantIds: 'all' }, async (tx) => {
    const [existing] = await rows<{ workflow_id: string; version_id: string }>(
      tx,
      sql`select w.id as workflow_id, v.id as version_id from workflows w
            join workflow_versions v on v.workflow_id = w.id
           where w.entity_type = 'production_order'`,
    );
    const ids = existing ?? (await orderWorkflow(tx, tenantId));
    const [instance] = await tx
      .insert(tables.workflowInstances)
      .values({
        tenantId,
        plantId,
        workflowId: ids.workflow_id,
        versionId: ids.version_id,
        entityType: 'production_order',
        entityId: order.id,
        stateKey: 'review',
      })
      .returning({ id: tables.workflowInstances.id });
    return instance!.id;
  });
  return { orderId: order.id, number: order.number, instanceId };
}

async function orderWorkflow(tx: Sql, tenantId: string) {
  const [workflow] = await tx
    .insert(tables.workflows)
    .values({ tenantId, key: 'order_release', name: 'Order release', entityType: 'production_order' })
    .returning({ id: tables.workflows.id });
  const [version] = await tx
    .insert(tables.workflowVersions)
    .values({
      tenantId,
      workflowId: workflow!.id,
      number: 1,
      status: 'published',
      definition,
      definitionSha256: 'f'.repeat(64),
      publishedAt: new Date(),
    })
    .returning({ id: tables.workflowVersions.id });
  await tx
    .insert(tables.workflowStates)
    .values(definition.states.map((s, position) => ({ tenantId, versionId: version!.id, ...s, position })));
  return { workflow_id: workflow!.id, version_id: version!.id };
}

/** The principal of `client`'s session, as the API builds it, with `permissions` (all by default). */
export async function sessionPrincipal(
  app: TestApp,
  client: { jar: ApiClient['jar']; token: string },
  permissions: readonly Permission[] = allPermissions,
): Promise<Principal> {
  const token = client.jar.token ?? client.token;
  const hash = createHash('sha256').update(token).digest('hex');
  const [session] = await app.database.db.ownerTransact(null, (tx) =>
    tx
      .select({ id: tables.sessions.id, tenantId: tables.sessions.tenantId, userId: tables.sessions.userId })
      .from(tables.sessions)
      .where(eq(tables.sessions.tokenHash, hash)),
  );
  if (session === undefined) throw new Error('the client has no session');
  return {
    kind: 'user',
    tenantId: session.tenantId,
    userId: session.userId,
    apiKeyId: null,
    sessionId: session.id,
    permissions: new Set(permissions),
    plantIds: 'all',
  };
}

const record = { entityType: 'production_order' };

/** Signing and editing as the runtime's actions do, each one call through the access middleware. */
const signingRouter = router({
  sign: signedInProcedure
    .input(
      z.object({
        entityId: z.string(),
        email: z.string().optional(),
        password: z.string(),
        round: z.number().default(1),
        onBehalfOf: z.object({ id: z.string(), name: z.string() }).nullable().default(null),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { components } = await verifySigner(ctx, { ...record, ...input });
      const { entity, record: loaded } = await readableRecord(ctx, { ...record, entityId: input.entityId });
      const [instance] = await rows<{ id: string }>(
        ctx.tx,
        sql`select id from workflow_instances where entity_id = ${input.entityId}::uuid`,
      );
      return recordSignature(ctx, {
        entity,
        record: loaded,
        instanceId: instance?.id ?? null,
        round: input.round,
        transitionKey: 'approve',
        meaning: 'approval',
        onBehalfOf: input.onBehalfOf,
        components,
      });
    }),
  editNote: signedInProcedure
    .input(z.object({ entityId: z.string(), note: z.string() }))
    .mutation(async ({ ctx, input }) => {
      const [before] = await ctx.tx
        .select({ note: tables.productionOrders.note })
        .from(tables.productionOrders)
        .where(eq(tables.productionOrders.id, input.entityId));
      await ctx.tx
        .update(tables.productionOrders)
        .set({ note: input.note })
        .where(eq(tables.productionOrders.id, input.entityId));
      audit(ctx.tx, {
        action: 'production_order.update',
        entityType: 'production_order',
        entityId: input.entityId,
        before: { note: before?.note ?? null },
        after: { note: input.note },
      });
      const { entity, record: loaded } = await readableRecord(ctx, { ...record, entityId: input.entityId });
      return voidStaleSignatures(ctx, { entity, record: loaded, reason: 'Note changed after signing' });
    }),
});

/** Calls of signingRouter as `principal`, with one login limiter across them (the app has one). */
export function signingCaller(app: TestApp, principal: Principal) {
  return signingRouter.createCaller(callerContext(app.database.db, principal));
}
