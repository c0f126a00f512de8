import { describe, expect, it } from 'vitest';
import { inlineParameters } from './inline-parameters.js';

/* Writing a query's parameters into its text, for COPY (inline-parameters.ts). */

describe('inlining query parameters', () => {
  it('writes each parameter as a quoted literal', () => {
    expect(
      inlineParameters('select * from t where a = $1 and b > $2 and c = $3 and d = $10', [
        "O'Brien",
        -5,
        new Date('2026-01-02T03:04:05.678Z'),
        ...Array.from({ length: 6 }, () => null),
        true,
      ]),
    ).toBe(
      "select * from t where a = 'O''Brien' and b > '-5' and c = '2026-01-02T03:04:05.678Z' and d = 'true'",
    );
    // A backslash is written as pg writes it, in an escape string.
    expect(inlineParameters('select $1', ['a\\b'])).toBe("select  E'a\\\\b'");
    // Absent values are NULL; a subtraction of a negative number cannot become a comment.
    expect(inlineParameters('select x-$1, $2', [-1, undefined])).toBe("select x-'-1', NULL");
  });

  it('writes an array in PostgreSQL’s array text form', () => {
    expect(inlineParameters('select $1::text[]', [['a', 'b"c', null, 'd\\e']])).toBe(
      `select  E'{"a","b\\\\"c",NULL,"d\\\\\\\\e"}'::text[]`,
    );
  });

  it('leaves placeholders in literals, quoted names and comments alone', () => {
    expect(inlineParameters(`select '$1', 'it''s $1', "$1" from t -- $1\nwhere a = $1`, ['v'])).toBe(
      `select '$1', 'it''s $1', "$1" from t -- $1\nwhere a = 'v'`,
    );
  });

  it('refuses what it cannot write', () => {
    expect(() => inlineParameters('select $2', ['a'])).toThrow('Query has no parameter $2');
    expect(() => inlineParameters('select $1', [{ a: 1 }])).toThrow('cannot be written as a literal');
    expect(() => inlineParameters("select 'open", [])).toThrow('Unterminated quote');
  });
});
