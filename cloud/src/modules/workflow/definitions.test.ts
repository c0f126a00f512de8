import { createHash } from 'node:crypto';
import { allPermissions } from '@plantline/schema';
import { definitionSchema, type WorkflowDefinitionInput } from '@plantline/schema/workflow';
import canonicalize from 'canonicalize';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { rows, type Sql } from '../../db/index.js';
import { type Principal, scopeOf } from '../../platform/index.js';
import { addUser, signIn } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { useTestApp } from '../../testing/app.js';
import { auditTrail, expectEntries } from '../../testing/audit-entries.js';
import { testEngines } from '../../testing/engines.js';
import { startWorkflow } from './instances.js';
import { publishedVersionFor, versionDefinition } from './versions.js';

/*
 * Workflow definitions through the API (docs/workflows.md, "Versions and publishing", "Moving running
 * instances"): drafts saved against a revision, publishing that refuses problems and freezes the
 * version, instances that stay on their version until moved with a complete mapping, and tenants
 * that never see each other's workflows. Production orders are the record type here (described by
 * config-entities.ts), so no other domain is needed.
 */

/** Open → In work → Done, with a guard on the order's status and the note required to finish. */
const ORDER_FLOW: WorkflowDefinitionInput = {
  states: [
    { key: 'open', label: 'Open', kind: 'initial' },
    { key: 'in_work', label: 'In work', kind: 'normal' },
    { key: 'done', label: 'Done', kind: 'final', required: ['note'], locked: true },
  ],
  transitions: [
    { key: 'start', label: 'Start', from: 'open', to: 'in_work', actors: { roles: ['supervisor'] } },
    {
      key: 'finish',
      label: 'Finish',
      from: 'in_work',
      to: 'done',
      actors: { initiator: true },
      guard: { field: 'status', op: 'in', value: ['in_progress', 'completed'] },
    },
  ],
};

describe.each(testEngines)('workflow definitions ($name engine)', (engine) => {
  const app = useTestApp(engine);
  const sha256 = (value: unknown) => createHash('sha256').update(canonicalize(value)!).digest('hex');

  /** Tenant A's administrator as a direct caller, for starting instances as a domain would. */
  const adminPrincipal = (): Principal => ({
    kind: 'user',
    tenantId: app.tenants.a.tenantId,
    userId: app.tenants.a.adminUserId,
    apiKeyId: null,
    sessionId: null,
    permissions: new Set(allPermissions),
    plantIds: 'all',
  });
  const asAdminA = <T>(work: (tx: Sql) => Promise<T>) =>
    app.database.db.transact(scopeOf(adminPrincipal()), work);

  async function newOrder(plantId = app.tenants.a.plantIds[0]!) {
    const t = app.admin.trpc;
    const product = await t.production.products.create.mutate({
      code: `P-${Math.random().toString(36).slice(2, 8)}`,
      name: 'Bracket',
    });
    return t.production.orders.create.mutate({ plantId, productId: product.id, quantity: 5 });
  }

  const start = (entityId: string) =>
    asAdminA((tx) =>
      startWorkflow(
        { tx, principal: adminPrincipal(), afterCommit: () => {}, deps: app.server.deps },
        { entityType: 'production_order', entityId },
      ),
    );

  let workflowId: string;
  let draftId: string;

  beforeAll(async () => {
    ({ id: workflowId } = await app.admin.trpc.workflow.definitions.create.mutate({
      key: 'orders',
      name: 'Order release',
      entityType: 'production_order',
    }));
    const opened = await app.admin.trpc.workflow.definitions.get.query({ id: workflowId });
    draftId = opened.draft!.id;
  });

  it('creates a workflow as draft 1 with the smallest definition that publishes', async () => {
    const t = app.admin.trpc.workflow.definitions;
    const opened = await t.get.query({ id: workflowId });
    expect(opened.workflow).toMatchObject({ key: 'orders', entityType: 'production_order', version: 1 });
    expect(opened.versions).toMatchObject([{ number: 1, status: 'draft', publishedBy: null, instances: 0 }]);
    expect(opened.draft).toMatchObject({ number: 1, revision: 1 });
    expect(opened.draft!.definition.states.map((s) => s.key)).toEqual(['open', 'done']);
    expect(opened.catalogue.map((f) => f.ref)).toEqual(
      expect.arrayContaining(['number', 'note', 'quantity', 'due_at', 'status']),
    );
    expect(opened.roles.map((r) => r.key)).toEqual(expect.arrayContaining(['quality', 'engineer']));
    expect(opened.users.map((u) => u.id)).toContain(app.tenants.a.adminUserId);
    expect(opened.sequences.map((s) => s.code)).toEqual(
      expect.arrayContaining(['ncr', 'change_order', 'production_order']),
    );
    expect(opened.permissions).toContain('workflows.manage');
    expect(opened.entityTypes).toContainEqual({ key: 'production_order', label: 'Production order' });
    expect((await t.validate.query({ versionId: draftId })).issues).toEqual([]);
    expect(await t.list.query()).toContainEqual(
      expect.objectContaining({ id: workflowId, publishedVersion: null, draftVersion: 1, instances: 0 }),
    );
  });

  it('refuses an unknown record type, a second workflow for one, and a taken key', async () => {
    const t = app.admin.trpc.workflow.definitions;
    await expectApiError(t.create.mutate({ key: 'x', name: 'X', entityType: 'spaceship' }), 'BAD_REQUEST');
    await expectApiError(
      t.create.mutate({ key: 'orders_two', name: 'Again', entityType: 'production_order' }),
      'CONFLICT',
      /Order release already runs/,
    );
    await expectApiError(t.create.mutate({ key: 'orders', name: 'Lines', entityType: 'line' }), 'CONFLICT');
  });

  it('saves a draft with problems, answers them, and refuses to publish it', async () => {
    const t = app.admin.trpc.workflow.definitions;
    const broken = definitionSchema.parse({
      ...ORDER_FLOW,
      transitions: [
        ...ORDER_FLOW.transitions,
        { key: 'bad', label: 'Bad', from: 'open', to: 'nowhere', actors: { roles: ['astronaut'] } },
      ],
    });
    const saved = await t.saveDraft.mutate({ versionId: draftId, revision: 1, definition: broken });
    expect(saved.revision).toBe(2);
    expect(saved.issues.length).toBeGreaterThan(0);
    expect(saved.issues).toContainEqual(expect.objectContaining({ at: { kind: 'transition', key: 'bad' } }));
    const refused = await expectApiError(
      t.publish.mutate({ versionId: draftId, revision: 2, note: 'First' }),
      'BAD_REQUEST',
      /problems? to fix/,
    );
    const fieldErrors = (refused.data as { fieldErrors: Record<string, string> | null }).fieldErrors;
    expect(Object.keys(fieldErrors ?? {}).some((k) => k.startsWith('transition:bad'))).toBe(true);
    // A save from the revision before is someone else's view of the draft.
    await expectApiError(
      t.saveDraft.mutate({ versionId: draftId, revision: 1, definition: definitionSchema.parse(ORDER_FLOW) }),
      'CONFLICT',
      /saved by someone else/,
    );
    expect((await t.version.query({ versionId: draftId })).status).toBe('draft');
  });

  it('publishes a valid draft: frozen, hashed, its states and transitions as rows, audited', async () => {
    const t = app.admin.trpc.workflow.definitions;
    const trail = auditTrail(app.database.db, app.tenants.a);
    const definition = definitionSchema.parse(ORDER_FLOW);
    const entries = await trail.during(async () => {
      expect(
        await t.saveDraft.mutate({ versionId: draftId, revision: 2, definition, note: 'Order flow' }),
      ).toEqual({ revision: 3, issues: [] });
      expect(await t.publish.mutate({ versionId: draftId, revision: 3, note: 'Order flow' })).toEqual({
        number: 1,
      });
    });
    expectEntries(entries, [
      { action: 'workflow.draft-save', entityType: 'workflow', entityId: workflowId },
      {
        action: 'workflow.publish',
        entityId: workflowId,
        newValues: { version: 1, note: 'Order flow', definitionSha256: sha256(definition) },
      },
    ]);
    expect(JSON.stringify(entries[0]!.newValues)).toContain('removed transition Bad');

    const published = await t.version.query({ versionId: draftId });
    expect(published).toMatchObject({ number: 1, status: 'published', definitionSha256: sha256(definition) });
    const [states, transitions] = await asAdminA(async (tx) => [
      await rows<{ key: string; kind: string; position: number }>(
        tx,
        sql`select key, kind, position from workflow_states where version_id = ${draftId} order by position`,
      ),
      await rows<{ key: string; from_state: string; to_state: string }>(
        tx,
        sql`select key, from_state, to_state from workflow_transitions where version_id = ${draftId} order by position`,
      ),
    ]);
    expect(states).toEqual([
      { key: 'open', kind: 'initial', position: 0 },
      { key: 'in_work', kind: 'normal', position: 1 },
      { key: 'done', kind: 'final', position: 2 },
    ]);
    expect(transitions).toEqual([
      { key: 'start', from_state: 'open', to_state: 'in_work' },
      { key: 'finish', from_state: 'in_work', to_state: 'done' },
    ]);
    await expectApiError(
      t.saveDraft.mutate({ versionId: draftId, revision: 4, definition }),
      'CONFLICT',
      /published/,
    );
    await expectApiError(t.publish.mutate({ versionId: draftId, revision: 4, note: 'Again' }), 'CONFLICT');
    const opened = await t.get.query({ id: workflowId });
    expect(opened.draft).toBeNull();
    expect(opened.versions[0]).toMatchObject({
      status: 'published',
      publishedBy: 'Admin A',
      note: 'Order flow',
    });
  });

  it('keeps running instances on their version and moves them only with a complete mapping', async () => {
    const t = app.admin.trpc.workflow.definitions;
    const first = await newOrder();
    const second = await newOrder(app.tenants.a.plantIds[1]);
    expect(await start(first.id)).toMatchObject({ stateKey: 'open' });
    expect(await start(second.id)).toMatchObject({ stateKey: 'open' });

    const draft = await t.startDraft.mutate({ workflowId });
    expect(draft).toMatchObject({ number: 2, revision: 1 });
    await expectApiError(t.startDraft.mutate({ workflowId, fromVersion: 1 }), 'CONFLICT', /already a draft/);
    const renamed = definitionSchema.parse({
      states: [{ ...ORDER_FLOW.states[0]!, key: 'queued', label: 'Queued' }, ...ORDER_FLOW.states.slice(1)],
      transitions: ORDER_FLOW.transitions.map((x) => (x.from === 'open' ? { ...x, from: 'queued' } : x)),
    });
    await t.saveDraft.mutate({ versionId: draft.id, revision: 1, definition: renamed });
    const changes = await t.diff.query({ fromVersionId: draftId, toVersionId: draft.id });
    expect(changes).toContainEqual(
      expect.objectContaining({ change: 'added', part: 'state', key: 'queued' }),
    );
    expect(changes).toContainEqual(
      expect.objectContaining({ change: 'removed', part: 'state', key: 'open' }),
    );
    await t.publish.mutate({ versionId: draft.id, revision: 2, note: 'Queued instead of open' });

    // New records start on the latest version; the two running ones stay on version 1.
    const third = await newOrder();
    expect(await start(third.id)).toMatchObject({ stateKey: 'queued' });
    const opened = await t.get.query({ id: workflowId });
    expect(opened.versions.map((x) => [x.number, x.instances])).toEqual([
      [1, 2],
      [2, 1],
    ]);

    const preview = await t.migrationPreview.query({ workflowId, toVersion: 2 });
    expect(preview.statesInUse).toEqual(['open']);
    expect(preview.proposed).toEqual({ open: null });
    expect(preview.targetStates.map((s) => s.key)).toEqual(['queued', 'in_work', 'done']);
    expect(preview.instances.map((i) => [i.entityId, i.code, i.fromVersion, i.stateKey]).sort()).toEqual(
      [
        [first.id, first.number, 1, 'open'],
        [second.id, second.number, 1, 'open'],
      ].sort(),
    );
    await expectApiError(
      t.migrate.mutate({ workflowId, toVersion: 2, mapping: {}, reason: 'Rename' }),
      'BAD_REQUEST',
    );
    await expectApiError(
      t.migrate.mutate({ workflowId, toVersion: 2, mapping: { open: 'nowhere' }, reason: 'Rename' }),
      'BAD_REQUEST',
    );
    expect((await t.migrationPreview.query({ workflowId, toVersion: 2 })).instances).toHaveLength(2);

    const trail = auditTrail(app.database.db, app.tenants.a);
    const entries = await trail.during(async () => {
      expect(
        await t.migrate.mutate({ workflowId, toVersion: 2, mapping: { open: 'queued' }, reason: 'Rename' }),
      ).toEqual({ moved: 2 });
    });
    expect(entries.map((e) => [e.action, e.entityId, e.reason]).sort()).toEqual(
      [
        ['workflow.migrate', first.id, 'Rename'],
        ['workflow.migrate', second.id, 'Rename'],
      ].sort(),
    );
    expect(entries[0]).toMatchObject({
      entityType: 'production_order',
      oldValues: { workflowVersion: 1, state: 'open' },
      newValues: { workflowVersion: 2, state: 'queued' },
    });
    const moved = await asAdminA((tx) =>
      rows<{
        number: number;
        state_key: string;
        version: number;
        round: number;
        kind: string;
        detail: unknown;
      }>(
        tx,
        sql`select v.number, i.state_key, i.version, i.round, e.kind, e.detail
              from workflow_instances i
              join workflow_versions v on v.id = i.version_id
              join workflow_events e on e.instance_id = i.id and e.kind = 'migrated'
             where i.entity_id = ${first.id}`,
      ),
    );
    expect(moved).toEqual([
      {
        number: 2,
        state_key: 'queued',
        version: 2,
        round: 2,
        kind: 'migrated',
        detail: { fromVersion: 1, toVersion: 2 },
      },
    ]);
    expect((await t.migrationPreview.query({ workflowId, toVersion: 2 })).instances).toEqual([]);
    // Nothing left to move writes nothing, and so needs no audit entry.
    expect(await t.migrate.mutate({ workflowId, toVersion: 2, mapping: {}, reason: 'Again' })).toEqual({
      moved: 0,
    });
    await expectApiError(t.migrationPreview.query({ workflowId, toVersion: 9 }), 'NOT_FOUND');
  });

  it('gives the runtime the latest published definition, cached per tenant and version', async () => {
    const latest = await asAdminA((tx) => publishedVersionFor(tx, 'production_order'));
    expect(latest).toMatchObject({ workflowId, number: 2 });
    const again = await asAdminA((tx) => versionDefinition(tx, latest!.versionId));
    expect(again).toBe(latest!.definition);
    expect(Object.isFrozen(again.states[0])).toBe(true);
    expect(await asAdminA((tx) => publishedVersionFor(tx, 'line'))).toBeNull();
    // Tenant B asking for A's version by id is not answered from the cache.
    await expect(
      app.database.db.transact({ tenantId: app.tenants.b.tenantId, plantIds: 'all' }, (tx) =>
        versionDefinition(tx, latest!.versionId),
      ),
    ).rejects.toThrow(/No such workflow version/);
  });

  it('renames a workflow edited from its current row version only', async () => {
    const t = app.admin.trpc.workflow.definitions;
    const trail = auditTrail(app.database.db, app.tenants.a);
    const entries = await trail.during(() =>
      t.update.mutate({ id: workflowId, version: 1, name: 'Order release (v2)', description: 'Orders' }),
    );
    expectEntries(entries, [
      {
        action: 'workflow.update',
        oldValues: { name: 'Order release' },
        newValues: { name: 'Order release (v2)' },
      },
    ]);
    await expectApiError(
      t.update.mutate({ id: workflowId, version: 1, name: 'Stale', description: '' }),
      'CONFLICT',
    );
    // The list carries the row version a rename from it is made against.
    const listed = (await t.list.query()).find((x) => x.id === workflowId);
    expect(listed).toMatchObject({ name: 'Order release (v2)', description: 'Orders', version: 2 });
    const same = { id: workflowId, version: 2, name: 'Order release (v2)', description: 'Orders' };
    expect(await trail.during(() => t.update.mutate(same))).toEqual([]);
    expect(await t.update.mutate(same)).toEqual({ version: 2 });
  });

  it('shows a tenant only its own workflows, and only to holders of workflows.manage', async () => {
    const b = app.adminB.trpc.workflow.definitions;
    expect((await b.list.query()).map((x) => x.id)).not.toContain(workflowId);
    await expectApiError(b.get.query({ id: workflowId }), 'NOT_FOUND');
    await expectApiError(b.version.query({ versionId: draftId }), 'NOT_FOUND');
    await expectApiError(b.startDraft.mutate({ workflowId }), 'NOT_FOUND');
    await expectApiError(
      b.migrate.mutate({ workflowId, toVersion: 1, mapping: { open: 'open' }, reason: 'Cross' }),
      'NOT_FOUND',
    );
    const roles = await app.admin.trpc.rbac.roles.list.query();
    const operator = roles.find((r) => r.key === 'operator')!;
    const user = await addUser(app.admin, { roleIds: [operator.id], plantIds: app.tenants.a.plantIds });
    const signedIn = await signIn(app.server.url, user.email);
    await expectApiError(signedIn.trpc.workflow.definitions.list.query(), 'FORBIDDEN');
  });
});
