import { describe, expect, it } from 'vitest';
import { bomStatusTone, itemsInput, validity } from './boms';

describe('the BOM pages', () => {
  const row = { materialId: 'm1', quantity: '0.5', unit: 'kg', scrapPercent: '5', backflush: true };

  it('turns the editor rows into items, and says which row is wrong', () => {
    expect(itemsInput([row, { ...row, materialId: 'm2', scrapPercent: '' }])).toEqual({
      items: [
        { materialId: 'm1', quantity: 0.5, unit: 'kg', scrapPercent: 5, backflush: true },
        { materialId: 'm2', quantity: 0.5, unit: 'kg', scrapPercent: 0, backflush: true },
      ],
    });
    expect(itemsInput([row, { ...row, materialId: '' }])).toEqual({
      problem: 'Item 2: choose the component.',
    });
    // A bound number input gives numbers, and null when emptied.
    expect(itemsInput([{ ...row, quantity: 2, scrapPercent: null }])).toEqual({
      items: [{ materialId: 'm1', quantity: 2, unit: 'kg', scrapPercent: 0, backflush: true }],
    });
    expect(itemsInput([{ ...row, quantity: null }])).toEqual({
      problem: 'Item 1: the quantity must be above zero.',
    });
    expect(itemsInput([{ ...row, quantity: '0' }])).toEqual({
      problem: 'Item 1: the quantity must be above zero.',
    });
    expect(itemsInput([{ ...row, scrapPercent: '120' }])).toEqual({
      problem: 'Item 1: scrap is a percentage from 0 to 100.',
    });
  });

  it('says when a version is effective and in what tone', () => {
    expect(validity({ validFrom: null, validTo: null })).toBe('—');
    expect(validity({ validFrom: '2026-06-01T00:00:00.000Z', validTo: null })).toBe(
      'from 2026-06-01 00:00 UTC',
    );
    expect(validity({ validFrom: '2026-06-01T00:00:00.000Z', validTo: '2026-06-11T06:30:00.000Z' })).toBe(
      '2026-06-01 00:00 – 2026-06-11 06:30 UTC',
    );
    expect([bomStatusTone('draft'), bomStatusTone('released'), bomStatusTone('obsolete')]).toEqual([
      'draft',
      'good',
      'ended',
    ]);
  });
});
