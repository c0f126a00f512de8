import type { OtdPolicy } from '@plantline/schema';
import type { OtdLine, OtdShipment } from './otd.js';

/*
 * Delivery lines for the OTD tests (otd.test.ts, otd-report.test.ts), written the way the examples in
 * docs/kpis.md read: a requested date, promises, and shipments with the instant they left.
 */

export const TENANT_POLICY: OtdPolicy = {
  reference: 'requested',
  actual: 'shipped',
  earlyDays: 0,
  lateDays: 0,
  earlyIsLate: false,
  unit: 'line',
};

export const ACME = { id: '00000000-0000-4000-8000-00000000000a', code: 'ACME', name: 'ACME Corp' };
export const BOLT = { id: '00000000-0000-4000-8000-00000000000b', code: 'BOLT', name: 'Bolt Industries' };
export const WIDGET = { id: '00000000-0000-4000-8000-0000000000f1', code: 'W-1', name: 'Widget' };

export interface LineSpec {
  number: string;
  requested: string;
  quantity?: number;
  /** [date, reason], first to newest. */
  promises?: [string, string][];
  shipments?: OtdShipment[];
  policy?: Partial<OtdPolicy>;
  customer?: OtdLine['customer'];
  timeZone?: string;
  cancelled?: boolean;
}

export function line(spec: LineSpec): OtdLine {
  return {
    requestId: `req-${spec.number}`,
    number: spec.number,
    cancelled: spec.cancelled ?? false,
    plantId: 'plant-1',
    timeZone: spec.timeZone ?? 'UTC',
    customer: spec.customer ?? ACME,
    product: WIDGET,
    quantity: spec.quantity ?? 10,
    requestedDate: spec.requested,
    promises: (spec.promises ?? []).map(([date, reason]) => ({ date, reason })),
    shipments: spec.shipments ?? [],
    policy: { ...TENANT_POLICY, ...spec.policy },
  };
}

/** A shipment of `quantity` of the line that left at `shippedAt` (ISO instant) and arrived at `deliveredAt`. */
export function shipped(
  number: string,
  shippedAt: string | null,
  quantity = 10,
  more: { deliveredAt?: string; lateReason?: string } = {},
): OtdShipment {
  return {
    shipmentId: `shp-${number}`,
    number,
    shippedAt: shippedAt === null ? null : Date.parse(shippedAt),
    deliveredAt: more.deliveredAt === undefined ? null : Date.parse(more.deliveredAt),
    quantity,
    lateReason: more.lateReason ?? '',
  };
}
