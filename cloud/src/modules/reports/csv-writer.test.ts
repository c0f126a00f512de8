import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import { csvBytes, csvOptions } from './csv-writer.js';
import type { Cell } from './sources.js';

/*
 * The CSV writer writes rows itself for speed, and csv-stringify stays the definition of the text
 * (csv-writer.ts): every kind of cell, and many generated ones, must come out byte for byte as
 * csv-stringify writes them with the same options.
 */

const fixtures: Cell[] = [
  null,
  '',
  'plain',
  ' padded ',
  'comma, inside',
  'say "hi"',
  '"',
  'line\nbreak',
  'carriage\rreturn',
  'crlf\r\n',
  '=SUM(A1:A2)',
  '=HYPERLINK("x")',
  '+1',
  '-1',
  '@user',
  '\ttab first',
  '\rreturn first',
  '\uFF1Dfull-width equals',
  '\uFF0B',
  '\uFF0D,',
  '\uFF20"',
  "'already quoted",
  'Straße ✓ 工厂',
  'name: A → B\nrate: 1 → 2',
  0,
  -0,
  1,
  -1,
  0.8125,
  -12.5,
  1e21,
  1e-7,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  true,
  false,
];

/** A deterministic generator, so a failure shows the same cells again. */
function generated(count: number): Cell[][] {
  const alphabet = ['a', 'Z', ' ', ',', '"', '\n', '\r', '=', '+', '-', '@', '\t', "'", 'é', '\uFF1D'];
  let seed = 42;
  const next = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed;
  };
  return Array.from({ length: count }, () =>
    Array.from({ length: 1 + (next() % 5) }, () => {
      const kind = next() % 10;
      if (kind === 0) return null;
      if (kind === 1) return (next() % 2_000) / 7 - 100;
      if (kind === 2) return next() % 2 === 0;
      return Array.from({ length: next() % 8 }, () => alphabet[next() % alphabet.length]).join('');
    }),
  );
}

/** What csv-stringify writes; the writer turns "no data" (null) into an empty cell first. */
const expected = (rows: Cell[][]) =>
  stringify(
    rows.map((row) => row.map((c) => (c === null ? '' : c))),
    csvOptions,
  );

/** The writer's bytes, read back as text. */
const csvText = (rows: readonly (readonly Cell[])[]) => Buffer.concat(csvBytes(rows)).toString('utf8');

describe('CSV text', () => {
  it('writes every kind of cell as csv-stringify does', () => {
    for (const cell of fixtures) expect(csvText([[cell]]), JSON.stringify(cell)).toBe(expected([[cell]]));
    const row = [...fixtures];
    expect(csvText([row, row])).toBe(expected([row, row]));
  });

  it('writes generated rows as csv-stringify does', () => {
    const rows = generated(5_000);
    expect(csvText(rows)).toBe(expected(rows));
  });

  it('writes nothing for no rows', () => {
    expect(csvBytes([])).toEqual([]);
  });

  it('passes a buffer on when the next record may not fit, and takes records larger than one', () => {
    const wide = 'é'.repeat(200_000);
    const rows: Cell[][] = [['a', 1], [wide, '→'], ['b', 2], ...generated(2_000)];
    const chunks = csvBytes(rows);
    expect(chunks.length).toBeGreaterThanOrEqual(2);
    expect(Buffer.concat(chunks).toString('utf8')).toBe(expected(rows));
  });
});
