import { idParam, idQuery } from './records/list-url';
import type { trpc } from './trpc';
import type { FieldErrors } from './validation';

/*
 * Shipments and the packing station in the web (docs/logistics.md, "Shipments", "Packing by
 * scanning"): the words for statuses and scan results, the list's filter as it sits in the URL, the
 * live progress folded into a shipment, and scanner data as the cloud wants it.
 */

type Api = (typeof trpc)['logistics']['shipments'];
export type Shipment = Awaited<ReturnType<Api['get']['query']>>;
export type ShipmentRow = Awaited<ReturnType<Api['list']['query']>>['items'][number];
export type ShipmentChoices = Awaited<ReturnType<Api['choices']['query']>>;
export type ScanAnswer = Awaited<ReturnType<(typeof trpc)['logistics']['packing']['scan']['mutate']>>;

export const SHIPMENT_STATUSES = [
  { key: 'draft', label: 'Draft' },
  { key: 'picking', label: 'Picking' },
  { key: 'packed', label: 'Packed' },
  { key: 'shipped', label: 'Shipped' },
  { key: 'delivered', label: 'Delivered' },
  { key: 'cancelled', label: 'Cancelled' },
] as const;
export type ShipmentStatus = (typeof SHIPMENT_STATUSES)[number]['key'];

const statusLabels = new Map<string, string>(SHIPMENT_STATUSES.map((s) => [s.key, s.label]));

export const statusLabel = (status: string) => statusLabels.get(status) ?? status;

/** How a status reads at a glance: work to do, done, or over. */
export function statusTone(status: string): 'open' | 'good' | 'ended' {
  if (status === 'shipped' || status === 'delivered' || status === 'packed') return 'good';
  if (status === 'cancelled') return 'ended';
  return 'open';
}

/** The statuses the list shows unless the URL says otherwise: what is still to be shipped. */
export const OPEN_STATUSES: readonly ShipmentStatus[] = ['draft', 'picking', 'packed'];

export interface ShipmentFilter {
  status: ShipmentStatus[];
  /** One customer's shipments, or '' for every customer's. */
  customerId: string;
  text: string;
}

const isStatus = (value: string): value is ShipmentStatus => statusLabels.has(value);

/**
 * The list's filter from the URL: `status=draft,picking`, `customer=<id>`, `q=words`; no status means
 * the open ones.
 */
export function parseShipmentFilter(params: URLSearchParams): ShipmentFilter {
  const raw = params.get('status');
  const status = raw === null ? [...OPEN_STATUSES] : raw.split(',').filter(isStatus);
  return { status, customerId: idParam(params, 'customer'), text: params.get('q') ?? '' };
}

/** The URL query of a filter: the open statuses are the default and are left out. */
export function shipmentFilterQuery(filter: ShipmentFilter): Record<string, string | null> {
  const ordered = SHIPMENT_STATUSES.map((s) => s.key).filter((key) => filter.status.includes(key));
  const isDefault = ordered.join(',') === OPEN_STATUSES.join(',');
  return {
    status: isDefault ? null : ordered.join(','),
    customer: idQuery(filter.customerId),
    q: filter.text.trim() === '' ? null : filter.text.trim(),
  };
}

/** Percent of `quantity` packed, for a progress bar: whole numbers, never above 100. */
export function packedPercent(packed: number, quantity: number): number {
  if (!(quantity > 0)) return 0;
  return Math.min(100, Math.floor((packed / quantity) * 100));
}

/** What `logistics.shipments.live` sends: the shipment's status and each item's progress. */
export interface LiveProgress {
  status: string;
  version: number;
  items: { id: string; packedQuantity: number; quantity: number }[];
  /** The newest scan, from any station: a plant station's answer shows on the packing page too. */
  lastScan: { id: string; result: string; message: string } | null;
}

/** The shipment with a live message's progress applied: the bars move without reading the page again. */
export function withProgress<
  T extends {
    status: string;
    version: number;
    items: { id: string; packedQuantity: number; quantity: number }[];
  },
>(shipment: T, progress: LiveProgress): T {
  const byId = new Map(progress.items.map((i) => [i.id, i]));
  return {
    ...shipment,
    status: progress.status,
    version: progress.version,
    items: shipment.items.map((item) => {
      const live = byId.get(item.id);
      return live === undefined
        ? item
        : { ...item, packedQuantity: live.packedQuantity, quantity: live.quantity };
    }),
  };
}

/** How an answer is shown at the station: accepted in green, refused in red. */
export const answerTone = (result: string): 'ok' | 'refused' => (result === 'ok' ? 'ok' : 'refused');

const resultLabels: Record<string, string> = {
  ok: 'Packed',
  wrong_item: 'Wrong item',
  wrong_lot: 'Wrong lot',
  expired: 'Expired',
  over_quantity: 'Too many',
  not_in_shipment: 'Not in this shipment',
  bad_check_digit: 'Bad check digit',
  duplicate: 'Already packed',
  unreadable: 'Unreadable',
};

export const resultLabel = (result: string) => resultLabels[result] ?? result;

/** The GS character, ASCII 29: how GS1 element strings separate fields (FNC1). */
export const GS = '\u001d';

/**
 * Scanner data for the API: a camera reading's AIM symbology identifier (`]d2`, `]Q3`, `]C1`) put in
 * front of its text so the cloud knows it is GS1 data; a keyboard wedge's line as typed, trailing
 * Enter dropped (`#` or `Alt029` standing for FNC1 are read by the cloud's parser, docs/gs1.md).
 */
export function scanData(text: string, symbologyIdentifier = ''): string {
  const data = text.replace(/[\r\n]+$/, '');
  if (symbologyIdentifier === '' || data.startsWith(']')) return data;
  return `${symbologyIdentifier}${data}`;
}

/**
 * Scan data as a person reads it: the group separator a scanner sends for FNC1 (ASCII 29, invisible or
 * a box in most fonts) shown as ⟨GS⟩, where one element string ends and the next begins.
 */
export const readableScanData = (data: string) => data.replaceAll(GS, '⟨GS⟩');

/** The tree of packages: pallets with the cartons on them, then loose cartons, in their order. */
export function packageTree<T extends { id: string; parentId: string | null }>(
  packages: readonly T[],
): (T & { children: T[] })[] {
  const ids = new Set(packages.map((p) => p.id));
  return packages
    .filter((p) => p.parentId === null || !ids.has(p.parentId))
    .map((p) => ({ ...p, children: packages.filter((c) => c.parentId === p.id) }));
}

/** One product line of the new-shipment form, as typed. */
export interface ProductLineValues {
  productId: string;
  quantity: string;
  lot: string;
}

/** The new-shipment form: the consignee, the header, and the chosen requests and product lines. */
export interface NewShipmentValues {
  customerId: string;
  shipToId: string;
  carrierId: string;
  plannedShipDate: string;
  customerPo: string;
  note: string;
  /** Chosen requests by id, with the quantity to ship ('' for all that is left). */
  requests: Record<string, string>;
  products: ProductLineValues[];
}

export const emptyShipment = (): NewShipmentValues => ({
  customerId: '',
  shipToId: '',
  carrierId: '',
  plannedShipDate: '',
  customerPo: '',
  note: '',
  requests: {},
  products: [],
});

/** A quantity as typed: a number above zero. */
export const quantityProblem = (text: string): string | null => {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) return 'Enter a quantity';
  return value > 0 ? null : 'Must be above zero';
};

/** The checks of shipments.router.ts create, as the form can make them before sending. */
export function validateNewShipment(values: NewShipmentValues): FieldErrors {
  const errors: FieldErrors = {};
  if (values.customerId === '') errors.customerId = 'Choose a customer';
  if (values.shipToId === '') errors.shipToId = 'Choose where it goes';
  if (values.customerPo.trim().length > 30) errors.customerPo = 'At most 30 characters (AI 400)';
  if (Object.keys(values.requests).length === 0 && values.products.length === 0)
    errors.products = 'Add a delivery request or a product';
  for (const [requestId, quantity] of Object.entries(values.requests)) {
    const problem = quantity.trim() === '' ? null : quantityProblem(quantity);
    if (problem !== null) errors[`request-${requestId}`] = problem;
  }
  values.products.forEach((line, index) => {
    if (line.productId === '') errors[`product-${index}`] = 'Choose a product';
    const problem = quantityProblem(line.quantity);
    if (problem !== null) errors[`quantity-${index}`] = problem;
  });
  return errors;
}

/** The form's values as `logistics.shipments.create` takes them. */
export function newShipmentInput(plantId: string, values: NewShipmentValues) {
  return {
    plantId,
    customerId: values.customerId,
    shipToId: values.shipToId,
    ...(values.carrierId === '' ? {} : { carrierId: values.carrierId }),
    ...(values.plannedShipDate === '' ? {} : { plannedShipDate: values.plannedShipDate }),
    ...(values.customerPo.trim() === '' ? {} : { customerPo: values.customerPo.trim() }),
    ...(values.note.trim() === '' ? {} : { note: values.note.trim() }),
    requests: Object.entries(values.requests).map(([requestId, quantity]) =>
      quantity.trim() === '' ? { requestId } : { requestId, quantity: Number(quantity) },
    ),
    products: values.products.map((line) => ({
      productId: line.productId,
      quantity: Number(line.quantity),
      ...(line.lot.trim() === '' ? {} : { lot: line.lot.trim() }),
    })),
  };
}

/** The calendar date (YYYY-MM-DD) of an instant in a plant's time zone: "late" is by the plant's calendar. */
export function plantDate(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}
