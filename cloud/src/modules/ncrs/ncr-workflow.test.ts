import { beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, addUser, signIn } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { useTestApp } from '../../testing/app.js';
import { testEngines } from '../../testing/engines.js';
import { installDefaultWorkflows } from '../workflow/index.js';

/*
 * NCRs under their default workflow (docs/ncrs.md, "Workflow"): a raised NCR starts it as a draft,
 * the workflow's state shows in the NCR's status, its raiser edits it only as a draft, and a state's
 * field locks hold for the NCR's own fields, its custom values and its linked inspections.
 */
describe.each(testEngines)('NCRs under their workflow ($name engine)', (engine) => {
  const app = useTestApp(engine);
  let admin: ApiClient;
  let operator: ApiClient;
  let plantId: string;
  let step = 0;

  /** Takes a transition as `client` against the instance's current version. */
  async function take(client: ApiClient, ncrId: string, transitionKey: string, comment?: string) {
    const view = await client.trpc.workflow.instances.get.query({ entityType: 'ncr', entityId: ncrId });
    return client.trpc.workflow.instances.act.mutate({
      instanceId: view.instance!.id,
      transitionKey,
      expectedVersion: view.instance!.version,
      idempotencyKey: `ncr-workflow-${++step}`,
      ...(comment === undefined ? {} : { comment }),
    });
  }

  beforeAll(async () => {
    admin = app.admin;
    plantId = app.tenants.a.plantIds[0]!;
    const { tenantId, adminUserId } = app.tenants.a;
    await app.database.db.ownerTransact({ tenantId, plantIds: 'all', userId: adminUserId }, (tx) =>
      installDefaultWorkflows(
        tx,
        { tenantId, plantIds: 'all', userId: adminUserId },
        app.server.deps.workflowEntities,
      ),
    );
    operator = await signIn(
      app.server.url,
      (await addUser(admin, { roleIds: [app.tenants.a.roleIds.operator!], plantIds: [plantId] })).email,
    );
  });

  it('starts the workflow as the NCR is raised, and mirrors its state in the status', async () => {
    const ncr = await operator.trpc.ncrs.create.mutate({ plantId, title: 'Crack in the housing' });
    expect(ncr.status).toBe('draft');
    const view = await operator.trpc.workflow.instances.get.query({ entityType: 'ncr', entityId: ncr.id });
    expect(view.instance?.state.key).toBe('draft');
    expect(view.actions.map((a) => a.transitionKey)).toContain('submit');

    await take(operator, ncr.id, 'submit');
    const submitted = await operator.trpc.ncrs.get.query({ id: ncr.id });
    expect(submitted).toMatchObject({
      status: 'submitted',
      editable: false,
      editRefusal: 'The NCR is no longer a draft: only a quality manager may change it now',
    });
    expect((await operator.trpc.ncrs.list.query({ status: ['submitted'] })).items.map((n) => n.id)).toContain(
      ncr.id,
    );
  });

  it('holds the fields a state makes read-only, and a final state locks everything', async () => {
    const ncr = await admin.trpc.ncrs.create.mutate({ plantId, title: 'Wrong alloy' });
    await take(admin, ncr.id, 'submit');
    await take(admin, ncr.id, 'start_review');
    let version = (await admin.trpc.ncrs.get.query({ id: ncr.id })).version;
    const edited = await admin.trpc.ncrs.update.mutate({
      id: ncr.id,
      expectedVersion: version,
      patch: { disposition: 'scrap', rootCause: 'Mixed bar stock' },
    });
    await take(admin, ncr.id, 'propose_disposition');
    version = edited.version;
    // The board signs the disposition as proposed: it no longer changes in this state, the cost may.
    const refused = await expectApiError(
      admin.trpc.ncrs.update.mutate({
        id: ncr.id,
        expectedVersion: version,
        patch: { disposition: 'rework' },
      }),
      'CONFLICT',
      'In Disposition this field cannot change: Disposition',
    );
    expect(refused.data?.fieldErrors).toEqual({ disposition: 'Read-only in Disposition' });
    version = (
      await admin.trpc.ncrs.update.mutate({ id: ncr.id, expectedVersion: version, patch: { cost: 310 } })
    ).version;

    await take(admin, ncr.id, 'cancel_disposition', 'Supplier takes the lot back');
    const cancelled = await admin.trpc.ncrs.get.query({ id: ncr.id });
    expect(cancelled.status).toBe('cancelled');
    await expectApiError(
      admin.trpc.ncrs.update.mutate({ id: ncr.id, expectedVersion: version, patch: { containment: 'x' } }),
      'CONFLICT',
      'The record is Cancelled: it is read-only',
    );
    await expectApiError(
      // Its links are part of it: none is added or removed any more.
      admin.trpc.ncrs.unlinkInspection.mutate({ ncrId: ncr.id, inspectionId: ncr.id }),
      'CONFLICT',
      'The record is Cancelled: it is read-only',
    );
  });

  it('leaves the NCR’s version as it was after a transition, so an open form still saves', async () => {
    const ncr = await admin.trpc.ncrs.create.mutate({ plantId, title: 'Loose fastener' });
    const before = await admin.trpc.ncrs.get.query({ id: ncr.id });
    await take(admin, ncr.id, 'submit');
    // A transition alone writes no field of the NCR: the form's version still holds.
    const after = await admin.trpc.ncrs.get.query({ id: ncr.id });
    expect(after.version).toBe(before.version);
    expect(
      (
        await admin.trpc.ncrs.update.mutate({
          id: ncr.id,
          expectedVersion: after.version,
          patch: { lot: 'L-3' },
        })
      ).version,
    ).toBe(after.version + 1);
  });
});
