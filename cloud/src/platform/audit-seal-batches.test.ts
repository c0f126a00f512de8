import { tables } from '@plantline/schema';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../db/index.js';
import { auditMark } from '../testing/audit-entries.js';
import { type TestDatabase, testEngines } from '../testing/engines.js';
import { createTwoTenants } from '../testing/tenants.js';
import { audit } from './audit-trail.js';

/*
 * One change may record thousands of entries (a type list imported from CSV, docs/configuration.md):
 * sealing writes them in parts, since a statement binds at most 65 535 parameters.
 */
describe.each(testEngines)('sealing a large change ($name engine)', (engine) => {
  let test: TestDatabase;
  let tenants: Awaited<ReturnType<typeof createTwoTenants>>;

  beforeAll(async () => {
    test = await engine.create();
    tenants = await createTwoTenants(test.db);
  });
  afterAll(() => test?.drop());

  it('seals 3 500 entries of one transaction into one gap-free run', async () => {
    const scope = { tenantId: tenants.a.tenantId, userId: tenants.a.adminUserId, plantIds: 'all' as const };
    // Creating the tenant recorded entries of its own; this change's run follows them.
    const before = await auditMark(test.db, tenants.a.tenantId);
    await test.db.transact(scope, async (tx) => {
      for (let i = 0; i < 3500; i++)
        audit(tx, { action: 'test.create', entityType: 'test', entityId: `t-${i}`, after: { i } });
    });
    const [counted] = await test.db.transact(scope, (tx) =>
      rows<{ n: number; first: number; last: number }>(
        tx,
        sql`select count(*)::int as n, min(seq)::int as first, max(seq)::int as last
              from ${tables.auditLog} where action = 'test.create'`,
      ),
    );
    expect(counted).toEqual({ n: 3500, first: before + 1, last: before + 3500 });
  });
});
