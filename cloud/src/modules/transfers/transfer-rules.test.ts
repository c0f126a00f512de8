import { parseGs1, ssccFrom } from '@plantline/schema/gs1';
import { describe, expect, it } from 'vitest';
import { scanContent } from '../shipments/index.js';
import { answerReceivingScan, type ReceivingPackage, type ReceivingTask } from './receiving-rules.js';
import {
  discrepancyProblems,
  type ReceivedLine,
  shipRefusal,
  sideRefusal,
  transitionRefusal,
} from './transfer-rules.js';

/*
 * The transfer's life cycle, who may act, and what receiving answers and records (docs/logistics.md,
 * "Transfers"), without a database: scans are read by the real GS1 parser.
 */

const now = new Date('2026-03-02T08:00:00Z');
const sscc = (serial: number) =>
  ssccFrom({ extensionDigit: 0, companyPrefix: '9528765', serialReference: serial });

describe('the transfer life cycle', () => {
  it('lets the sending plant pack and ship before it leaves, and the receiving plant receive in transit', () => {
    expect(transitionRefusal('TRF-1', 'draft', 'pack')).toBeNull();
    expect(transitionRefusal('TRF-1', 'picking', 'ship')).toBeNull();
    expect(transitionRefusal('TRF-1', 'in_transit', 'receive')).toBeNull();
    expect(transitionRefusal('TRF-1', 'in_transit', 'cancel')).toBe(
      'TRF-1 is in transit: only a transfer that has not left can be cancelled',
    );
    expect(transitionRefusal('TRF-1', 'picking', 'receive')).toBe(
      'TRF-1 is being picked: only a transfer in transit can be received',
    );
    expect(transitionRefusal('TRF-1', 'received', 'edit')).toBe(
      'TRF-1 is received: only a transfer that has not left can be changed',
    );
  });

  it('keeps each side to its own work', () => {
    const transfer = { number: 'TRF-1', fromPlantCode: 'RIV', toPlantCode: 'LAK' };
    expect(sideRefusal(transfer, 'sending', { sending: false, receiving: true })).toBe(
      'TRF-1 is packed and shipped by plant RIV',
    );
    expect(sideRefusal(transfer, 'receiving', { sending: true, receiving: false })).toBe(
      'TRF-1 is received by plant LAK',
    );
    expect(sideRefusal(transfer, 'receiving', { sending: true, receiving: true })).toBeNull();
  });

  it('ships nothing unpacked, and short only when asked to', () => {
    const line = { lineNo: 1, productCode: 'BRK-100', quantity: 5 };
    expect(shipRefusal([{ ...line, packed: 0 }], true)).toBe(
      'Nothing is packed: pack the transfer before shipping it',
    );
    expect(shipRefusal([{ ...line, packed: 3 }], false)).toBe(
      'One item is not fully packed — line 1 (BRK-100: 3 of 5): pack the rest, or ship what is packed',
    );
    expect(shipRefusal([{ ...line, packed: 3 }], true)).toBeNull();
    expect(shipRefusal([{ ...line, packed: 5 }], false)).toBeNull();
  });
});

describe('finishing receiving', () => {
  const line = (fields: Partial<ReceivedLine>): ReceivedLine => ({
    itemId: 'i1',
    lineNo: 1,
    productCode: 'BRK-100',
    shipped: 5,
    received: 5,
    reason: null,
    ...fields,
  });

  it('asks a reason for every difference, one that fits the direction of the count', () => {
    expect(discrepancyProblems([line({})]).size).toBe(0);
    expect(discrepancyProblems([line({ received: 4 })]).get('i1')).toBe(
      'Line 1 (BRK-100): 4 of 5 arrived — choose why (short, missing_package, damaged, wrong_item, wrong_lot)',
    );
    expect(discrepancyProblems([line({ received: 6 })]).get('i1')).toMatch(
      /choose why \(over, wrong_item, wrong_lot\)/,
    );
    expect(discrepancyProblems([line({ received: 6, reason: 'short' })]).get('i1')).toBe(
      'Line 1 (BRK-100): 6 of 5 arrived, which is not "short"',
    );
    expect(discrepancyProblems([line({ received: 4, reason: 'damaged' })]).size).toBe(0);
  });
});

describe('receiving by SSCC', () => {
  const pallet: ReceivingPackage = {
    id: 'pallet',
    kind: 'pallet',
    sscc: sscc(1),
    status: 'shipped',
    parentId: null,
    transferOrderId: 't1',
    shipmentId: null,
  };
  const carton: ReceivingPackage = {
    ...pallet,
    id: 'carton',
    kind: 'carton',
    sscc: sscc(2),
    parentId: 'pallet',
  };
  const loose: ReceivingPackage = { ...pallet, id: 'loose', kind: 'carton', sscc: sscc(3) };
  const receive = (data: string, fields: Partial<ReceivingTask> = {}) => {
    const scan = parseGs1(data, { now });
    const content = scanContent(scan, now);
    const packages = fields.packages ?? [pallet, carton, loose];
    return answerReceivingScan(scan, content, {
      transferId: 't1',
      transferNumber: 'TRF-1',
      scanned: packages.find((p) => p.sscc === content.sscc) ?? null,
      packages,
      scanEventUsed: false,
      ...fields,
    });
  };

  it('receives a pallet with the cartons on it', () => {
    const answer = receive(`(00)${pallet.sscc}`);
    expect(answer).toMatchObject({
      result: 'ok',
      message: `Pallet ${pallet.sscc} received: 1 package to go`,
    });
    expect(answer.result === 'ok' && answer.received.map((p) => p.id)).toEqual(['pallet', 'carton']);
  });

  it('refuses what is not this transfer’s, what came already, and what is no SSCC', () => {
    expect(
      receive(`(00)${carton.sscc}`, { packages: [pallet, { ...carton, status: 'received' }, loose] }),
    ).toEqual({
      result: 'duplicate',
      message: `Carton ${carton.sscc} was received already`,
    });
    expect(receive(`(00)${sscc(9)}`)).toEqual({
      result: 'not_in_shipment',
      message: `SSCC ${sscc(9)} is not a package of TRF-1`,
    });
    const shipmentBox = { ...loose, transferOrderId: null, shipmentId: 's1' };
    expect(receive(`(00)${loose.sscc}`, { scanned: shipmentBox }).message).toBe(
      `SSCC ${loose.sscc} is a package of a customer shipment, not of TRF-1`,
    );
    expect(receive('(01)09521234543213').result).toBe('unreadable');
    expect(receive(`(00)${pallet.sscc}`, { scanEventUsed: true }).result).toBe('duplicate');
    expect(receive(`(00)${pallet.sscc!.slice(0, 17)}${(Number(pallet.sscc!.at(-1)) + 1) % 10}`).result).toBe(
      'bad_check_digit',
    );
  });
});
