import { z } from 'zod';

/*
 * The rules of customers, carriers and delivery requests that need no database (docs/logistics.md,
 * "Customers and delivery requests"): what a tracking page and a promise must be, what a
 * request's status is given what has shipped, and how a stale edit is refused.
 */

/** Where a carrier's tracking page takes the tracking number. */
export const TRACKING_PLACEHOLDER = '{tracking}';

/** Why `url` cannot be a carrier's tracking page, or null: an http(s) address with `{tracking}`. */
export function trackingUrlProblem(url: string): string | null {
  if (!url.includes(TRACKING_PLACEHOLDER))
    return `Put ${TRACKING_PLACEHOLDER} where the tracking number goes`;
  let parsed: URL;
  try {
    parsed = new URL(url.replaceAll(TRACKING_PLACEHOLDER, 'TRACKING'));
  } catch {
    return 'Not a web address';
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    return 'Use a web address starting with https:// or http://';
  return null;
}

/** A tracking page as the API takes it: empty for none. */
export const trackingUrlInput = z
  .string()
  .trim()
  .max(500, 'At most 500 characters')
  .superRefine((url, context) => {
    const problem = url === '' ? null : trackingUrlProblem(url);
    if (problem !== null) context.addIssue({ code: 'custom', message: problem });
  });

/**
 * The carrier's page for one tracking number, or null when the carrier has no tracking page or the
 * shipment no number. The number is encoded, so whatever was typed cannot change the address.
 */
export function trackingLink(carrier: { trackingUrl: string }, trackingNumber: string | null): string | null {
  const number = trackingNumber?.trim() ?? '';
  if (carrier.trackingUrl === '' || number === '') return null;
  return carrier.trackingUrl.replaceAll(TRACKING_PLACEHOLDER, encodeURIComponent(number));
}

export type RequestStatus = 'open' | 'partially_shipped' | 'shipped' | 'cancelled';

/**
 * A request's status once `shipped` of its `quantity` has left: a cancelled request stays cancelled,
 * any other is open until something ships and shipped once all of it has.
 */
export function requestStatusFor(current: RequestStatus, quantity: number, shipped: number): RequestStatus {
  if (current === 'cancelled') return current;
  if (shipped >= quantity) return 'shipped';
  return shipped > 0 ? 'partially_shipped' : 'open';
}

/** Whether a request still takes edits and promises: until it is all shipped or cancelled. */
export const isOpenStatus = (status: RequestStatus) => status === 'open' || status === 'partially_shipped';

/**
 * Why a new promise is refused, or null. The first promise needs no reason; every later one does,
 * since it moves a date the customer was given (docs/logistics.md). A promise is a date from today
 * on in the shipping plant's calendar, and differs from the current one.
 */
export function promiseRefusal(
  promise: { promisedDate: string; reason: string },
  context: { latest: string | null; today: string },
): { field: 'promisedDate' | 'reason'; message: string } | null {
  if (promise.promisedDate < context.today)
    return { field: 'promisedDate', message: `A promise is a date from today (${context.today}) on` };
  if (context.latest === null) return null;
  if (promise.promisedDate === context.latest)
    return { field: 'promisedDate', message: `${context.latest} is already the promised date` };
  if (promise.reason.trim() === '') return { field: 'reason', message: 'Say why the promised date moves' };
  return null;
}

/** The refusal of an edit made against an older version, naming the change the editor did not see. */
export function staleVersionMessage(what: string, last: { actorName: string; at: Date } | null): string {
  const base = `${what} was changed since you opened it`;
  const when = (at: Date) => at.toISOString().slice(0, 16).replace('T', ' ');
  return last === null
    ? `${base}; reload it and make your change again`
    : `${base} (by ${last.actorName} at ${when(last.at)} UTC); reload it and make your change again`;
}

/** `%` and `_` typed by a user are literal characters, not wildcards. */
export const likePattern = (word: string) => `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The words of a search text, at most a few: each must match somewhere. */
export const searchWords = (text: string | undefined) =>
  (text ?? '').split(/\s+/).filter(Boolean).slice(0, 8);
