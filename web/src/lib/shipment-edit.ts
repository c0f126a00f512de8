import { type ProductLineValues, quantityProblem, type Shipment } from './shipments';
import type { FieldErrors } from './validation';

/*
 * Editing a shipment that has not left (docs/logistics.md, "Shipments"): the form's values, its
 * checks — those of shipments.router.ts update, and what the cloud refuses that the form can see
 * (a line below what is packed, removing a line with packed units) — and the update call with only
 * what changed, against the version the editor saw.
 */

export interface ShipmentEditValues {
  carrierId: string;
  trackingNumber: string;
  plannedShipDate: string;
  customerPo: string;
  note: string;
  /** Each line's quantity as typed, by item id. */
  quantities: Record<string, string>;
  /** Lines to take off (nothing packed of them). */
  remove: string[];
  /** Product lines to add. */
  products: ProductLineValues[];
}

/** Only a draft or a shipment being picked is edited. */
export const editable = (shipment: Pick<Shipment, 'status'>) =>
  shipment.status === 'draft' || shipment.status === 'picking';

export function editValues(shipment: Shipment): ShipmentEditValues {
  return {
    carrierId: shipment.carrierId ?? '',
    trackingNumber: shipment.trackingNumber,
    plannedShipDate: shipment.plannedShipDate ?? '',
    customerPo: shipment.customerPo,
    note: shipment.note,
    quantities: Object.fromEntries(shipment.items.map((item) => [item.id, String(item.quantity)])),
    remove: [],
    products: [],
  };
}

export function validateShipmentEdit(shipment: Shipment, values: ShipmentEditValues): FieldErrors {
  const errors: FieldErrors = {};
  if (values.customerPo.trim().length > 30) errors.customerPo = 'At most 30 characters (AI 400)';
  if (values.trackingNumber.trim().length > 64) errors.trackingNumber = 'At most 64 characters';
  if (values.note.trim().length > 2000) errors.note = 'At most 2000 characters';
  for (const item of shipment.items) {
    if (values.remove.includes(item.id)) continue;
    const typed = values.quantities[item.id] ?? '';
    const problem = quantityProblem(typed);
    if (problem !== null) errors[`line-${item.id}`] = problem;
    else if (Number(typed) < item.packedQuantity)
      errors[`line-${item.id}`] = `At least ${item.packedQuantity}: that many are packed`;
  }
  const kept = shipment.items.filter((item) => !values.remove.includes(item.id)).length;
  if (kept + values.products.length === 0) errors.lines = 'Keep at least one line';
  values.products.forEach((line, index) => {
    if (line.productId === '') errors[`product-${index}`] = 'Choose a product';
    const problem = quantityProblem(line.quantity);
    if (problem !== null) errors[`quantity-${index}`] = problem;
  });
  return errors;
}

/** `logistics.shipments.update`'s input with what differs from the shipment, or null when nothing does. */
export function shipmentEditInput(shipment: Shipment, values: ShipmentEditValues) {
  const patch: {
    carrierId?: string | null;
    trackingNumber?: string;
    plannedShipDate?: string | null;
    customerPo?: string;
    note?: string;
  } = {};
  if (values.carrierId !== (shipment.carrierId ?? ''))
    patch.carrierId = values.carrierId === '' ? null : values.carrierId;
  if (values.trackingNumber.trim() !== shipment.trackingNumber)
    patch.trackingNumber = values.trackingNumber.trim();
  if (values.plannedShipDate !== (shipment.plannedShipDate ?? ''))
    patch.plannedShipDate = values.plannedShipDate === '' ? null : values.plannedShipDate;
  if (values.customerPo.trim() !== shipment.customerPo) patch.customerPo = values.customerPo.trim();
  if (values.note.trim() !== shipment.note) patch.note = values.note.trim();
  const quantities = shipment.items
    .filter((item) => !values.remove.includes(item.id))
    .filter((item) => Number(values.quantities[item.id]) !== item.quantity)
    .map((item) => ({ itemId: item.id, quantity: Number(values.quantities[item.id]) }));
  const input = {
    id: shipment.id,
    expectedVersion: shipment.version,
    ...(Object.keys(patch).length === 0 ? {} : { patch }),
    ...(values.remove.length === 0 ? {} : { removeItemIds: [...values.remove] }),
    ...(quantities.length === 0 ? {} : { quantities }),
    ...(values.products.length === 0
      ? {}
      : {
          addProducts: values.products.map((line) => ({
            productId: line.productId,
            quantity: Number(line.quantity),
            ...(line.lot.trim() === '' ? {} : { lot: line.lot.trim() }),
          })),
        }),
  };
  return Object.keys(input).length > 2 ? input : null;
}
