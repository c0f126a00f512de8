import { type Permission, tables } from '@plantline/schema';
import { TRPCError } from '@trpc/server';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from './app-router.js';
import type { Database } from './db/index.js';
import { audit, type Principal } from './platform/index.js';
import { auditMark } from './testing/audit-entries.js';
import { callerContext } from './testing/context.js';
import { testEngines } from './testing/engines.js';
import { createTwoTenants } from './testing/tenants.js';
import { router, signedInProcedure } from './trpc/procedures.js';

/*
 * Every change is audited (docs/audit.md, "Who records what"). The API refuses a mutation whose
 * transaction wrote without an audit() call unless the procedure declares why it need not
 * (`unaudited` in its metadata); app-router.inputs.test.ts calls every mutation with valid input,
 * so a mutation that forgets its entry fails there with that refusal. Here: the list of exemptions
 * is the one below, each with its reason, and the refusal itself works.
 */

/** The mutations that write without an audit entry, and why. A new one must be added here. */
const EXEMPT: Record<string, string> = {
  // A verification run and a signed checkpoint are records of their own, append-only like the trail.
  'audit.verify': 'its run is its record',
  'audit.checkpoints.create': 'the checkpoint is its record',
  // Machine events are themselves the record, kept in the commit log under the sending key.
  'ingest.push': 'machine events',
  // A person's own inbox and delivery choices: no business record changes.
  'notifications.markRead': 'own inbox',
  'notifications.preferences.set': 'own preferences',
  'notifications.sendTest': 'own inbox',
};

const procedures = Object.entries(
  appRouter._def.procedures as unknown as Record<
    string,
    { _def: { meta?: { unaudited?: string }; type: string } }
  >,
);

describe('audited mutations', () => {
  it('lists every exemption here, each with its reason in the procedure', () => {
    const mutations = procedures.filter(([, p]) => p._def.type === 'mutation');
    expect(mutations.length).toBeGreaterThan(50);
    const exempt = mutations.filter(([, p]) => p._def.meta?.unaudited !== undefined);
    expect(
      Object.fromEntries(exempt.map(([path]) => [path, EXEMPT[path] ?? 'not listed in EXEMPT'])),
    ).toEqual(EXEMPT);
    for (const [path, p] of exempt) expect(p._def.meta?.unaudited?.length, path).toBeGreaterThan(20);
  });
});

describe.each(testEngines)('the unaudited-write refusal ($name engine)', (engine) => {
  let db: Database;
  let drop: () => Promise<void>;
  let tenants: Awaited<ReturnType<typeof createTwoTenants>>;

  beforeAll(async () => {
    const created = await engine.create();
    db = created.db;
    drop = created.drop;
    tenants = await createTwoTenants(db);
  });
  afterAll(() => drop?.());

  /** A write any signed-in user's transaction can make: renaming themselves. */
  const rename = (tx: Parameters<Parameters<Database['transact']>[1]>[0], name: string, userId: string) =>
    tx.update(tables.users).set({ displayName: name }).where(eq(tables.users.id, userId));

  const probe = router({
    forgets: signedInProcedure.mutation(({ ctx }) => rename(ctx.tx, 'Forgot', ctx.principal.userId!)),
    records: signedInProcedure.mutation(async ({ ctx }) => {
      await rename(ctx.tx, 'Recorded', ctx.principal.userId!);
      audit(ctx.tx, {
        action: 'user.update',
        entityType: 'user',
        entityId: ctx.principal.userId!,
        after: {},
      });
    }),
    declares: signedInProcedure
      .meta({ unaudited: 'a probe of the declared exemption, nothing else' })
      .mutation(({ ctx }) => rename(ctx.tx, 'Declared', ctx.principal.userId!)),
    readsOnly: signedInProcedure.mutation(({ ctx }) => ctx.tx.execute(sql`select 1`)),
  });

  function callerFor(): ReturnType<typeof probe.createCaller> {
    const principal: Principal = {
      kind: 'user',
      tenantId: tenants.a.tenantId,
      userId: tenants.a.adminUserId,
      apiKeyId: null,
      sessionId: null,
      permissions: new Set<Permission>(),
      plantIds: 'all',
    };
    return probe.createCaller(callerContext(db, principal));
  }

  const nameNow = async () => {
    const [user] = await db.transact({ tenantId: tenants.a.tenantId, plantIds: 'all' }, (tx) =>
      tx
        .select({ name: tables.users.displayName })
        .from(tables.users)
        .where(eq(tables.users.id, tenants.a.adminUserId)),
    );
    return user?.name;
  };

  it('refuses a write without an entry and rolls it back; allows a recorded or declared one', async () => {
    const caller = callerFor();
    const before = await nameNow();
    await expect(caller.forgets()).rejects.toSatisfy(
      (error) => error instanceof TRPCError && error.code === 'INTERNAL_SERVER_ERROR',
    );
    expect(await nameNow()).toBe(before);

    const mark = await auditMark(db, tenants.a.tenantId);
    await caller.records();
    expect(await nameNow()).toBe('Recorded');
    expect(await auditMark(db, tenants.a.tenantId)).toBe(mark + 1);

    await caller.declares();
    expect(await nameNow()).toBe('Declared');
    await expect(caller.readsOnly()).resolves.toBeDefined();
  });
});
