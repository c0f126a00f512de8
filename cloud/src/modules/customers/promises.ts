import { tables } from '@plantline/schema';
import { sql } from 'drizzle-orm';
import { rows, type Sql } from '../../db/index.js';
import { audit, DomainError, type Principal } from '../../platform/index.js';
import { promiseRefusal } from './customer-rules.js';
import { checkOpen, getRequest, lockRequest } from './requests.js';

/*
 * Promised dates (docs/logistics.md, "Customers and delivery requests"). A promise is appended to the
 * request's delivery_promises, never rewritten (the database refuses updates): the first row is the
 * first promise, the newest the current one, and OTD can count against either. Every promise after
 * the first says why the date moves. Promises of one request queue up behind its row lock, and each
 * is stamped with the clock at its insert, so two made in one transaction keep their order.
 */

/** Today in the plant's calendar, as the database's clock sees it. */
async function plantToday(tx: Sql, plantId: string): Promise<string> {
  const [today] = await rows<{ today: string }>(
    tx,
    sql`select (now() at time zone p.timezone)::date::text as today from plants p where p.id = ${plantId}`,
  );
  if (today === undefined) throw new DomainError('not_found', 'Plant not found');
  return today.today;
}

export async function promiseDate(
  tx: Sql,
  principal: Principal,
  input: { requestId: string; promisedDate: string; reason?: string | undefined },
) {
  const request = await lockRequest(tx, input.requestId);
  checkOpen(request);
  const reason = input.reason?.trim() ?? '';
  const refusal = promiseRefusal(
    { promisedDate: input.promisedDate, reason },
    { latest: request.latestPromisedDate, today: await plantToday(tx, request.plantId) },
  );
  if (refusal !== null)
    throw new DomainError('invalid', refusal.message, { [refusal.field]: refusal.message });
  await tx.insert(tables.deliveryPromises).values({
    tenantId: principal.tenantId,
    plantId: request.plantId,
    requestId: request.id,
    promisedDate: input.promisedDate,
    reason,
    promisedBy: principal.userId,
    promisedAt: sql`clock_timestamp()`,
  });
  audit(tx, {
    action: 'delivery_request.promise',
    entityType: 'delivery_request',
    entityId: request.id,
    entityLabel: request.number,
    plantId: request.plantId,
    // The first promise changes no earlier one; a later one moves the date the customer was given.
    before: request.latestPromisedDate === null ? null : { promisedDate: request.latestPromisedDate },
    after: { promisedDate: input.promisedDate },
    reason: reason === '' ? null : reason,
  });
  return getRequest(tx, request.id);
}
