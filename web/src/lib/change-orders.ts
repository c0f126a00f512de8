import {
  choicesParam,
  idParam,
  idQuery,
  listQuery,
  stateKeysParam,
  textParam,
  textQuery,
} from './records/list-url';
import { type StateTone, stateWords } from './records/states';
import { formFieldNames } from './records/workflow-lock';
import type { trpc } from './trpc';
import type { FieldErrors } from './validation';

/*
 * Engineering change orders in the web (docs/change-orders.md): the words for urgencies, effectivities
 * and workflow states, the list's filters as they sit in the URL, and the form's checks and API input,
 * which mirror the cloud's (cloud/src/modules/change-orders/change-orders.router.ts).
 */

type Api = (typeof trpc)['changeOrders'];
export type ChangeOrder = Awaited<ReturnType<Api['get']['query']>>;
export type ChangeOrderItem = ChangeOrder['items'][number];
export type ChangeOrderRow = Awaited<ReturnType<Api['list']['query']>>['items'][number];

export const URGENCIES = ['low', 'normal', 'high', 'emergency'] as const;
export type Urgency = (typeof URGENCIES)[number];
export const URGENCY_LABELS: Record<Urgency, string> = {
  low: 'Low',
  normal: 'Normal',
  high: 'High',
  emergency: 'Emergency',
};

export const EFFECTIVITIES = ['immediate', 'date', 'lot'] as const;
export type Effectivity = (typeof EFFECTIVITIES)[number];
export const EFFECTIVITY_LABELS: Record<Effectivity, string> = {
  immediate: 'Immediately',
  date: 'From a date',
  lot: 'From a lot',
};

/**
 * A workflow state's key as words: `under_review` → "Under review". The states are the workflow's
 * own (the status column mirrors the instance's state), so no fixed list of them exists here.
 */
export function stateLabel(key: string): string {
  return stateWords(key);
}

/** The badge tone of a state: finished well, ended without effect, or under way. */
export function stateTone(key: string): StateTone {
  if (['approved', 'implemented', 'closed', 'released'].includes(key)) return 'good';
  if (['rejected', 'cancelled', 'withdrawn'].includes(key)) return 'ended';
  if (key === 'draft') return 'draft';
  return 'open';
}

/** When the change takes effect, in words: "Immediately", "From 2026-07-01", "From lot LOT-77". */
export function effectivityText(order: {
  effectivity: Effectivity;
  effectiveDate: string | null;
  effectiveLot: string | null;
}): string {
  if (order.effectivity === 'date' && order.effectiveDate !== null) return `From ${order.effectiveDate}`;
  if (order.effectivity === 'lot' && order.effectiveLot !== null) return `From lot ${order.effectiveLot}`;
  return EFFECTIVITY_LABELS[order.effectivity];
}

/** An item's revision change: "A → B" once implemented, "A → next" before. */
export function revisionChange(item: { fromRevision: string; toRevision: string | null }): string {
  return `${item.fromRevision} → ${item.toRevision ?? 'next'}`;
}

// ---- the list's filters, kept in the URL so a list can be bookmarked and shared

export interface ListFilter {
  status: string[];
  urgency: Urgency[];
  productId: string;
  text: string;
}

export function parseListFilter(params: URLSearchParams): ListFilter {
  return {
    status: stateKeysParam(params),
    urgency: choicesParam(params, 'urgency', URGENCIES),
    productId: idParam(params, 'product'),
    text: textParam(params),
  };
}

/** The URL's query for a filter: empty parts left out. */
export function filterQuery(filter: ListFilter): Record<string, string | null> {
  return {
    status: listQuery(filter.status),
    urgency: listQuery(filter.urgency),
    product: idQuery(filter.productId),
    q: textQuery(filter.text),
  };
}

/** The input of changeOrders.list for a filter. */
export function listInput(filter: ListFilter) {
  return {
    ...(filter.status.length === 0 ? {} : { status: filter.status }),
    ...(filter.urgency.length === 0 ? {} : { urgency: filter.urgency }),
    ...(filter.productId === '' ? {} : { productId: filter.productId }),
    ...(filter.text.trim() === '' ? {} : { text: filter.text.trim() }),
  };
}

// ---- the form

export interface ChangeOrderValues {
  title: string;
  reason: string;
  description: string;
  urgency: Urgency;
  effectivity: Effectivity;
  /** `2026-07-01`, for effectivity `date`. */
  effectiveDate: string;
  effectiveLot: string;
  /** '' for no owner. */
  ownerId: string;
}

/** One product row of the new change order's form; `key` tells rows apart while they are edited. */
export interface ItemDraft {
  key: number;
  productId: string;
  /** '' for no routing. */
  routingId: string;
  note: string;
}

export const emptyChangeOrder = (ownerId: string): ChangeOrderValues => ({
  title: '',
  reason: '',
  description: '',
  urgency: 'normal',
  effectivity: 'immediate',
  effectiveDate: '',
  effectiveLot: '',
  ownerId,
});

export const valuesOf = (order: ChangeOrder): ChangeOrderValues => ({
  title: order.title,
  reason: order.reason,
  description: order.description,
  urgency: order.urgency,
  effectivity: order.effectivity,
  effectiveDate: order.effectiveDate ?? '',
  effectiveLot: order.effectiveLot ?? '',
  ownerId: order.ownerId ?? '',
});

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export function validateChangeOrder(values: ChangeOrderValues): FieldErrors {
  const errors: FieldErrors = {};
  const title = values.title.trim();
  if (title === '') errors.title = 'Enter a title';
  else if (title.length > 200) errors.title = 'At most 200 characters';
  if (values.reason.trim().length > 1000) errors.reason = 'At most 1000 characters';
  if (values.description.trim().length > 20_000) errors.description = 'At most 20000 characters';
  if (values.effectivity === 'date') {
    if (values.effectiveDate === '') errors.effectiveDate = 'Enter a date';
    else if (!DATE.test(values.effectiveDate)) errors.effectiveDate = 'Use a date like 2026-11-25';
  }
  if (values.effectivity === 'lot') {
    const lot = values.effectiveLot.trim();
    if (lot === '') errors.effectiveLot = 'Enter a lot';
    else if (lot.length > 64) errors.effectiveLot = 'At most 64 characters';
  }
  return errors;
}

/** Each row names a product, each product once; messages keyed as the cloud keys them (`items.0.productId`). */
export function validateItems(items: readonly ItemDraft[], path = 'items'): FieldErrors {
  const errors: FieldErrors = {};
  const seen = new Set<string>();
  for (const [index, item] of items.entries()) {
    if (item.productId === '') errors[`${path}.${index}.productId`] = 'Choose a product';
    else if (seen.has(item.productId)) errors[`${path}.${index}.productId`] = 'Listed twice';
    seen.add(item.productId);
    if (item.note.trim().length > 1000) errors[`${path}.${index}.note`] = 'At most 1000 characters';
  }
  return errors;
}

/** The built-in fields of create and update for checked values. */
export function fieldsInput(values: ChangeOrderValues) {
  return {
    title: values.title.trim(),
    reason: values.reason.trim(),
    description: values.description.trim(),
    urgency: values.urgency,
    effectivity: values.effectivity,
    effectiveDate: values.effectivity === 'date' ? values.effectiveDate : null,
    effectiveLot: values.effectivity === 'lot' ? values.effectiveLot.trim() : null,
    ownerId: values.ownerId === '' ? null : values.ownerId,
  };
}

export function itemsInput(items: readonly ItemDraft[]) {
  return items.map((i) => ({
    productId: i.productId,
    routingId: i.routingId === '' ? null : i.routingId,
    note: i.note.trim(),
  }));
}

/** The changeOrders.create input; `plantId` '' for a change of every plant. */
export function createInput(values: ChangeOrderValues, items: readonly ItemDraft[], plantId: string) {
  return { ...fieldsInput(values), plantId: plantId === '' ? null : plantId, items: itemsInput(items) };
}

/**
 * The form field a server error names: update's `patch.effectiveDate`, or a workflow lock's
 * `effective_date` (cloud/src/modules/change-orders/workflow-entity.ts names the fields so).
 */
export const formFieldOf = formFieldNames({
  effective_date: 'effectiveDate',
  effective_lot: 'effectiveLot',
  owner: 'ownerId',
});

/** The fields an edit changed, as update's patch; null when none did. */
export function changedFields(values: ChangeOrderValues, order: ChangeOrder) {
  const now = fieldsInput(values);
  const before = fieldsInput(valuesOf(order));
  const patch = Object.fromEntries(
    Object.entries(now).filter(([key, value]) => before[key as keyof typeof before] !== value),
  ) as Partial<typeof now>;
  return Object.keys(patch).length === 0 ? null : patch;
}
