import { parseGs1 } from '@plantline/schema/gs1';
import { describe, expect, it } from 'vitest';
import { isExpired, readLabel } from './label-reading.js';

/* What a supplier's label says (docs/materials.md, "Receiving by scanning"), read without a database. */
const now = new Date('2026-06-15T10:00:00Z');
const read = (data: string) => readLabel(parseGs1(data, { now }), now);

describe('reading a supplier label', () => {
  it('reads GTIN, batch, expiry and a net weight with its implied decimals', () => {
    expect(read('(01)09521234543213(17)270300(10)AB-12(3103)012345')).toEqual({
      ok: true,
      content: {
        gtin: '09521234543213',
        batch: 'AB-12',
        expiresOn: '2027-03-31',
        quantity: { value: 12.345, unit: 'kg', ai: '3103' },
      },
    });
  });

  it('reads a count, and a pallet label’s content GTIN (02) with its count (37)', () => {
    expect(read('(01)09521234543213(10)L1(30)48')).toMatchObject({
      content: { quantity: { value: 48, unit: 'count', ai: '30' } },
    });
    expect(read('(00)095287654321012346(02)09521234543213(37)12(10)L2')).toMatchObject({
      content: { gtin: '09521234543213', batch: 'L2', quantity: { value: 12, unit: 'count' } },
    });
  });

  it('reads element strings as a scanner sends them, FNC1 as GS', () => {
    expect(read(']d2010952123454321310AB-12\u001d3102001000')).toMatchObject({
      ok: true,
      content: { batch: 'AB-12', quantity: { value: 10, unit: 'kg' } },
    });
  });

  it('refuses what is not valid GS1 data, saying why', () => {
    expect(read('(01)09521234543214(10)X')).toEqual({
      ok: false,
      message: expect.stringMatching(/^Not a valid GS1 label: /),
    });
    expect(read('hello')).toMatchObject({ ok: false });
  });

  it('takes a lot as expired from the day after its expiry', () => {
    expect(isExpired('2026-06-14', '2026-06-15')).toBe(true);
    expect(isExpired('2026-06-15', '2026-06-15')).toBe(false);
    expect(isExpired(null, '2026-06-15')).toBe(false);
  });
});
