import { type OtdOverride, otdOverrideSchema, tables } from '@plantline/schema';
import { and, asc, eq, ilike, or, type SQL, sql } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import { notFound } from '../../platform/index.js';
import { likePattern, searchWords } from './customer-rules.js';
import { OPEN_STATUSES } from './request-queries.js';

/*
 * Reading customers (docs/logistics.md, "Customers and delivery requests"): one row shape for the
 * list and the page, the customer's OTD exceptions read as the API speaks of them.
 */

const c = tables.customers;

const customerColumns = {
  id: c.id,
  code: c.code,
  name: c.name,
  gln: c.gln,
  email: c.email,
  phone: c.phone,
  notes: c.notes,
  otdPolicy: c.otdPolicy,
  isActive: c.isActive,
  version: c.version,
  createdAt: c.createdAt,
  updatedAt: c.updatedAt,
};

/** The stored exceptions as the API speaks of them; anything unreadable counts as none. */
const asCustomer = <T extends { otdPolicy: unknown }>(row: T) => ({
  ...row,
  otdPolicy: storedPolicy(row.otdPolicy),
});

export type Customer = Awaited<ReturnType<typeof findCustomer>>;

function storedPolicy(stored: unknown): OtdOverride | null {
  const parsed = otdOverrideSchema.safeParse(stored);
  return parsed.success && Object.keys(parsed.data).length > 0 ? parsed.data : null;
}

export async function findCustomer(tx: Sql, id: string) {
  const [row] = await tx.select(customerColumns).from(c).where(eq(c.id, id));
  if (row === undefined) throw notFound('Customer');
  return asCustomer(row);
}

export interface CustomerFilter {
  /** Words in the code, name, GLN or email. */
  text?: string | undefined;
  active: 'active' | 'inactive' | 'all';
  limit: number;
  /** The id of the last customer of the previous page. */
  cursor?: string | undefined;
}

/** Customers by code, a page at a time, each with its default ship-to and open requests counted. */
export async function listCustomers(tx: Sql, input: CustomerFilter) {
  const conditions: (SQL | undefined)[] = [];
  if (input.active !== 'all') conditions.push(eq(c.isActive, input.active === 'active'));
  for (const word of searchWords(input.text)) {
    const pattern = likePattern(word);
    conditions.push(
      or(ilike(c.code, pattern), ilike(c.name, pattern), ilike(c.gln, pattern), ilike(c.email, pattern)),
    );
  }
  if (input.cursor !== undefined)
    conditions.push(
      sql`(${c.code}, ${c.id}) > (select k.code, k.id from ${c} k where k.id = ${input.cursor})`,
    );
  // Columns in a single-table select are not qualified: the subqueries name the outer table.
  const defaultAddress = (column: 'city' | 'country') =>
    sql<string | null>`(select ${sql.raw(`a.${column}`)} from customer_addresses a
      where a.tenant_id = "customers".tenant_id and a.customer_id = "customers".id
        and a.is_default and a.is_active limit 1)`;
  const open = sql.raw(OPEN_STATUSES.map((s) => `'${s}'`).join(', '));
  const found = await tx
    .select({
      ...customerColumns,
      defaultCity: defaultAddress('city'),
      defaultCountry: defaultAddress('country'),
      openRequests: sql<number>`(select count(*)::int from delivery_requests r
        where r.tenant_id = "customers".tenant_id and r.customer_id = "customers".id and r.status in (${open}))`,
    })
    .from(c)
    .where(and(...conditions))
    .orderBy(asc(c.code), asc(c.id))
    .limit(input.limit + 1);
  const items = found.slice(0, input.limit).map(asCustomer);
  return { items, nextCursor: found.length > input.limit ? (items.at(-1)?.id ?? null) : null };
}

/** Locks the customer for the rest of the transaction and reads it: edits of one customer queue up. */
export async function lockCustomer(tx: Sql, id: string) {
  const [locked] = await tx.select({ id: c.id }).from(c).where(eq(c.id, id)).for('update');
  if (locked === undefined) throw notFound('Customer');
  return findCustomer(tx, id);
}
