import { resultLabel } from './shipments';
import type { trpc } from './trpc';
import type { FieldErrors } from './validation';

/*
 * Transfers between plants in the web (docs/logistics.md, "Transfers"): the words for statuses and
 * discrepancy reasons, the list's filter as it sits in the URL, the new-transfer form's checks, the
 * live progress folded into a transfer, and the finish-receiving dialog's lines.
 */

type Api = (typeof trpc)['logistics']['transfers'];
export type Transfer = Awaited<ReturnType<Api['get']['query']>>;
export type TransferRow = Awaited<ReturnType<Api['list']['query']>>['items'][number];

export const TRANSFER_STATUSES = [
  { key: 'draft', label: 'Draft' },
  { key: 'picking', label: 'Picking' },
  { key: 'in_transit', label: 'In transit' },
  { key: 'received', label: 'Received' },
  { key: 'cancelled', label: 'Cancelled' },
] as const;
export type TransferStatus = (typeof TRANSFER_STATUSES)[number]['key'];

const statusLabels = new Map<string, string>(TRANSFER_STATUSES.map((s) => [s.key, s.label]));
export const transferStatusLabel = (status: string) => statusLabels.get(status) ?? status;

export function transferStatusTone(status: string): 'open' | 'good' | 'ended' {
  if (status === 'received' || status === 'in_transit') return 'good';
  if (status === 'cancelled') return 'ended';
  return 'open';
}

export const DISCREPANCY_REASONS = [
  { key: 'short', label: 'Short' },
  { key: 'over', label: 'Over' },
  { key: 'damaged', label: 'Damaged' },
  { key: 'wrong_item', label: 'Wrong item' },
  { key: 'wrong_lot', label: 'Wrong lot' },
  { key: 'missing_package', label: 'Missing package' },
] as const;
export type DiscrepancyReason = (typeof DISCREPANCY_REASONS)[number]['key'];
const reasonLabels = new Map<string, string>(DISCREPANCY_REASONS.map((r) => [r.key, r.label]));
export const reasonLabel = (reason: string) => reasonLabels.get(reason) ?? reason;

/** The statuses the list shows unless the URL says otherwise: what is still moving. */
export const OPEN_TRANSFER_STATUSES: readonly TransferStatus[] = ['draft', 'picking', 'in_transit'];

export type Direction = 'outgoing' | 'incoming' | 'all';

export interface TransferFilter {
  direction: Direction;
  status: TransferStatus[];
  text: string;
}

const isStatus = (value: string): value is TransferStatus => statusLabels.has(value);

/** `direction=incoming`, `status=draft,in_transit`, `q=words`; outgoing and the open statuses by default. */
export function parseTransferFilter(params: URLSearchParams): TransferFilter {
  const raw = params.get('status');
  const direction = params.get('direction');
  return {
    direction: direction === 'incoming' || direction === 'all' ? direction : 'outgoing',
    status: raw === null ? [...OPEN_TRANSFER_STATUSES] : raw.split(',').filter(isStatus),
    text: params.get('q') ?? '',
  };
}

/** The URL query of a filter, defaults left out. */
export function transferFilterQuery(filter: TransferFilter): Record<string, string | null> {
  const ordered = TRANSFER_STATUSES.map((s) => s.key).filter((key) => filter.status.includes(key));
  return {
    direction: filter.direction === 'outgoing' ? null : filter.direction,
    status: ordered.join(',') === OPEN_TRANSFER_STATUSES.join(',') ? null : ordered.join(','),
    q: filter.text.trim() === '' ? null : filter.text.trim(),
  };
}

export interface TransferLineValues {
  productId: string;
  quantity: string;
  lot: string;
}

export interface NewTransferValues {
  fromPlantId: string;
  toPlantId: string;
  carrierId: string;
  note: string;
  items: TransferLineValues[];
}

/** The checks of transfers.router.ts create, as the form can make them before sending. */
export function validateNewTransfer(values: NewTransferValues): FieldErrors {
  const errors: FieldErrors = {};
  if (values.fromPlantId === '') errors.fromPlantId = 'Choose the plant it leaves';
  if (values.toPlantId === '') errors.toPlantId = 'Choose the plant it goes to';
  else if (values.toPlantId === values.fromPlantId) errors.toPlantId = 'The same plant it leaves';
  if (values.items.length === 0) errors.items = 'Add at least one product';
  values.items.forEach((line, index) => {
    if (line.productId === '') errors[`product-${index}`] = 'Choose a product';
    const quantity = Number(line.quantity);
    if (line.quantity.trim() === '' || !Number.isFinite(quantity))
      errors[`quantity-${index}`] = 'Enter a quantity';
    else if (!(quantity > 0)) errors[`quantity-${index}`] = 'Must be above zero';
  });
  return errors;
}

/** The form's values as `logistics.transfers.create` takes them. */
export function newTransferInput(values: NewTransferValues) {
  return {
    fromPlantId: values.fromPlantId,
    toPlantId: values.toPlantId,
    ...(values.carrierId === '' ? {} : { carrierId: values.carrierId }),
    ...(values.note.trim() === '' ? {} : { note: values.note.trim() }),
    items: values.items.map((line) => ({
      productId: line.productId,
      quantity: Number(line.quantity),
      ...(line.lot.trim() === '' ? {} : { lot: line.lot.trim() }),
    })),
  };
}

/** What `logistics.transfers.live` sends. */
export interface TransferProgress {
  status: string;
  version: number;
  items: { id: string; quantity: number; packedQuantity: number; receivedQuantity: number }[];
  packages: { total: number; received: number };
  lastScan: { id: string } | null;
}

/** The transfer with a live message's progress applied. */
export function withTransferProgress<
  T extends {
    status: string;
    version: number;
    items: { id: string; quantity: number; packedQuantity: number; receivedQuantity: number }[];
  },
>(transfer: T, progress: TransferProgress): T {
  const byId = new Map(progress.items.map((i) => [i.id, i]));
  return {
    ...transfer,
    status: progress.status,
    version: progress.version,
    items: transfer.items.map((item) => {
      const live = byId.get(item.id);
      return live === undefined
        ? item
        : {
            ...item,
            quantity: live.quantity,
            packedQuantity: live.packedQuantity,
            receivedQuantity: live.receivedQuantity,
          };
    }),
  };
}

/** One line of the finish-receiving dialog: what left, what was scanned in, what was counted, and why. */
export interface FinishLine {
  itemId: string;
  lineNo: number;
  productCode: string;
  shipped: number;
  scanned: number;
  counted: string;
  reason: DiscrepancyReason | '';
  note: string;
}

type FinishItem = {
  id: string;
  lineNo: number;
  productCode: string;
  packedQuantity: number;
  receivedQuantity: number;
};
type FinishPackage = { status: string; contents: { transferItemId: string | null; quantity: number }[] };

/**
 * The dialog's lines, each with the reason a difference most likely has: a shortfall that the
 * packages never scanned in account for is a missing package, any other shortfall short, more over.
 */
export function finishLines(items: readonly FinishItem[], packages: readonly FinishPackage[]): FinishLine[] {
  return items.map((item) => {
    const inMissing = packages
      .filter((p) => p.status !== 'received')
      .flatMap((p) => p.contents)
      .filter((c) => c.transferItemId === item.id)
      .reduce((sum, c) => sum + c.quantity, 0);
    const shipped = item.packedQuantity;
    const received = item.receivedQuantity;
    let reason: FinishLine['reason'] = '';
    if (received > shipped) reason = 'over';
    else if (received < shipped)
      reason = inMissing > 0 && inMissing >= shipped - received ? 'missing_package' : 'short';
    return {
      itemId: item.id,
      lineNo: item.lineNo,
      productCode: item.productCode,
      shipped,
      scanned: received,
      counted: String(received),
      reason,
      note: '',
    };
  });
}

/** The checks of finishReceiving, before sending: a count, and a reason for every difference. */
export function validateFinish(lines: readonly FinishLine[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const line of lines) {
    const counted = Number(line.counted);
    if (line.counted.trim() === '' || !Number.isFinite(counted) || counted < 0)
      errors[`counted-${line.itemId}`] = 'Enter what arrived (0 or more)';
    else if (counted !== line.shipped && line.reason === '')
      errors[`reason-${line.itemId}`] = `${counted} of ${line.shipped} arrived: choose why`;
  }
  return errors;
}

/** The dialog's lines as `logistics.transfers.finishReceiving` takes them. */
export function finishInput(lines: readonly FinishLine[]) {
  return lines.map((line) => ({
    itemId: line.itemId,
    receivedQuantity: Number(line.counted),
    ...(line.reason === '' ? {} : { reason: line.reason }),
    ...(line.note.trim() === '' ? {} : { note: line.note.trim() }),
  }));
}

const receivingLabels: Record<string, string> = {
  ok: 'Received',
  duplicate: 'Already received',
  not_in_shipment: 'Not in this transfer',
};

/** A station's answer in a word: packing a transfer reads like packing a shipment, receiving has its own. */
export function transferResultLabel(result: string, mode: 'pack' | 'receive'): string {
  if (mode === 'receive') return receivingLabels[result] ?? resultLabel(result);
  return result === 'not_in_shipment' ? 'Not in this transfer' : resultLabel(result);
}
