import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tables } from '@plantline/schema';
import { definitionSchema } from '@plantline/schema/workflow';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, rows, type Sql } from '../../db/index.js';
import { auditEntries } from '../../testing/audit-entries.js';
import { callerContext } from '../../testing/context.js';
import { type TestDatabase, testEngines, testLog } from '../../testing/engines.js';
import { createTwoTenants } from '../../testing/tenants.js';
import { seedDemoTenant } from '../demo/index.js';
import { createTenant } from '../tenancy/index.js';
import { DEFAULT_WORKFLOWS, installDefaultWorkflows } from './default-workflows.js';
import { validateDefinition } from './engine/index.js';
import { type WorkflowEntity, workflowEntityMap } from './entities.js';
import { validationContext } from './versions.js';

/*
 * The default NCR and change-order workflows (docs/workflows.md, "Default workflows"): they validate
 * against their record types and the built-in roles, and a tenant gets each once. The record types
 * are the app's own where its registry has them (build-app-deps.ts); where a domain is not part of
 * this build, a description of its table with the fields docs/ncrs.md and docs/change-orders.md name
 * stands in.
 */

const field = (key: string, kind: WorkflowEntity['fields'][number]['kind'], extra = {}) => ({
  key,
  label: key,
  kind,
  column: key,
  settable: false,
  ...extra,
});

const standIns: WorkflowEntity[] = [
  {
    key: 'ncr',
    label: 'NCR',
    table: 'ncrs',
    codeColumn: 'number',
    titleColumn: 'title',
    plantColumn: 'plant_id',
    statusColumn: 'status',
    createdByColumn: 'raised_by',
    readPermission: 'quality.read',
    fields: [
      field('title', 'text'),
      field('root_cause', 'text'),
      field('disposition', 'choice', { choices: tables.ncrDispositions, settable: true }),
      { ...field('owner', 'user', { settable: true }), column: 'owner_id' },
    ],
    link: (id) => `/quality/ncrs/${id}`,
  },
  {
    key: 'change_order',
    label: 'Change order',
    table: 'change_orders',
    codeColumn: 'number',
    titleColumn: 'title',
    plantColumn: 'plant_id',
    statusColumn: 'status',
    createdByColumn: 'raised_by',
    readPermission: 'changes.read',
    fields: [
      field('title', 'text'),
      field('urgency', 'choice', { choices: tables.changeUrgencies }),
      { ...field('owner', 'user', { settable: true }), column: 'owner_id' },
      field('implemented_at', 'datetime', { settable: true }),
    ],
    link: (id) => `/change-orders/${id}`,
  },
];

describe.each(testEngines)('default workflows ($name engine)', (engine) => {
  let test: TestDatabase;
  let db: Database;
  let tenants: Awaited<ReturnType<typeof createTwoTenants>>;
  let registry: ReturnType<typeof workflowEntityMap>;

  beforeAll(async () => {
    test = await engine.create();
    db = test.db;
    tenants = await createTwoTenants(db);
    const app = callerContext(db, null).deps.workflowEntities;
    registry = workflowEntityMap([...app.values(), ...standIns.filter((e) => !app.has(e.key))]);
  });
  afterAll(() => test?.drop());

  const asSystem = <T>(tenantId: string, work: (tx: Sql) => Promise<T>) =>
    db.transact({ tenantId, plantIds: 'all' }, work);

  it('validate against their record types and the built-in roles', async () => {
    for (const workflow of DEFAULT_WORKFLOWS) {
      const issues = await asSystem(tenants.a.tenantId, async (tx) => {
        const { catalogue, known } = await validationContext(tx, registry, workflow.entityType);
        return validateDefinition(definitionSchema.parse(workflow.definition), catalogue, known);
      });
      expect(issues, workflow.key).toEqual([]);
    }
  });

  it('are installed and published once per tenant, by the system, audited', async () => {
    const { tenantId } = tenants.a;
    const before = (await auditEntries(db, tenantId)).length;
    expect(
      await asSystem(tenantId, (tx) => installDefaultWorkflows(tx, { tenantId, plantIds: 'all' }, registry)),
    ).toEqual({
      installed: ['ncr', 'change_order'],
    });
    expect(
      await asSystem(tenantId, (tx) => installDefaultWorkflows(tx, { tenantId, plantIds: 'all' }, registry)),
    ).toEqual({
      installed: [],
    });
    const entries = (await auditEntries(db, tenantId)).slice(before);
    expect(entries.map((e) => [e.action, e.entityLabel, e.actorKind])).toEqual([
      ['workflow.create', 'ncr', 'system'],
      ['workflow.publish', 'ncr v1', 'system'],
      ['workflow.create', 'change_order', 'system'],
      ['workflow.publish', 'change_order v1', 'system'],
    ]);
    const published = await asSystem(tenantId, (tx) =>
      rows<{ entity_type: string; number: number; status: string; states: number; transitions: number }>(
        tx,
        sql`select w.entity_type, v.number, v.status,
               (select count(*)::int from workflow_states s where s.version_id = v.id) as states,
               (select count(*)::int from workflow_transitions t where t.version_id = v.id) as transitions
             from workflows w join workflow_versions v on v.workflow_id = w.id order by w.entity_type`,
      ),
    );
    expect(published).toEqual([
      { entity_type: 'change_order', number: 1, status: 'published', states: 6, transitions: 7 },
      { entity_type: 'ncr', number: 1, status: 'published', states: 7, transitions: 10 },
    ]);
  });

  it('are installed only for the record types the app has', async () => {
    const { tenantId } = tenants.b;
    const withoutChanges = workflowEntityMap([...registry.values()].filter((e) => e.key !== 'change_order'));
    expect(
      await asSystem(tenantId, (tx) =>
        installDefaultWorkflows(tx, { tenantId, plantIds: 'all' }, withoutChanges),
      ),
    ).toEqual({ installed: ['ncr'] });
  });

  it('come with a new tenant created with the app’s record types', async () => {
    const created = await createTenant(
      db,
      {
        name: 'Tenant with workflows',
        slug: `with-workflows-${Math.random().toString(36).slice(2, 8)}`,
        plants: [{ code: 'W1', name: 'Plant', timezone: 'UTC' }],
        admin: {
          email: `admin-${Math.random().toString(36).slice(2, 8)}@test.plantline.local`,
          displayName: 'Admin',
          password: 'a long enough password 1',
        },
      },
      { workflowEntities: registry },
    );

    const keys = await asSystem(created.tenantId, (tx) =>
      rows<{ key: string }>(tx, sql`select key from workflows order by key`),
    );
    expect(keys.map((k) => k.key)).toEqual(['change_order', 'ncr']);
  });

  it('come to a demo tenant seeded before they existed, on the next start', async () => {
    const demo = await createTenant(db, {
      name: 'Demo Manufacturing',
      slug: 'demo',
      plants: [{ code: 'RIV', name: 'Riverside', timezone: 'Europe/Berlin' }],
      admin: {
        email: 'admin@demo-upgrade.test.plantline.local',
        displayName: 'Demo',
        password: 'long password 12',
      },
    });
    const dataDir = mkdtempSync(join(tmpdir(), 'plantline-demo-workflows-'));
    try {
      await seedDemoTenant(db, {
        dataDir,
        email: 'admin@demo-upgrade.test.plantline.local',
        password: undefined,
        log: testLog,
        workflowEntities: registry,
      });
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
    const keys = await asSystem(demo.tenantId, (tx) =>
      rows<{ key: string }>(tx, sql`select key from workflows order by key`),
    );
    expect(keys.map((k) => k.key)).toEqual(['change_order', 'ncr']);
  });
});
