import { type SQL, sql } from 'drizzle-orm';
import { customType, index, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/*
 * One search index for every kind of record (docs/search.md). Each domain registers its tables in a
 * migration (plantline.register_search), and triggers keep a row here per record: its code, its
 * title, other text and the record's custom text values. The tsvector is stored, never computed at
 * query time, and `code_norm` (letters and digits only, upper case) serves exact and prefix lookups
 * of codes however they are typed, with trigrams for fragments such as 00012 in NCR-RIV-2026-00012.
 */

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/** Language-neutral on purpose: plants name things in many languages, and codes must not be stemmed. */
const documentVector = sql`setweight(to_tsvector('simple'::regconfig, coalesce(code, '')), 'A')
    || setweight(to_tsvector('simple'::regconfig, coalesce(title, '')), 'B')
    || setweight(to_tsvector('simple'::regconfig, coalesce(body, '') || ' ' || coalesce(custom_text, '')), 'C')`;

export const searchDocuments = pgTable(
  'search_documents',
  {
    tenantId: uuid('tenant_id').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id').notNull(),
    /** Null: the record belongs to the whole tenant (products, users). */
    plantId: uuid('plant_id'),
    code: text('code'),
    title: text('title'),
    body: text('body'),
    customText: text('custom_text'),
    codeNorm: text('code_norm').generatedAlwaysAs(
      (): SQL => sql`upper(regexp_replace(coalesce(code, ''), '[^A-Za-z0-9]', '', 'g'))`,
    ),
    tsv: tsvector('tsv').generatedAlwaysAs((): SQL => documentVector),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'search_documents_pkey', columns: [t.tenantId, t.entityType, t.entityId] }),
    index('search_documents_tsv_idx').using('gin', t.tsv),
    index('search_documents_code_idx').on(t.tenantId, sql`${t.codeNorm} text_pattern_ops`),
    index('search_documents_code_trgm_idx').using('gin', sql`${t.codeNorm} gin_trgm_ops`),
    index('search_documents_title_trgm_idx').using('gin', sql`lower(${t.title}) gin_trgm_ops`),
  ],
);
