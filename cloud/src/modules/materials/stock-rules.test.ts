import { tables } from '@plantline/schema';
import { describe, expect, it } from 'vitest';
import { consumeRefusal, directionOf, lotPresenceRefusal, lotRefusal, timeRefusal } from './stock-rules.js';

/* The movement rules of docs/materials.md, "Ledger rules", on their own. */
describe('stock rules', () => {
  it('lets a released lot do anything and a blocked one only be counted, scrapped or received into', () => {
    for (const kind of tables.movementKinds) expect(lotRefusal(kind, 'released', 'L1'), kind).toBeNull();
    const blocked = tables.movementKinds.filter((kind) => lotRefusal(kind, 'blocked', 'L1') !== null);
    expect(blocked).toEqual(['issue', 'transfer_out', 'consumption']);
    expect(lotRefusal('issue', 'blocked', 'L1')).toBe('Lot L1 is blocked');
  });

  it('lets a quarantined lot move but not be used, and a consumed one take no more stock', () => {
    const quarantined = tables.movementKinds.filter((kind) => lotRefusal(kind, 'quarantine', 'L1') !== null);
    expect(quarantined).toEqual(['issue', 'consumption']);
    const consumed = tables.movementKinds.filter((kind) => lotRefusal(kind, 'consumed', 'L1') !== null);
    expect(consumed).toEqual(['receipt', 'transfer_in', 'production']);
  });

  it('gives each kind its direction, and none to the kinds that go either way', () => {
    expect(Object.fromEntries(tables.movementKinds.map((kind) => [kind, directionOf(kind)]))).toEqual({
      receipt: 1,
      issue: -1,
      transfer_out: -1,
      transfer_in: 1,
      consumption: -1,
      production: 1,
      scrap: -1,
      adjustment: 0,
      reversal: 0,
    });
  });

  it('asks for a lot exactly when the material is lot-tracked', () => {
    expect(lotPresenceRefusal({ code: 'RES', lotTracked: true }, null)).toBe(
      'RES is lot-tracked: name the lot',
    );
    expect(lotPresenceRefusal({ code: 'RES', lotTracked: true }, 'lot')).toBeNull();
    expect(lotPresenceRefusal({ code: 'NUT', lotTracked: false }, 'lot')).toBe(
      'NUT is not lot-tracked: name no lot',
    );
    expect(lotPresenceRefusal({ code: 'NUT', lotTracked: false }, null)).toBeNull();
  });

  it('takes movements dated back, or a few minutes ahead, but none further in the future', () => {
    const now = new Date('2026-03-02T12:00:00Z');
    expect(timeRefusal(new Date('2025-01-01T00:00:00Z'), now)).toBeNull();
    expect(timeRefusal(new Date('2026-03-02T12:05:00Z'), now)).toBeNull();
    expect(timeRefusal(new Date('2026-03-02T12:05:01Z'), now)).toBe(
      'A movement cannot be dated in the future',
    );
  });
});

describe('consuming a scanned lot for an order', () => {
  const base = {
    material: { id: 'm1', code: 'RES-1' },
    orderNumber: 'PO-1',
    ordersProduct: false,
    allowed: null,
    lot: { lotCode: 'L1', status: 'released' as const, expiresOn: '2026-01-01' },
    expired: false,
  };

  it('allows a released lot of a material the order may use', () => {
    expect(consumeRefusal(base)).toBeNull();
    expect(consumeRefusal({ ...base, allowed: new Set(['m1']) })).toBeNull();
  });

  it('refuses the wrong material before the lot, then the lot’s status, then its expiry', () => {
    expect(consumeRefusal({ ...base, allowed: new Set(['m2']), expired: true })).toEqual({
      result: 'wrong_item',
      message: 'RES-1 is not a material of PO-1',
    });
    expect(consumeRefusal({ ...base, ordersProduct: true })).toEqual({
      result: 'wrong_item',
      message: 'PO-1 makes RES-1; it does not consume it',
    });
    for (const [status, message] of [
      ['blocked', 'Lot L1 is blocked'],
      ['quarantine', 'Lot L1 is in quarantine'],
      ['consumed', 'Lot L1 is consumed'],
    ] as const)
      expect(consumeRefusal({ ...base, lot: { ...base.lot, status }, expired: true })).toEqual({
        result: 'wrong_lot',
        message,
      });
    expect(consumeRefusal({ ...base, expired: true })).toEqual({
      result: 'expired',
      message: 'Lot L1 expired on 2026-01-01',
    });
  });
});
