import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServerDatabase } from '../testing/engines.js';
import { rows } from './rows.js';
import { type FirstStatement, serverTransaction } from './server-transaction.js';

/*
 * A server transaction sends its BEGIN with its first statement, a named statement prepared once per
 * connection whose values travel as quoted literals (server-transaction.ts). One connection in the
 * pool, so every transaction below runs on the same one and meets what the last one left.
 */
describe.skipIf(process.env.TEST_DATABASE_URL === undefined)('server transactions', () => {
  let database: Awaited<ReturnType<typeof createServerDatabase>>;
  let pool: pg.Pool;

  beforeAll(async () => {
    database = await createServerDatabase();
    pool = new pg.Pool({ connectionString: database.url, max: 1 });
    await pool.query('create table kept (value text)');
  });

  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  const echo = (value: unknown): FirstStatement => ({
    name: 'test_echo',
    statement: sql`select set_config('test.value', ${sql.placeholder('value')}::text, true) as value`,
    values: { value },
  });

  it('hands the first statement its values intact and runs the body in the same transaction', async () => {
    for (const value of ["it's", 'back\\slash', "\\'; drop table kept; --", 'ünïcode ✓', '']) {
      const seen = await serverTransaction(pool, echo(value), async (tx, found) => {
        const [setting] = await rows<{ value: string }>(
          tx,
          sql`select current_setting('test.value') as value`,
        );
        return { found: found[0]?.value, setting: setting?.value };
      });
      expect(seen).toEqual({ found: value, setting: value });
    }
    const when = new Date('2026-03-04T05:06:07.089Z');
    const time = await serverTransaction(
      pool,
      {
        name: 'test_time',
        statement: sql`select ${sql.placeholder('at')}::timestamptz as at`,
        values: { at: when },
      },
      async (_tx, found) => found[0]?.at,
    );
    expect(time).toEqual(when);
    expect((await pool.query('select count(*)::int as n from kept')).rows[0].n).toBe(0);
  });

  it('refuses a value it cannot write as a literal', async () => {
    await expect(serverTransaction(pool, echo({ not: 'text' }), async () => 1)).rejects.toThrow(
      /must be text/,
    );
  });

  it('rolls back a body that throws and leaves the connection usable', async () => {
    await expect(
      serverTransaction(pool, echo('x'), async (tx) => {
        await tx.execute(sql`insert into kept values ('lost')`);
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    await serverTransaction(pool, echo('y'), (tx) => tx.execute(sql`insert into kept values ('kept')`));
    expect((await pool.query('select value from kept')).rows).toEqual([{ value: 'kept' }]);
  });

  it('rolls back a first statement that fails', async () => {
    const failing: FirstStatement = {
      name: 'test_divide',
      statement: sql`select 1 / ${sql.placeholder('by')}::int as quotient`,
      values: { by: 0 },
    };
    await expect(serverTransaction(pool, failing, async () => 1)).rejects.toThrow(/division by zero/);
    expect(
      await serverTransaction(pool, { ...failing, values: { by: 2 } }, async (_tx, found) => found),
    ).toEqual([{ quotient: 0 }]);
  });

  it('prepares each statement once per connection, and again when the connection lost it', async () => {
    for (let i = 0; i < 3; i++) await serverTransaction(pool, echo(String(i)), async () => null);
    const prepared = () =>
      serverTransaction(pool, echo('count'), (tx) =>
        rows<{ name: string }>(tx, sql`select name from pg_prepared_statements order by name`),
      );
    expect((await prepared()).map((p) => p.name)).toEqual(['test_divide', 'test_echo', 'test_time']);
    await serverTransaction(pool, echo('forget'), (tx) => tx.execute(sql`deallocate all`));
    expect((await prepared()).map((p) => p.name)).toEqual(['test_echo']);
  });
});
