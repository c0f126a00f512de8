import { tables } from '@plantline/schema';
import { describe, expect, it } from 'vitest';
import {
  plantDate,
  remainders,
  type ShipmentAction,
  shipRefusal,
  statusAfterPacking,
  transitionRefusal,
} from './shipment-rules.js';

describe('the shipment life cycle', () => {
  it('allows each action from its states only, and says why otherwise', () => {
    const allowed: Record<ShipmentAction, string[]> = {
      startPicking: ['draft'],
      ship: ['picking', 'packed'],
      deliver: ['shipped'],
      cancel: ['draft', 'picking', 'packed'],
      edit: ['draft', 'picking'],
      pack: ['draft', 'picking', 'packed'],
    };
    for (const [action, from] of Object.entries(allowed) as [ShipmentAction, string[]][])
      for (const status of tables.shipmentStatuses) {
        const refusal = transitionRefusal('SHP-1', status, action);
        expect(refusal === null, `${action} from ${status}`).toBe(from.includes(status));
      }
    expect(transitionRefusal('SHP-1', 'shipped', 'cancel')).toBe(
      'SHP-1 is shipped: only a shipment that has not left can be cancelled',
    );
    expect(transitionRefusal('SHP-1', 'draft', 'ship')).toBe(
      'SHP-1 is a draft: only a shipment being picked or packed can be shipped',
    );
    expect(transitionRefusal('SHP-1', 'packed', 'edit')).toBe(
      'SHP-1 is packed: only a draft or a shipment being picked can be changed',
    );
  });

  it('starts picking with the first packing and is packed once every item is complete', () => {
    const open = [
      { id: 'a', quantity: 2, packed: 1 },
      { id: 'b', quantity: 1, packed: 0 },
    ];
    const done = [
      { id: 'a', quantity: 2, packed: 2 },
      { id: 'b', quantity: 1, packed: 1 },
    ];
    expect(statusAfterPacking('draft', open, true)).toBe('picking');
    expect(statusAfterPacking('draft', open, false)).toBe('draft');
    expect(statusAfterPacking('picking', open, false)).toBe('picking');
    expect(statusAfterPacking('draft', done, true)).toBe('packed');
    expect(statusAfterPacking('picking', done, true)).toBe('packed');
    expect(statusAfterPacking('packed', done, false)).toBe('packed');
    expect(statusAfterPacking('picking', [], false)).toBe('picking');
  });
});

describe('shipping', () => {
  const items = [
    { id: 'a', quantity: 10, packed: 10 },
    { id: 'b', quantity: 5, packed: 2 },
    { id: 'c', quantity: 3, packed: 0 },
  ];

  it('leaves a remainder per item not fully packed', () => {
    expect(remainders(items).map((i) => [i.id, i.remainder])).toEqual([
      ['b', 3],
      ['c', 3],
    ]);
  });

  it('ships short only with an explicit backorder, and never with nothing packed', () => {
    expect(shipRefusal(items, false)).toBe(
      '2 items are not fully packed: ship with a backorder for the rest, or pack them first',
    );
    expect(shipRefusal(items, true)).toBeNull();
    expect(shipRefusal(items.slice(0, 2), false)).toBe(
      'One item is not fully packed: ship with a backorder for the rest, or pack it first',
    );
    expect(shipRefusal([{ id: 'a', quantity: 1, packed: 0 }], true)).toBe(
      'Nothing is packed yet: pack the items before shipping',
    );
    expect(shipRefusal([{ id: 'a', quantity: 1, packed: 1 }], false)).toBeNull();
  });

  it('dates in the plant’s own calendar', () => {
    const at = new Date('2026-03-01T23:30:00Z');
    expect(plantDate(at, 'UTC')).toBe('2026-03-01');
    expect(plantDate(at, 'Europe/Berlin')).toBe('2026-03-02');
    expect(plantDate(at, 'America/Chicago')).toBe('2026-03-01');
  });
});
