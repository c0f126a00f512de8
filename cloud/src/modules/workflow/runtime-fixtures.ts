import { allPermissions } from '@plantline/schema';
import type { WorkflowDefinitionInput } from '@plantline/schema/workflow';
import { type SQL, sql } from 'drizzle-orm';
import { beforeAll } from 'vitest';
import { rows } from '../../db/index.js';
import type { Principal } from '../../platform/index.js';
import { type ApiClient, addUser, signIn } from '../../testing/api.js';
import { useTestApp } from '../../testing/app.js';
import type { TestEngine } from '../../testing/engines.js';
import type { WorkflowContext } from './context.js';
import { startWorkflow } from './instances.js';

/*
 * What the runtime's tests start from (docs/workflows.md, "Running a workflow"): the test app, a
 * workflow on production orders (described by config-entities.ts, so no other domain is needed) with
 * custom fields for people, numbers and instants, definitions published through the API, people
 * signed in with roles, and orders whose workflow starts as a domain would start it.
 */

export interface Person {
  id: string;
  email: string;
  name: string;
  client: ApiClient;
}

export function useWorkflowRuntime(engine: TestEngine) {
  const app = useTestApp(engine);
  const state = { workflowId: '', roleIds: new Map<string, string>() };

  beforeAll(async () => {
    const t = app.admin.trpc;
    state.workflowId = (
      await t.workflow.definitions.create.mutate({
        key: 'orders',
        name: 'Order review',
        entityType: 'production_order',
      })
    ).id;
    for (const role of await t.rbac.roles.list.query()) state.roleIds.set(role.key, role.id);
    const fields = [
      { key: 'owner', label: 'Owner', type: 'user_ref' },
      { key: 'ref', label: 'Reference', type: 'text' },
      { key: 'decided_at', label: 'Decided at', type: 'datetime' },
      { key: 'decided_by', label: 'Decided by', type: 'user_ref' },
      { key: 'score', label: 'Score', type: 'integer' },
    ] as const;
    for (const field of fields)
      await t.config.fields.create.mutate({ entityType: 'production_order', ...field });
  }, 120_000);

  const principalOf = (userId: string): Principal => ({
    kind: 'user',
    tenantId: app.tenants.a.tenantId,
    userId,
    apiKeyId: null,
    sessionId: null,
    permissions: new Set(allPermissions),
    plantIds: 'all',
  });

  return {
    app,
    get workflowId() {
      return state.workflowId;
    },

    /** Publishes `definition` as the workflow's next version; new instances start on it. */
    async publish(definition: WorkflowDefinitionInput): Promise<number> {
      const t = app.admin.trpc.workflow.definitions;
      const opened = await t.get.query({ id: state.workflowId });
      const draft = opened.draft ?? (await t.startDraft.mutate({ workflowId: state.workflowId }));
      const saved = await t.saveDraft.mutate({ versionId: draft.id, revision: draft.revision, definition });
      if (saved.issues.length > 0)
        throw new Error(`Test definition has issues: ${JSON.stringify(saved.issues)}`);
      return (await t.publish.mutate({ versionId: draft.id, revision: saved.revision, note: 'Test' })).number;
    },

    /** A user of tenant A with these built-in roles, reaching `plantIds` (plant 1 by default), signed in. */
    async person(roleKeys: readonly string[], plantIds = [app.tenants.a.plantIds[0]!]): Promise<Person> {
      const roleIds = roleKeys.map((key) => {
        const id = state.roleIds.get(key);
        if (id === undefined) throw new Error(`No role ${key}`);
        return id;
      });
      const { id, email } = await addUser(app.admin, { roleIds, plantIds });
      const signedIn = await signIn(app.server.url, email);
      return { id, email, name: signedIn.signedIn.user.displayName, client: signedIn };
    },

    /** A production order of tenant A's plant 1. */
    async order(plantId = app.tenants.a.plantIds[0]!): Promise<string> {
      const t = app.admin.trpc;
      const product = await t.production.products.create.mutate({
        code: `P-${Math.random().toString(36).slice(2, 8)}`,
        name: 'Housing',
      });
      return (await t.production.orders.create.mutate({ plantId, productId: product.id, quantity: 5 })).id;
    },

    /** Runs `work` as a domain's procedure would, in a transaction of `userId`; effects after commit. */
    async asUser<T>(userId: string, work: (ctx: WorkflowContext) => Promise<T>): Promise<T> {
      const principal = principalOf(userId);
      const effects: (() => void)[] = [];
      const result = await app.database.db.transact(
        { tenantId: principal.tenantId, userId, plantIds: 'all' },
        (tx) => work({ tx, principal, afterCommit: (effect) => effects.push(effect), deps: app.server.deps }),
      );
      for (const effect of effects) effect();
      return result;
    },

    /** Starts the order's workflow as `starter` did when creating it. */
    async start(orderId: string, starter: { id: string }): Promise<string> {
      const started = await this.asUser(starter.id, (ctx) =>
        startWorkflow(ctx, { entityType: 'production_order', entityId: orderId }),
      );
      if (started === null) throw new Error('No published workflow for production orders');
      return started.instanceId;
    },

    /** Rows of tenant A, read with every plant in scope. */
    query<T>(query: SQL): Promise<T[]> {
      return app.database.db.transact({ tenantId: app.tenants.a.tenantId, plantIds: 'all' }, (tx) =>
        rows<T>(tx, query),
      );
    },

    /** The instance's row version now. */
    async versionOf(instanceId: string): Promise<number> {
      const [found] = await this.query<{ version: number }>(
        sql`select version from workflow_instances where id = ${instanceId}::uuid`,
      );
      if (found === undefined) throw new Error(`No instance ${instanceId}`);
      return found.version;
    },

    /** The instance's timeline kinds and state moves, oldest first. */
    events(instanceId: string) {
      return this.query<{
        kind: string;
        from_state: string | null;
        to_state: string | null;
        comment: string | null;
      }>(
        sql`select kind, from_state, to_state, comment from workflow_events
             where instance_id = ${instanceId}::uuid order by at, id`,
      );
    },
  };
}

let keys = 0;
/** A fresh idempotency key. */
export const newKey = () => `test-key-${Date.now()}-${++keys}`;
