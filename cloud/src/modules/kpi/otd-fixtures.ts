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

/*
 * The March scenario: a period of OTD and OTIF (docs/kpis.md, "OTD and OTIF"), every line judged by
 * hand. otd-report.test.ts counts it; otd-query.test.ts stores it and asks the API.
 *
 * Tenant policy: reference latest_promised, actual shipped, lateDays 1, early on time, unit line.
 * BOLT's exceptions: lateDays 0, unit quantity. Period 2 – 15 March 2026 (two ISO weeks), now
 * 15 March noon UTC (otd-report.test.ts), every plant on UTC. "tr" = to request, "tp" = to promise.
 *
 *   DR-01 ACME 10, req 03-03; S1 03-03 10.                  tr on time · tp on time
 *   DR-02 ACME 10, req 03-04, promised 03-06 (tooling); S2 03-06 10.
 *                                                           tr late 2 days (reason tooling) · tp on time
 *   DR-03 ACME 10, req 03-05; S3 03-05 4, S4 03-07 6 (carrier no-show).
 *                                                           tr/tp short: on time by S3, 4 in the window
 *   DR-04 ACME 5, req 03-10, promised 03-11 then 03-20 (rescheduled); nothing shipped.
 *                                                           tr not shipped, 5 days · tp due 03-20: outside
 *   DR-05 ACME 5, req 03-12, cancelled.                     nowhere
 *   DR-06 BOLT 20, req 03-09; S5 03-09 20.                  on time
 *   DR-07 BOLT 30, req 03-11, promised 03-13 (resin shortage); S6 03-12 30.
 *                                                           tr late 1 day (BOLT allows 0) · tp early = on time
 *   DR-08 ACME 10, req 03-13; S7 03-13 10.                  on time
 *   DR-09 ACME 5, req 03-14; S7 03-13 5 (same shipment).    on time (early)
 *   DR-10 ACME 8, req 03-01, promised 03-02; S8 03-02 8.    tr due 03-01: outside · tp on time
 *   DR-11 ACME 7, req 03-15; nothing shipped yet.           pending (window open until 03-16)
 */
/** The scenario's tenant policy (the tests save it as the tenant's settings) and BOLT's exceptions. */
export const MARCH_TENANT = { reference: 'latest_promised', lateDays: 1 } as const;
export const BOLT_EXCEPTIONS = { lateDays: 0, unit: 'quantity' } as const;
const bolt = { ...MARCH_TENANT, ...BOLT_EXCEPTIONS };
const at = (date: string) => `${date}T12:00:00Z`;
const spec = (s: LineSpec): LineSpec => ({ policy: MARCH_TENANT, ...s });

export const MARCH_SCENARIO: readonly LineSpec[] = [
  spec({ number: 'DR-01', requested: '2026-03-03', shipments: [shipped('S1', at('2026-03-03'))] }),
  spec({
    number: 'DR-02',
    requested: '2026-03-04',
    promises: [['2026-03-06', 'tooling']],
    shipments: [shipped('S2', at('2026-03-06'))],
  }),
  spec({
    number: 'DR-03',
    requested: '2026-03-05',
    shipments: [
      shipped('S3', at('2026-03-05'), 4),
      shipped('S4', at('2026-03-07'), 6, { lateReason: 'carrier no-show' }),
    ],
  }),
  spec({
    number: 'DR-04',
    requested: '2026-03-10',
    quantity: 5,
    promises: [
      ['2026-03-11', 'capacity'],
      ['2026-03-20', 'rescheduled'],
    ],
  }),
  spec({ number: 'DR-05', requested: '2026-03-12', quantity: 5, cancelled: true }),
  spec({
    number: 'DR-06',
    requested: '2026-03-09',
    quantity: 20,
    customer: BOLT,
    policy: bolt,
    shipments: [shipped('S5', at('2026-03-09'), 20)],
  }),
  spec({
    number: 'DR-07',
    requested: '2026-03-11',
    quantity: 30,
    customer: BOLT,
    policy: bolt,
    promises: [['2026-03-13', 'resin shortage']],
    shipments: [shipped('S6', at('2026-03-12'), 30)],
  }),
  spec({ number: 'DR-08', requested: '2026-03-13', shipments: [shipped('S7', at('2026-03-13'))] }),
  spec({
    number: 'DR-09',
    requested: '2026-03-14',
    quantity: 5,
    shipments: [shipped('S7', at('2026-03-13'), 5)],
  }),
  spec({
    number: 'DR-10',
    requested: '2026-03-01',
    quantity: 8,
    promises: [['2026-03-02', 'confirmed']],
    shipments: [shipped('S8', at('2026-03-02'), 8)],
  }),
  spec({ number: 'DR-11', requested: '2026-03-15', quantity: 7 }),
];
