import { choicesParam, idParam, idQuery, listQuery, textParam, textQuery } from './records/list-url';
import type { trpc } from './trpc';
import type { FieldErrors } from './validation';

/*
 * Delivery requests and promises in the web (docs/logistics.md, "Customers and delivery requests"):
 * the words for statuses, the list's filters as they sit in the URL, and the forms' values, checks
 * and API inputs, mirroring cloud/src/modules/customers/requests.router.ts and customer-rules.ts.
 */

type Api = (typeof trpc)['logistics']['requests'];
export type DeliveryRequest = Awaited<ReturnType<Api['get']['query']>>;
export type RequestRow = Awaited<ReturnType<Api['list']['query']>>['items'][number];
export type RequestPatch = NonNullable<Parameters<Api['update']['mutate']>[0]['patch']>;

export const REQUEST_STATUSES = [
  { key: 'open', label: 'Open' },
  { key: 'partially_shipped', label: 'Partly shipped' },
  { key: 'shipped', label: 'Shipped' },
  { key: 'cancelled', label: 'Cancelled' },
] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number]['key'];

/** What the list shows unless told otherwise: the requests still to ship. */
export const DUE_STATUSES: readonly RequestStatus[] = ['open', 'partially_shipped'];

export function statusLabel(status: string): string {
  return REQUEST_STATUSES.find((s) => s.key === status)?.label ?? status;
}

export function statusTone(status: string): 'open' | 'good' | 'ended' {
  if (status === 'shipped') return 'good';
  if (status === 'cancelled') return 'ended';
  return 'open';
}

/** Today in `timeZone`'s calendar, as YYYY-MM-DD: the plant's day, whatever the browser's zone. */
export function plantToday(timeZone: string, now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone }).format(now);
}

/** A calendar date for a table: "Tue 3 Mar 2026". */
export function formatDate(date: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: 'UTC',
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  }).format(new Date(`${date}T00:00:00Z`));
}

/** Whole days from `from` to `to` (both YYYY-MM-DD); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

// ---- the list's filters, kept in the URL so a list can be bookmarked and shared

export interface RequestFilter {
  customerId: string;
  /** Empty: every status. */
  status: RequestStatus[];
  dueFrom: string;
  dueTo: string;
  text: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const STATUS_KEYS = REQUEST_STATUSES.map((s) => s.key);

/** The filter in `params`; without a `status` the list shows what is still to ship, `status=any` all. */
export function parseRequestFilter(params: URLSearchParams): RequestFilter {
  const date = (name: string) => {
    const value = params.get(name) ?? '';
    return DATE.test(value) ? value : '';
  };
  return {
    customerId: idParam(params, 'customer'),
    status: params.get('status') === null ? [...DUE_STATUSES] : choicesParam(params, 'status', STATUS_KEYS),
    dueFrom: date('from'),
    dueTo: date('to'),
    text: textParam(params),
  };
}

/** The URL's query for a filter: empty parts left out, the default statuses too. */
export function requestFilterQuery(filter: RequestFilter): Record<string, string | null> {
  const isDefault =
    filter.status.length === DUE_STATUSES.length && DUE_STATUSES.every((s) => filter.status.includes(s));
  return {
    customer: idQuery(filter.customerId),
    status: isDefault ? null : (listQuery(filter.status) ?? 'any'),
    from: filter.dueFrom === '' ? null : filter.dueFrom,
    to: filter.dueTo === '' ? null : filter.dueTo,
    q: textQuery(filter.text),
  };
}

/** The input of logistics.requests.list for a plant and a filter. */
export function requestListInput(plantId: string, filter: RequestFilter) {
  return {
    plantId,
    ...(filter.customerId === '' ? {} : { customerId: filter.customerId }),
    ...(filter.status.length === 0 ? {} : { status: filter.status }),
    ...(filter.dueFrom === '' ? {} : { dueFrom: filter.dueFrom }),
    ...(filter.dueTo === '' ? {} : { dueTo: filter.dueTo }),
    ...(filter.text.trim() === '' ? {} : { text: filter.text.trim() }),
  };
}

// ---- the request's form

export interface RequestValues {
  customerId: string;
  shipToId: string;
  productId: string;
  quantity: string;
  requestedDate: string;
  customerPo: string;
  note: string;
}

export const emptyRequest = (fields: Partial<RequestValues> = {}): RequestValues => ({
  customerId: '',
  shipToId: '',
  productId: '',
  quantity: '',
  requestedDate: '',
  customerPo: '',
  note: '',
  ...fields,
});

export const requestValuesOf = (request: DeliveryRequest): RequestValues => ({
  customerId: request.customerId,
  shipToId: request.shipToId,
  productId: request.productId,
  quantity: String(request.quantity),
  requestedDate: request.requestedDate,
  customerPo: request.customerPo,
  note: request.note,
});

function quantityProblem(value: string): string | null {
  if (value.trim() === '') return 'Enter the quantity';
  const quantity = Number(value.trim());
  if (!Number.isFinite(quantity)) return 'Enter a number';
  if (quantity <= 0) return 'More than 0';
  if (quantity > 1e12) return 'Too large';
  return null;
}

/** The checks of logistics.requests.create and update, as the user types. */
export function validateRequest(values: RequestValues): FieldErrors {
  const errors: FieldErrors = {};
  if (values.customerId === '') errors.customerId = 'Choose a customer';
  if (values.productId === '') errors.productId = 'Choose a product';
  const quantity = quantityProblem(values.quantity);
  if (quantity !== null) errors.quantity = quantity;
  if (!DATE.test(values.requestedDate)) errors.requestedDate = 'Choose the date the customer asked for';
  if (values.customerPo.trim().length > 64) errors.customerPo = 'At most 64 characters';
  if (values.note.trim().length > 10_000) errors.note = 'At most 10000 characters';
  return errors;
}

export function newRequestInput(values: RequestValues, plantId: string) {
  return {
    plantId,
    customerId: values.customerId,
    // No address chosen: the customer's default.
    ...(values.shipToId === '' ? {} : { shipToId: values.shipToId }),
    productId: values.productId,
    quantity: Number(values.quantity.trim()),
    requestedDate: values.requestedDate,
    customerPo: values.customerPo.trim(),
    note: values.note.trim(),
  };
}

/** The patch of logistics.requests.update: what differs from the request as loaded; null for nothing. */
export function requestPatch(values: RequestValues, request: DeliveryRequest): RequestPatch | null {
  const patch: RequestPatch = {};
  if (values.customerId !== request.customerId) patch.customerId = values.customerId;
  if (values.shipToId !== '' && values.shipToId !== request.shipToId) patch.shipToId = values.shipToId;
  if (values.productId !== request.productId) patch.productId = values.productId;
  if (Number(values.quantity.trim()) !== request.quantity) patch.quantity = Number(values.quantity.trim());
  if (values.customerPo.trim() !== request.customerPo) patch.customerPo = values.customerPo.trim();
  if (values.note.trim() !== request.note) patch.note = values.note.trim();
  return Object.keys(patch).length === 0 ? null : patch;
}

export const requestFieldOf = (path: string) => path.replace(/^patch\./, '');

// ---- promises

export interface PromiseValues {
  promisedDate: string;
  reason: string;
}

/**
 * customer-rules.ts promiseRefusal, as the user types: a date from the plant's today on that differs
 * from the current promise, and a reason for every promise after the first.
 */
export function validatePromise(values: PromiseValues, context: { latest: string | null; today: string }) {
  const errors: FieldErrors = {};
  if (!DATE.test(values.promisedDate)) errors.promisedDate = 'Choose the date you promise';
  else if (values.promisedDate < context.today)
    errors.promisedDate = `A promise is a date from today (${context.today}) on`;
  else if (values.promisedDate === context.latest)
    errors.promisedDate = `${context.latest} is already the promised date`;
  if (context.latest !== null && values.reason.trim() === '')
    errors.reason = 'Say why the promised date moves';
  if (values.reason.trim().length > 1000) errors.reason = 'At most 1000 characters';
  return errors;
}
