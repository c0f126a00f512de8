-- Hand-written: the "field: old → new" text of an audit entry (docs/audit.md, "Exporting"), defined
-- once, here, and kept by the database in a stored generated column. The audit exports write millions
-- of entries; a CSV the server writes itself (COPY, cloud/src/modules/reports/csv-copy.ts) cannot call
-- back into the application for this text, and computing it per export in SQL was slower than the
-- rest of the export together. One line per field, the new values' fields first in their stored order,
-- then fields only the old values have; a value is its text, "" when empty, — when absent or null,
-- and anything else (numbers, booleans, objects, arrays) as PostgreSQL writes the JSON.
CREATE OR REPLACE FUNCTION plantline.audit_value_text(v jsonb) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN v IS NULL OR jsonb_typeof(v) = 'null' THEN '—'
    WHEN jsonb_typeof(v) = 'string' THEN coalesce(nullif(v #>> '{}', ''), '""')
    ELSE v::text
  END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION plantline.audit_changes_text(old_values jsonb, new_values jsonb) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(string_agg(k.key || ': ' || plantline.audit_value_text(v.o -> k.key) || ' → '
                             || plantline.audit_value_text(v.n -> k.key), E'\n' ORDER BY k.side, k.ord), '')
    FROM (SELECT CASE WHEN jsonb_typeof(old_values) = 'object' THEN old_values ELSE '{}'::jsonb END AS o,
                 CASE WHEN jsonb_typeof(new_values) = 'object' THEN new_values ELSE '{}'::jsonb END AS n) v
   CROSS JOIN LATERAL (
     SELECT 1 AS side, a.key, a.ord FROM jsonb_object_keys(v.n) WITH ORDINALITY AS a(key, ord)
     UNION ALL
     SELECT 2, b.key, b.ord FROM jsonb_object_keys(v.o) WITH ORDINALITY AS b(key, ord)
      WHERE NOT jsonb_exists(v.n, b.key)
   ) k
$$;
--> statement-breakpoint
-- A text cell of a CSV the server writes, as the application's CSV writer writes it
-- (cloud/src/modules/reports/csv-writer.ts, csvField): empty text as nothing (COPY would quote it),
-- and a leading ' before = + - @, a tab or a carriage return and their full-width forms, so that a
-- spreadsheet does not run the cell as a formula. COPY's CSV format does the quoting.
CREATE OR REPLACE FUNCTION plantline.csv_cell(t text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN t = '' THEN NULL
    WHEN left(t, 1) IN ('=', '+', '-', '@', E'\t', E'\r', '＝', '＋', '－', '＠') THEN '''' || t
    ELSE t
  END
$$;
--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "changes_text" text GENERATED ALWAYS AS (plantline.audit_changes_text(old_values, new_values)) STORED NOT NULL;
