import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase, testEngines } from '../testing/engines.js';
import { type NamedStatement, namedRows } from './named.js';
import { rows } from './rows.js';

const ECHO: NamedStatement = {
  name: 'test_named_echo',
  statement: sql`select ${sql.placeholder('text')}::text as text, ${sql.placeholder('at')}::timestamptz as at,
                        ${sql.placeholder('count')}::int as count, ${sql.placeholder('missing')}::text as missing`,
};

/*
 * Named statements (named.ts) are prepared once per connection and run by name on either engine;
 * the embedded engine writes their values in as literals, which must arrive as they were sent.
 */
describe.each(testEngines)('named statements ($name engine)', (engine) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await engine.create();
  });

  afterAll(() => database?.drop());

  const echo = (text: string) =>
    database.db.transact(null, (tx) =>
      namedRows<{ text: string; at: Date | string; count: number; missing: null }>(tx, ECHO, {
        text,
        at: new Date('2026-03-04T05:06:07.089Z'),
        count: 42,
        missing: null,
      }),
    );

  it('hands the statement its values intact, every time', async () => {
    for (const text of ["it's", 'back\\slash', "\\'); drop table tenants; --", 'ünïcode ✓', '']) {
      const [row] = await echo(text);
      expect({ ...row, at: new Date(row!.at).toISOString() }).toEqual({
        text,
        at: '2026-03-04T05:06:07.089Z',
        count: 42,
        missing: null,
      });
    }
  });

  it('prepares it once, and keeps it through a transaction that fails', async () => {
    await expect(
      database.db.transact(null, async (tx) => {
        await namedRows(tx, ECHO, { text: 'x', at: new Date(), count: 1, missing: null });
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect((await echo('after'))[0]?.text).toBe('after');
    const prepared = await database.db.transact(null, (tx) =>
      rows<{ name: string }>(tx, sql`select name from pg_prepared_statements where name = ${ECHO.name}`),
    );
    // The embedded engine has one connection; a server's pool prepares it on whichever ran it.
    if (engine.name === 'embedded') expect(prepared).toEqual([{ name: ECHO.name }]);
  });
});
