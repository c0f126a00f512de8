import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, signIn } from '../../testing/api.js';
import { callerContext } from '../../testing/context.js';
import { type TestDatabase, testEngines, testLog } from '../../testing/engines.js';
import { startTestServer } from '../../testing/server.js';
import { DEMO_NCRS } from './demo-ncrs.js';
import { DEMO_PEOPLE, type DemoPersonKey, demoPerson } from './demo-people.js';
import { type DemoCredentials, seedDemoTenant } from './demo-seed.js';

/*
 * The demo's workflows in motion (docs/demo.md, "People" and "NCRs"): Riverside's five NCRs, each
 * taken by the demo people as far as its stage with their signatures, and the change order at its
 * board; then the steps left open are taken over the API by the people a new user would sign in as,
 * to the end of each workflow.
 */
describe.each(testEngines)("the demo's workflows ($name engine)", (engine) => {
  let database: TestDatabase;
  let dataDir: string;
  let server: Awaited<ReturnType<typeof startTestServer>>;
  const email = 'admin@demo-workflows.test.plantline.local';
  const password = 'demo-password-for-tests';
  const clients = new Map<string, ApiClient>();
  const as = async (who: DemoPersonKey | 'admin') => {
    const address = who === 'admin' ? email : demoPerson(who).email;
    let client = clients.get(address);
    if (client === undefined) {
      client = await signIn(server.url, address, password);
      clients.set(address, client);
    }
    return client.trpc;
  };
  const ncrByTitle = async (title: string) => {
    const admin = await as('admin');
    const { items } = await admin.ncrs.list.query({});
    const ncr = items.find((n) => n.title === title);
    if (ncr === undefined) throw new Error(`No demo NCR ${title}`);
    return ncr;
  };
  /** Takes `transition` as `who` against the version the record shows them, signing when asked. */
  const take = async (
    who: DemoPersonKey,
    record: { entityType: string; entityId: string },
    transition: string,
    vote?: 'approve',
  ) => {
    const trpc = await as(who);
    const { instance, actions } = await trpc.workflow.instances.get.query(record);
    const action = actions.find((a) => a.transitionKey === transition);
    return trpc.workflow.instances.act.mutate({
      instanceId: instance!.id,
      transitionKey: transition,
      expectedVersion: instance!.version,
      idempotencyKey: randomUUID(),
      decision: vote,
      signature: action?.signature ? { email: demoPerson(who).email, password } : undefined,
    });
  };

  beforeAll(async () => {
    database = await engine.create();
    dataDir = mkdtempSync(join(tmpdir(), 'plantline-demo-workflows-'));
    const { deps } = callerContext(database.db, null);
    await seedDemoTenant(database.db, {
      dataDir,
      email,
      password,
      log: testLog,
      workflowEntities: deps.workflowEntities,
      app: deps,
    });
    server = await startTestServer(database.db);
  });

  afterAll(async () => {
    await server?.close();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('lists the demo people in the credentials file, with the administrator’s password', () => {
    const credentials = JSON.parse(
      readFileSync(join(dataDir, 'demo-credentials.json'), 'utf8'),
    ) as DemoCredentials;
    expect(credentials).toMatchObject({ email, password });
    expect(credentials.people.map((p) => p.email)).toEqual(DEMO_PEOPLE.map((p) => p.email));
  });

  it('raises five NCRs on Riverside, each by its raiser and owned by the quality lead', async () => {
    const admin = await as('admin');
    const { items } = await admin.ncrs.list.query({});
    const year = new Date().getUTCFullYear();
    expect(items.map((n) => n.number).sort()).toEqual(
      [1, 2, 3, 4, 5].map((seq) => `NCR-RIV-${year}-0000${seq}`),
    );
    for (const demo of DEMO_NCRS) {
      const ncr = items.find((n) => n.title === demo.title);
      expect(ncr).toMatchObject({
        plantCode: 'RIV',
        raisedByName: demoPerson(demo.raisedBy).displayName,
        ownerName: 'Maria Keller',
      });
      expect([ncr?.lineCode, ncr?.machineCode, ncr?.productCode, ncr?.defectCode]).not.toContain(null);
    }
    // Parts made by an order of the line name it: the seal and the test rig NCRs are of BRK-200,
    // which both lines are making now.
    const seal = await ncrByTitle('Piston seal missing after seal fitting');
    expect(seal.orderNumber).toMatch(/^PO-RIV-/);
    const search = await admin.search.query.query({ q: 'porosity' });
    expect(search.groups.find((g) => g.entityType === 'ncr')?.results[0]?.title).toBe(
      'Porosity in pump housing castings of supplier lot SUP-2291',
    );
  });

  it('leaves each NCR in its stage, moved there by the demo people', async () => {
    const admin = await as('admin');
    for (const demo of DEMO_NCRS) {
      const ncr = await ncrByTitle(demo.title);
      expect(ncr.status, demo.title).toBe(demo.stage);
      const view = await admin.workflow.instances.get.query({ entityType: 'ncr', entityId: ncr.id });
      expect(view.instance?.state.key).toBe(demo.stage);
    }
    const closed = await ncrByTitle('Piston seal missing after seal fitting');
    const view = await admin.workflow.instances.get.query({ entityType: 'ncr', entityId: closed.id });
    expect(
      view.timeline
        .filter((t) => t.kind === 'transition' || t.kind === 'vote')
        .map((t) => [t.kind, t.transitionLabel, t.actor]),
    ).toEqual([
      ['transition', 'Submit', 'Ravi Patel'],
      ['transition', 'Start review', 'Maria Keller'],
      ['transition', 'Propose disposition', 'Maria Keller'],
      ['vote', 'Approve disposition', 'Jonas Weber'],
      ['vote', 'Approve disposition', 'Amira Haddad'],
      ['transition', 'Approve disposition', 'Amira Haddad'],
      ['transition', 'Verify and close', 'Maria Keller'],
    ]);
    // The two Quality approvals of the material review board, signed with their passwords.
    expect(view.signatures.map((s) => [s.signerName, s.meaning, s.voidedAt])).toEqual([
      ['Jonas Weber', 'approval', null],
      ['Amira Haddad', 'approval', null],
    ]);
    // Closed is locked: not even the quality lead changes it now.
    const record = await admin.ncrs.get.query({ id: closed.id });
    expect(record.disposition).toBe('rework');
    const lead = await as('qualityLead');
    await expect(
      lead.ncrs.update.mutate({ id: closed.id, expectedVersion: record.version, patch: { cost: 10 } }),
    ).rejects.toThrow(/Closed/);
  });

  it('notifies Quality of the submitted NCRs and signs every demo person out again', async () => {
    const lead = await as('qualityLead');
    const { items } = await lead.notifications.list.query({});
    expect(items.filter((n) => n.title === 'NCR submitted for review').length).toBeGreaterThanOrEqual(1);
    const admin = await as('admin');
    const entries = await admin.audit.entries.list.query({ action: 'user.', limit: 200 });
    const count = (action: string) => entries.entries.filter((e) => e.action === action).length;
    // This test's own sign-ins are the administrator's and the quality lead's, not yet signed out.
    expect(count('user.sign-in') - 2).toBe(count('user.sign-out'));
  });

  it('lets a new user finish the NCR at its disposition: a second Quality vote, Engineering’s, closing', async () => {
    const ncr = await ncrByTitle('End-of-line test rejects pumps that pass on re-test');
    const record = { entityType: 'ncr', entityId: ncr.id };
    const amira = await as('quality3');
    const seen = await amira.workflow.instances.get.query(record);
    const approve = seen.actions.find((a) => a.transitionKey === 'approve_disposition');
    expect(approve?.votes.map((v) => [v.voter, v.decision, v.signed])).toEqual([
      ['Amira Haddad', 'approve', true],
    ]);
    expect(approve).toMatchObject({ allowed: false, reason: 'Signers must be distinct' });

    expect(await take('quality2', record, 'approve_disposition', 'approve')).toMatchObject({
      outcome: 'voted',
    });
    expect(await take('engineer1', record, 'approve_disposition', 'approve')).toMatchObject({
      outcome: 'moved',
      stateKey: 'rework',
    });
    expect(await take('qualityLead', record, 'close')).toMatchObject({ stateKey: 'closed' });
  });

  it('has the change order at its board with one engineer’s signed approval; the board implements it', async () => {
    const admin = await as('admin');
    const { items } = await admin.changeOrders.list.query({});
    expect(items).toEqual([
      expect.objectContaining({
        productCodes: ['BRK-100'],
        ownerName: 'Demo Administrator',
        status: 'change_board',
      }),
    ]);
    const record = { entityType: 'change_order', entityId: items[0]!.id };
    const view = await admin.workflow.instances.get.query(record);
    expect(view.signatures.map((s) => [s.signerName, s.meaning])).toEqual([['Tom Becker', 'approval']]);

    await take('engineer2', record, 'approve', 'approve');
    expect(await take('quality2', record, 'approve', 'approve')).toMatchObject({ stateKey: 'approved' });
    const order = await admin.changeOrders.get.query({ id: record.entityId });
    expect(order.implementedAt).not.toBeNull();
    const products = await admin.production.products.list.query({});
    expect(products.find((p) => p.code === 'BRK-100')?.revision).toBe('B');
  });
});
