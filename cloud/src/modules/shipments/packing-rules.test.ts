import { parseGs1, ssccFrom } from '@plantline/schema/gs1';
import { describe, expect, it } from 'vitest';
import {
  answerScan,
  type PackingAnswer,
  type PackingItem,
  type PackingPackage,
  type PackingTask,
  scanContent,
  serialKey,
} from './packing-rules.js';

/*
 * Every answer a packing station gives (docs/logistics.md, "Packing by scanning"), from scans read
 * by the real GS1 parser. GTINs and SSCCs carry valid check digits unless a test says otherwise.
 */

const now = new Date('2026-03-02T08:00:00Z');
const ROTOR = '09521234543213';
const CALIPER = '09506000134352';
const UNKNOWN = '09506000134376';
const sscc = (serial: number) =>
  ssccFrom({ extensionDigit: 0, companyPrefix: '9528765', serialReference: serial });

const item = (fields: Partial<PackingItem> & Pick<PackingItem, 'id'>): PackingItem => ({
  productId: 'p-rotor',
  productCode: 'BRK-100',
  gtin: ROTOR,
  lot: null,
  quantity: 10,
  packed: 0,
  ...fields,
});

const pallet: PackingPackage = {
  id: 'pallet',
  kind: 'pallet',
  sscc: sscc(1),
  status: 'open',
  parentId: null,
};
const carton: PackingPackage = {
  id: 'carton',
  kind: 'carton',
  sscc: sscc(2),
  status: 'open',
  parentId: null,
};
const closedCarton: PackingPackage = { ...carton, id: 'closed', sscc: sscc(3), status: 'closed' };

function task(fields: Partial<PackingTask> = {}): PackingTask {
  return {
    shipDate: '2026-03-04',
    items: [
      item({ id: 'rotors' }),
      item({ id: 'calipers', productId: 'p-caliper', productCode: 'BRK-200', gtin: CALIPER, lot: 'L-17' }),
    ],
    target: carton,
    packages: [pallet, carton, closedCarton],
    foreignSsccs: new Set(),
    packedSerials: new Set(),
    usedScanEventIds: new Set(),
    ...fields,
  };
}

const answer = (data: string, fields: Partial<PackingTask> = {}, scanEventId?: string): PackingAnswer =>
  answerScan(parseGs1(data, { now }), task(fields), { now, scanEventId });

describe('reading a scan for packing', () => {
  it('takes the GTIN from (01) or (02), the count from (30) or (37), and dates as calendar dates', () => {
    const unit = scanContent(parseGs1(`(01)${ROTOR}(17)260331(10)L-9(21)S1`, { now }), now);
    expect(unit).toEqual({
      gtin: ROTOR,
      sscc: null,
      lot: 'L-9',
      expiry: '2026-03-31',
      bestBefore: null,
      serial: 'S1',
      count: null,
    });
    const logistic = scanContent(parseGs1(`(00)${sscc(7)}(02)${ROTOR}(37)12(15)260400`, { now }), now);
    expect(logistic).toMatchObject({ gtin: ROTOR, sscc: sscc(7), count: 12, bestBefore: '2026-04-30' });
    expect(scanContent(parseGs1(`(01)${ROTOR}(30)5`, { now }), now).count).toBe(5);
  });
});

describe('the packing answer', () => {
  it('packs one unit of a matching item: ok', () => {
    const result = answer(`(01)${ROTOR}`);
    expect(result).toMatchObject({
      result: 'ok',
      action: 'pack',
      message: '1 × BRK-100 packed: 9 to go',
      item: { id: 'rotors' },
      content: { gtin: ROTOR, lot: null, serial: null, expiry: null, quantity: 1 },
    });
  });

  it('packs a counted unit and says when the item is complete', () => {
    expect(answer(`(01)${ROTOR}(30)10`)).toMatchObject({
      result: 'ok',
      message: '10 × BRK-100 packed: BRK-100 is complete',
      content: { quantity: 10 },
    });
  });

  it('keeps the scanned lot, serial, expiry (17) and best-before (15) apart with what it packs', () => {
    expect(answer(`(01)${CALIPER}(10)L-17(21)SN-4(17)261231`)).toMatchObject({
      result: 'ok',
      item: { id: 'calipers' },
      content: { lot: 'L-17', serial: 'SN-4', expiry: '2026-12-31', bestBefore: null, quantity: 1 },
    });
    // Day 00 is the month's last day (GS1 General Specifications §7.12).
    expect(answer(`(01)${ROTOR}(15)260500`)).toMatchObject({
      content: { expiry: null, bestBefore: '2026-05-31' },
    });
    expect(answer(`(01)${ROTOR}(15)260501(17)260601`)).toMatchObject({
      content: { expiry: '2026-06-01', bestBefore: '2026-05-01' },
      warning: null,
    });
  });

  it('refuses a product the shipment does not carry: wrong_item', () => {
    expect(answer(`(01)${UNKNOWN}`)).toEqual({
      result: 'wrong_item',
      message: `GTIN ${UNKNOWN} is not on this shipment, which needs BRK-100, BRK-200`,
    });
  });

  it('refuses another lot than the item names, or none: wrong_lot', () => {
    expect(answer(`(01)${CALIPER}(10)L-18`)).toEqual({
      result: 'wrong_lot',
      message: 'Lot L-17 expected, L-18 scanned',
    });
    expect(answer(`(01)${CALIPER}`)).toEqual({
      result: 'wrong_lot',
      message: 'BRK-200 must be lot L-17; the scan carries no lot',
    });
  });

  it('takes an item of any lot when the named lot does not match', () => {
    const items = [item({ id: 'named', lot: 'L-1' }), item({ id: 'any', lot: null })];
    expect(answer(`(01)${ROTOR}(10)L-1`, { items })).toMatchObject({ result: 'ok', item: { id: 'named' } });
    expect(answer(`(01)${ROTOR}(10)L-2`, { items })).toMatchObject({ result: 'ok', item: { id: 'any' } });
  });

  it('refuses what expires (17) before the day the shipment leaves: expired', () => {
    expect(answer(`(01)${ROTOR}(17)260303`)).toEqual({
      result: 'expired',
      message: 'Expired on 2026-03-03; the shipment leaves on 2026-03-04',
    });
    // Usable on the day it leaves.
    expect(answer(`(01)${ROTOR}(17)260304`).result).toBe('ok');
    // A best-before still ahead does not save an expired use-by date.
    expect(answer(`(01)${ROTOR}(15)261231(17)260303`).result).toBe('expired');
  });

  it('packs what is best before (15) the day it leaves, warning the operator', () => {
    expect(answer(`(01)${ROTOR}(15)260228`)).toMatchObject({
      result: 'ok',
      action: 'pack',
      message:
        '1 × BRK-100 packed: 9 to go. Best before 2026-02-28, before the shipment leaves on 2026-03-04',
      warning: 'Best before 2026-02-28, before the shipment leaves on 2026-03-04',
      content: { expiry: null, bestBefore: '2026-02-28' },
    });
    expect(answer(`(01)${ROTOR}(15)260304`)).toMatchObject({
      result: 'ok',
      message: '1 × BRK-100 packed: 9 to go',
      warning: null,
    });
  });

  it('refuses more than the item still needs: over_quantity', () => {
    const items = [item({ id: 'rotors', packed: 8 })];
    expect(answer(`(01)${ROTOR}(30)5`, { items })).toEqual({
      result: 'over_quantity',
      message: 'Only 2 more of BRK-100 wanted; the scan counts 5',
    });
    expect(answer(`(01)${ROTOR}`, { items: [item({ id: 'rotors', packed: 10 })] })).toEqual({
      result: 'over_quantity',
      message: 'BRK-100 is complete: 10 of 10 packed',
    });
  });

  it('refuses a serial already packed, and a scanner event used before: duplicate', () => {
    const packedSerials = new Set([serialKey('p-rotor', 'SN-1')]);
    expect(answer(`(01)${ROTOR}(21)SN-1`, { packedSerials })).toEqual({
      result: 'duplicate',
      message: 'Serial SN-1 of BRK-100 is already packed',
    });
    expect(answer(`(01)${ROTOR}(21)SN-2`, { packedSerials }).result).toBe('ok');
    const usedScanEventIds = new Set(['event-1']);
    expect(answer(`(01)${ROTOR}`, { usedScanEventIds }, 'event-1')).toEqual({
      result: 'duplicate',
      message: 'This scan was already packed',
    });
    expect(answer(`(01)${ROTOR}`, { usedScanEventIds }, 'event-2').result).toBe('ok');
  });

  it('refuses an SSCC of another shipment: not_in_shipment', () => {
    const other = sscc(99);
    expect(answer(`(00)${other}`)).toEqual({
      result: 'not_in_shipment',
      message: `SSCC ${other} is not a package of this shipment`,
    });
    // Even with a trade item on its label: its contents were packed elsewhere.
    expect(answer(`(00)${other}(02)${ROTOR}(37)4`, { foreignSsccs: new Set([other]) }).result).toBe(
      'not_in_shipment',
    );
    // A supplier's carton nobody packed here counts by its (02) and (37).
    expect(answer(`(00)${other}(02)${ROTOR}(37)4`)).toMatchObject({ result: 'ok', content: { quantity: 4 } });
  });

  it('refuses a wrong check digit: bad_check_digit', () => {
    expect(answer('(01)09521234543214')).toEqual({
      result: 'bad_check_digit',
      message: 'The check digit of 09521234543214 is wrong: rescan, or type the code from the label',
    });
  });

  it('refuses what is no GS1 data, or names no item or package: unreadable', () => {
    expect(answer('hello')).toMatchObject({ result: 'unreadable' });
    expect(answer('')).toMatchObject({
      result: 'unreadable',
      message: expect.stringMatching(/^The scan could not be read: /),
    });
    expect(answer('(414)9521234543213')).toEqual({
      result: 'unreadable',
      message: 'The scan carries no GTIN (01) or SSCC (00): scan the product or carton label',
    });
    expect(answer(`(01)${ROTOR}(21)SN-9(30)3`)).toEqual({
      result: 'unreadable',
      message: 'A serial number names one unit, but the scan counts 3',
    });
    expect(answer(`(01)${ROTOR}(30)0`).result).toBe('unreadable');
  });
});

describe('nesting a carton on a pallet by its SSCC', () => {
  it('puts a closed carton of the shipment on the open pallet: ok', () => {
    expect(answer(`(00)${closedCarton.sscc}`, { target: pallet })).toEqual({
      result: 'ok',
      action: 'nest',
      message: `Carton ${closedCarton.sscc} is on the pallet`,
      child: closedCarton,
    });
  });

  it('refuses a carton still open, a pallet, or a carton as the target: wrong_item', () => {
    expect(answer(`(00)${carton.sscc}`, { target: pallet })).toEqual({
      result: 'wrong_item',
      message: `Close carton ${carton.sscc} before putting it on the pallet`,
    });
    const otherPallet = { ...pallet, id: 'pallet-2', sscc: sscc(4), status: 'closed' as const };
    expect(answer(`(00)${otherPallet.sscc}`, { target: pallet, packages: [pallet, otherPallet] })).toEqual({
      result: 'wrong_item',
      message: 'A pallet cannot go onto another pallet',
    });
    expect(answer(`(00)${closedCarton.sscc}`, { target: carton })).toEqual({
      result: 'wrong_item',
      message: `Cartons go onto a pallet: open a pallet to put carton ${closedCarton.sscc} on it`,
    });
  });

  it('refuses a carton already on a pallet, or the open package itself: duplicate', () => {
    const onIt = { ...closedCarton, parentId: pallet.id };
    expect(answer(`(00)${onIt.sscc}`, { target: pallet, packages: [pallet, onIt] })).toEqual({
      result: 'duplicate',
      message: `Carton ${onIt.sscc} is already on this pallet`,
    });
    const onOther = { ...closedCarton, parentId: 'pallet-2' };
    expect(answer(`(00)${onOther.sscc}`, { target: pallet, packages: [pallet, onOther] })).toEqual({
      result: 'duplicate',
      message: `Carton ${onOther.sscc} is already on another pallet of this shipment`,
    });
    expect(answer(`(00)${pallet.sscc}`, { target: pallet }).result).toBe('duplicate');
  });
});

describe('packing a transfer with the same rules', () => {
  it('names the transfer in its answers instead of the shipment', () => {
    const transfer = { subject: 'transfer' as const };
    expect(answer(`(01)${UNKNOWN}`, transfer).message).toBe(
      `GTIN ${UNKNOWN} is not on this transfer, which needs BRK-100, BRK-200`,
    );
    expect(answer(`(00)${sscc(40)}`, transfer).message).toBe(
      `SSCC ${sscc(40)} is not a package of this transfer`,
    );
    expect(answer(`(01)${ROTOR}(17)260301`, transfer).message).toBe(
      'Expired on 2026-03-01; the transfer leaves on 2026-03-04',
    );
    expect(answer(`(01)${ROTOR}(30)3`, transfer)).toMatchObject({
      result: 'ok',
      message: '3 × BRK-100 packed: 7 to go',
    });
  });
});
