import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase, testEngines } from '../testing/engines.js';
import { createTwoTenants } from '../testing/tenants.js';
import { type Database, readAlongside, readSideBySide, rows, type Sql } from './index.js';

/*
 * Reads alongside a transaction (parallel-reads.ts): on a PostgreSQL server they run on another
 * connection, see exactly the instant the transaction sees — not a row committed after it began —
 * and only the scope's tenant; on the embedded engine they run on the transaction itself.
 */

const plantCodes = async (tx: Sql) =>
  (await rows<{ code: string }>(tx, sql`select code from plants order by code`)).map((r) => r.code);
const backend = async (tx: Sql) =>
  (await rows<{ pid: number }>(tx, sql`select pg_backend_pid() as pid`))[0]?.pid;

describe.each(testEngines)('reads alongside a transaction on the $name engine', (engine) => {
  let test: TestDatabase;
  let db: Database;
  let tenants: Awaited<ReturnType<typeof createTwoTenants>>;

  beforeAll(async () => {
    test = await engine.create();
    db = test.db;
    tenants = await createTwoTenants(db);
  });
  afterAll(() => test?.drop());

  it('sees the instant and the scope of the transaction it reads beside', async () => {
    const scope = { tenantId: tenants.a.tenantId, plantIds: 'all' as const };
    const addPlant = (code: string) =>
      db.ownerTransact(scope, (tx) =>
        tx.execute(sql`insert into plants (tenant_id, code, name, timezone)
                       values (${tenants.a.tenantId}::uuid, ${code}, ${code}, 'UTC')`),
      );
    const reading = db.transactReading ?? db.transact;
    const seen = await reading(scope, async (tx) => {
      const before = await plantCodes(tx);
      // Committed by another transaction after this one took its snapshot (server), or before the
      // reads below on the embedded engine's one connection — where it cannot run concurrently at all.
      if (db.transactReading !== undefined) await addPlant('LATE1');
      const [beside, again] = await Promise.all([readAlongside(tx, plantCodes), plantCodes(tx)]);
      const pids = await Promise.all([readAlongside(tx, backend), backend(tx)]);
      return { before, beside, again, pids };
    });
    expect(seen.beside).toEqual(seen.before);
    expect(seen.again).toEqual(seen.before);
    const mine = await db.ownerTransact(scope, plantCodes);
    const theirs = await db.ownerTransact({ tenantId: tenants.b.tenantId, plantIds: 'all' }, plantCodes);
    expect(seen.before.length).toBeGreaterThan(0);
    for (const code of theirs) if (!mine.includes(code)) expect(seen.beside).not.toContain(code);
    if (db.transactReading !== undefined) {
      expect(mine).toContain('LATE1');
      expect(seen.beside).not.toContain('LATE1');
      expect(seen.pids[0]).not.toBe(seen.pids[1]);
    } else {
      expect(seen.pids[0]).toBe(seen.pids[1]);
    }
  });

  it('refuses writes alongside, as the reading transaction itself does', async () => {
    if (db.transactReading === undefined) return;
    const scope = { tenantId: tenants.a.tenantId, plantIds: 'all' as const };
    await expect(
      db.transactReading(scope, (tx) =>
        readAlongside(tx, (beside) => beside.execute(sql`update plants set name = name`)),
      ),
    ).rejects.toMatchObject({ cause: { message: expect.stringMatching(/read-only transaction/) } });
  });

  it('reads two parts side by side where it can, and waits for both when one fails', async () => {
    const scope = { tenantId: tenants.a.tenantId, plantIds: 'all' as const };
    const reading = db.transactReading ?? db.transact;
    const pids = await reading(scope, (tx) => readSideBySide(tx, backend, backend));
    if (db.transactReading !== undefined) expect(pids[0]).not.toBe(pids[1]);
    else expect(pids[0]).toBe(pids[1]);
    let slowEnded = false;
    await expect(
      reading(scope, (tx) =>
        readSideBySide(
          tx,
          () => Promise.reject(new Error('first failed')),
          async (beside) => {
            await beside.execute(sql`select pg_sleep(0.2)`);
            slowEnded = true;
          },
        ),
      ),
    ).rejects.toThrow('first failed');
    // Side by side, the second had begun and was waited for; one after the other, it never began.
    expect(slowEnded).toBe(db.transactReading !== undefined);
  });
});
