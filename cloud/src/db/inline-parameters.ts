import pg from 'pg';

/*
 * A compiled query with its parameters written into the text as literals. COPY takes no bind
 * parameters, so a query that COPY runs (server-streams.ts, copyOut) is sent this way. Each value
 * becomes a quoted literal (pg's escapeLiteral) whose type PostgreSQL infers from where it stands,
 * as it does for an untyped parameter (an array in PostgreSQL's array text form); a number is quoted too, so that "a-$1" with -5 cannot turn into
 * the comment "a--5". Placeholders inside quoted literals, quoted identifiers and comments are left
 * alone.
 */

/** A scalar as the text pg would send for it; undefined when it is none of those. */
function scalarText(value: unknown): string | undefined {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
    return String(value);
  return undefined;
}

/** An array's text form, `{"a","b",NULL}`, each element quoted with `\` and `"` escaped. */
function arrayText(values: readonly unknown[], index: number): string {
  const elements = values.map((v) => {
    if (v === null || v === undefined) return 'NULL';
    const text = scalarText(v);
    if (text === undefined) throw new Error(`Parameter $${index} has an element that cannot be written`);
    return `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
  });
  return `{${elements.join(',')}}`;
}

function literal(value: unknown, index: number): string {
  if (value === null || value === undefined) return 'NULL';
  if (Array.isArray(value)) return pg.escapeLiteral(arrayText(value, index));
  const text = scalarText(value);
  if (text === undefined)
    throw new Error(`Parameter $${index} cannot be written as a literal (${typeof value})`);
  return pg.escapeLiteral(text);
}

/** `text` with each $n replaced by params[n - 1] as a literal. */
export function inlineParameters(text: string, params: readonly unknown[]): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === "'" || c === '"') {
      // To the closing quote; a doubled quote stays inside.
      let end = i + 1;
      for (;;) {
        end = text.indexOf(c, end);
        if (end < 0) throw new Error('Unterminated quote in a query');
        if (text[end + 1] === c) end += 2;
        else break;
      }
      out += text.slice(i, end + 1);
      i = end + 1;
    } else if (c === '-' && text[i + 1] === '-') {
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? text.length : end;
      out += text.slice(i, stop);
      i = stop;
    } else if (c === '$' && /[0-9]/.test(text[i + 1] ?? '')) {
      let end = i + 1;
      while (/[0-9]/.test(text[end] ?? '')) end++;
      const index = Number(text.slice(i + 1, end));
      if (index < 1 || index > params.length) throw new Error(`Query has no parameter $${index}`);
      out += literal(params[index - 1], index);
      i = end;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}
