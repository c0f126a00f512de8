import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../db/index.js';
import { type TestDatabase, testEngines } from '../../testing/engines.js';

/*
 * The "field: old → new" text the database keeps with every audit entry (docs/audit.md, "Exporting";
 * schema/migrations/0045_audit_changes_text.sql), and the CSV cell the server's own CSV writes
 * (plantline.csv_cell), on both engines.
 */

describe.each(testEngines)('audit changes text ($name engine)', (engine) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await engine.create();
  });
  afterAll(() => database?.drop());

  const changes = async (before: unknown, after: unknown) => {
    const [found] = await database.db.ownerTransact(null, (tx) =>
      rows<{ text: string }>(
        tx,
        sql`select plantline.audit_changes_text(${before === null ? null : JSON.stringify(before)}::jsonb,
                                                ${after === null ? null : JSON.stringify(after)}::jsonb) as text`,
      ),
    );
    return found?.text;
  };

  it('writes one field per line, the new values’ fields first', async () => {
    expect(await changes({ name: 'Press 1', speed: 40 }, { name: 'Press 2', speed: 42 })).toBe(
      'name: Press 1 → Press 2\nspeed: 40 → 42',
    );
    // A creation has no old values, a deletion no new ones; nothing and empty text stay visible.
    expect(await changes(null, { code: 'M1', active: true })).toBe('code: — → M1\nactive: — → true');
    expect(await changes({ note: 'x' }, null)).toBe('note: x → —');
    expect(await changes({ note: '' }, { note: null })).toBe('note: "" → —');
    expect(await changes({ gone: 1, name: 'a' }, { name: 'b' })).toBe('name: a → b\ngone: 1 → —');
    expect(await changes({ limits: { max: 1 } }, { limits: { max: 2 } })).toBe(
      'limits: {"max": 1} → {"max": 2}',
    );
    expect(await changes({ tags: ['a'] }, { tags: [] })).toBe('tags: ["a"] → []');
    expect(await changes(null, null)).toBe('');
    // Values that are no object (never written by the application) count as no fields.
    expect(await changes([1], 'x')).toBe('');
  });

  it('writes a text cell as the application’s CSV writer does', async () => {
    const cells = ['', 'plain', '=SUM(A1)', '+1', '-2', '@x', '\tx', '＝x', 'a,"b"'];
    const found = await database.db.ownerTransact(null, (tx) =>
      rows<{ cell: string | null }>(
        tx,
        sql`select plantline.csv_cell(c) as cell from unnest(${sql.param(cells)}::text[]) with ordinality as t(c, n)
             order by n`,
      ),
    );
    expect(found.map((f) => f.cell)).toEqual([
      null,
      'plain',
      "'=SUM(A1)",
      "'+1",
      "'-2",
      "'@x",
      "'\tx",
      "'＝x",
      'a,"b"',
    ]);
  });
});
