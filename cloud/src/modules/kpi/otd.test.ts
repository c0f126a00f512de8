import { describe, expect, it } from 'vitest';
import { dayNumber, effectivePolicy, judgeLine, localDay, type OtdLine, type OtdMeasure } from './otd.js';
import { line, shipped, TENANT_POLICY } from './otd-fixtures.js';
import { timeZone } from './zone.js';

/*
 * One line judged (docs/kpis.md, "OTD and OTIF"), every figure worked out by hand in the comments.
 * `today` is 2026-03-31 unless a test says otherwise, so every window below has passed.
 */
const UTC = timeZone('UTC');
const MARCH_31 = dayNumber('2026-03-31');

function judge(l: OtdLine, measure: OtdMeasure = 'toRequest', today = MARCH_31, zone = UTC) {
  const o = judgeLine(l, measure, zone, today);
  return {
    status: o.status,
    onTime: o.onTime,
    inFull: o.inFull,
    reference: new Date(o.reference * 86_400_000).toISOString().slice(0, 10),
    daysLate: o.daysLate,
    onTimeQuantity: o.onTimeQuantity,
    reason: o.reason,
  };
}

describe('the reference date', () => {
  // Requested 10 March; promised 12 March (capacity), re-promised 14 March (material); left 12 March.
  const promised = (reference: (typeof TENANT_POLICY)['reference']) =>
    line({
      number: 'DR-1',
      requested: '2026-03-10',
      promises: [
        ['2026-03-12', 'capacity'],
        ['2026-03-14', 'material short'],
      ],
      shipments: [shipped('S-1', '2026-03-12T09:00:00Z')],
      policy: { reference },
    });

  it('to request is always the requested date', () => {
    for (const reference of ['requested', 'first_promised', 'latest_promised'] as const)
      expect(judge(promised(reference))).toMatchObject({
        reference: '2026-03-10',
        status: 'late',
        daysLate: 2,
        // No shipping late reason: the newest promise says why.
        reason: 'material short',
      });
  });

  it('to promise is the configured promise, the first one when the policy says requested', () => {
    expect(judge(promised('requested'), 'toPromise')).toMatchObject({
      reference: '2026-03-12',
      status: 'on_time',
      daysLate: 0,
    });
    expect(judge(promised('first_promised'), 'toPromise')).toMatchObject({
      reference: '2026-03-12',
      status: 'on_time',
    });
    // Two days before the newest promise: early, which is on time unless early counts as late.
    expect(judge(promised('latest_promised'), 'toPromise')).toMatchObject({
      reference: '2026-03-14',
      status: 'on_time',
      daysLate: -2,
    });
  });

  it('falls back to the requested date when nothing was promised', () => {
    const unpromised = line({
      number: 'DR-2',
      requested: '2026-03-10',
      shipments: [shipped('S-1', '2026-03-11T09:00:00Z')],
      policy: { reference: 'latest_promised' },
    });
    expect(judge(unpromised, 'toPromise')).toMatchObject({
      reference: '2026-03-10',
      status: 'late',
      daysLate: 1,
    });
  });
});

describe('the actual date', () => {
  // Left on the requested day, arrived two days later.
  const travelled = (actual: 'shipped' | 'delivered', deliveredAt?: string) =>
    line({
      number: 'DR-3',
      requested: '2026-03-10',
      shipments: [
        shipped('S-1', '2026-03-10T15:00:00Z', 10, deliveredAt === undefined ? {} : { deliveredAt }),
      ],
      policy: { actual },
    });

  it('is when the shipment left, or when it arrived', () => {
    expect(judge(travelled('shipped', '2026-03-12T08:00:00Z'))).toMatchObject({
      status: 'on_time',
      daysLate: 0,
    });
    expect(judge(travelled('delivered', '2026-03-12T08:00:00Z'))).toMatchObject({
      status: 'late',
      daysLate: 2,
    });
  });

  it('is missing while a shipment is on its way: not shipped once the window has passed, pending before', () => {
    expect(judge(travelled('delivered'))).toMatchObject({
      status: 'not_shipped',
      daysLate: 21,
      onTime: false,
    });
    expect(judge(travelled('delivered'), 'toRequest', dayNumber('2026-03-10'))).toMatchObject({
      status: 'pending',
    });
    // Left but not arrived; with "shipped" the same line is decided as soon as all of it left.
    expect(judge(travelled('shipped'), 'toRequest', dayNumber('2026-03-10')).status).toBe('on_time');
  });

  // judgeLine takes the plant's zone; otd-report.test.ts checks that a line's own zone is the one used.
  it("is the calendar date in the shipping plant's time zone", () => {
    const berlin = timeZone('Europe/Berlin');
    const leftAt = (instant: string) =>
      line({ number: 'DR-4', requested: '2026-03-10', shipments: [shipped('S-1', instant)] });
    // 23:59 on 10 March in Berlin (UTC+1) is still the requested day; 00:30 on the 11th is a day late.
    expect(judge(leftAt('2026-03-10T22:59:00Z'), 'toRequest', MARCH_31, berlin).status).toBe('on_time');
    expect(judge(leftAt('2026-03-10T23:30:00Z'), 'toRequest', MARCH_31, berlin)).toMatchObject({
      status: 'late',
      daysLate: 1,
    });
    // The same instant is still 10 March in New York (UTC−4 after 8 March).
    const newYork = timeZone('America/New_York');
    expect(judge(leftAt('2026-03-11T03:30:00Z'), 'toRequest', MARCH_31, newYork).status).toBe('on_time');
    // At 00:30 Berlin time on the 11th, the plant's 10 March is over: an unshipped line is late already.
    const now = Date.parse('2026-03-10T23:30:00Z');
    const unshipped = line({ number: 'DR-5', requested: '2026-03-10' });
    expect(judge(unshipped, 'toRequest', localDay(berlin, now), berlin).status).toBe('not_shipped');
    expect(judge(unshipped, 'toRequest', localDay(UTC, now), UTC).status).toBe('pending');
  });
});

describe('the window', () => {
  const leftOn = (date: string, policy: Partial<typeof TENANT_POLICY>) =>
    line({
      number: 'DR-6',
      requested: '2026-03-10',
      shipments: [shipped('S-1', `${date}T12:00:00Z`)],
      policy,
    });

  it('accepts lateDays after the reference', () => {
    expect(judge(leftOn('2026-03-12', { lateDays: 2 }))).toMatchObject({ status: 'on_time', daysLate: 2 });
    expect(judge(leftOn('2026-03-13', { lateDays: 2 }))).toMatchObject({ status: 'late', daysLate: 3 });
  });

  it('counts early as on time, unless early is late; then earlyDays before the reference are accepted', () => {
    expect(judge(leftOn('2026-03-01', { earlyDays: 2 }))).toMatchObject({ status: 'on_time', daysLate: -9 });
    expect(judge(leftOn('2026-03-08', { earlyDays: 2, earlyIsLate: true }))).toMatchObject({
      status: 'on_time',
      daysLate: -2,
    });
    expect(judge(leftOn('2026-03-07', { earlyDays: 2, earlyIsLate: true }))).toMatchObject({
      status: 'early',
      onTime: false,
      inFull: false,
      daysLate: -3,
    });
  });
});

describe('partial shipments', () => {
  // 10 asked for 10 March: 4 left on the 10th, 6 on the 11th with a late reason.
  const split = (policy: Partial<typeof TENANT_POLICY>) =>
    line({
      number: 'DR-7',
      requested: '2026-03-10',
      promises: [['2026-03-10', 'confirmed']],
      shipments: [
        shipped('S-2', '2026-03-11T12:00:00Z', 6, { lateReason: 'carrier no-show' }),
        shipped('S-1', '2026-03-10T12:00:00Z', 4),
      ],
      policy,
    });

  it('are on time by the first shipment and in full by what arrived in the window', () => {
    expect(judge(split({}))).toEqual({
      status: 'short',
      onTime: true,
      inFull: false,
      reference: '2026-03-10',
      daysLate: 0,
      onTimeQuantity: 4,
      reason: 'carrier no-show',
    });
    expect(judge(split({ lateDays: 1 }))).toMatchObject({
      status: 'on_time',
      inFull: true,
      onTimeQuantity: 10,
    });
  });

  it('leave a line undecided until its window passes or all of it has left', () => {
    const partly = line({
      number: 'DR-8',
      requested: '2026-03-12',
      shipments: [shipped('S-1', '2026-03-10T12:00:00Z', 4)],
    });
    expect(judge(partly, 'toRequest', dayNumber('2026-03-12')).status).toBe('pending');
    expect(judge(partly, 'toRequest', dayNumber('2026-03-13'))).toMatchObject({
      status: 'short',
      onTimeQuantity: 4,
    });
  });
});

describe("a customer's exceptions", () => {
  it('win over the tenant policy where they say something, and only there', () => {
    const tenant = { ...TENANT_POLICY, lateDays: 3, unit: 'quantity' as const };
    expect(effectivePolicy(tenant, { lateDays: 0, earlyIsLate: true })).toEqual({
      ...tenant,
      lateDays: 0,
      earlyIsLate: true,
    });
    expect(effectivePolicy(tenant, null)).toEqual(tenant);
    expect(effectivePolicy(tenant, {})).toEqual(tenant);
    // Stored exceptions the API would refuse (it validates them) change nothing rather than failing the KPI.
    expect(effectivePolicy(tenant, { lateDays: 99 })).toEqual(tenant);
    expect(effectivePolicy(tenant, 'late')).toEqual(tenant);
  });
});
