import { wallTimeToIso } from './plant-time';
import { choicesParam } from './records/list-url';
import type { StateTone } from './records/states';
import type { FieldErrors } from './validation';

/*
 * Production orders in the web: the words for statuses and transitions, and the new-order form's
 * checks and API input. Which status may follow which is the cloud's rule; each order arrives with
 * its `nextStatuses`, so the page only offers those.
 */

export const ORDER_STATUSES = ['planned', 'released', 'in_progress', 'completed', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
export const OPEN_STATUSES: readonly OrderStatus[] = ['planned', 'released', 'in_progress'];

export const STATUS_LABELS: Record<OrderStatus, string> = {
  planned: 'Planned',
  released: 'Released',
  in_progress: 'In progress',
  completed: 'Completed',
  cancelled: 'Cancelled',
};

/** The button that moves an order to a status. */
export const TRANSITION_LABELS: Record<OrderStatus, string> = {
  planned: 'Plan',
  released: 'Release',
  in_progress: 'Start',
  completed: 'Complete',
  cancelled: 'Cancel',
};

/** Status filter from the URL (`?status=planned,released`); the open statuses when absent or unknown. */
export function parseStatusFilter(params: URLSearchParams): OrderStatus[] {
  const chosen = choicesParam(params, 'status', ORDER_STATUSES);
  return chosen.length > 0 ? chosen : [...OPEN_STATUSES];
}

/** A status's badge: released and started orders stand out, cancelled ones are struck through. */
export function statusTone(status: OrderStatus): StateTone {
  if (status === 'released') return 'open';
  if (status === 'in_progress') return 'good';
  if (status === 'cancelled') return 'ended';
  return 'draft';
}

export interface NewOrderValues {
  /** '' to number it from the plant's production order sequence. */
  number: string;
  productId: string;
  /** '' for no line yet. */
  lineId: string;
  quantity: string;
  /** datetime-local values in the plant's time; '' for none. */
  dueAt: string;
  note: string;
}

export const emptyOrder = (): NewOrderValues => ({
  number: '',
  productId: '',
  lineId: '',
  quantity: '',
  dueAt: '',
  note: '',
});

export function validateNewOrder(values: NewOrderValues, timeZone: string): FieldErrors {
  const errors: FieldErrors = {};
  if (values.number.trim().length > 64) errors.number = 'At most 64 characters';
  if (values.productId === '') errors.productId = 'Choose a product';
  const quantity = Number(values.quantity.trim());
  if (values.quantity.trim() === '' || !Number.isFinite(quantity)) errors.quantity = 'Enter a quantity';
  else if (quantity <= 0) errors.quantity = 'Must be above zero';
  if (values.dueAt !== '' && wallTimeToIso(values.dueAt, timeZone) === null)
    errors.dueAt = 'Enter a date and time';
  if (values.note.trim().length > 2000) errors.note = 'At most 2000 characters';
  return errors;
}

/** The input of production.orders.create for checked values. */
export function newOrderInput(values: NewOrderValues, plantId: string, timeZone: string) {
  const dueAt = values.dueAt === '' ? null : wallTimeToIso(values.dueAt, timeZone);
  return {
    plantId,
    ...(values.number.trim() === '' ? {} : { number: values.number.trim() }),
    productId: values.productId,
    lineId: values.lineId === '' ? null : values.lineId,
    quantity: Number(values.quantity.trim()),
    dueAt,
    note: values.note.trim() === '' ? null : values.note.trim(),
  };
}
