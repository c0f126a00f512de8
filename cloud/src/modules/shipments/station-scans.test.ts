import type { StationAnswer } from '@plantline/schema';
import { describe, expect, it, vi } from 'vitest';
import type { Sql } from '../../db/index.js';
import { DomainError, EventBus, type Principal } from '../../platform/index.js';
import type { ShipmentCall } from './shipments.js';
import {
  dispatchStationScans,
  oneScanAtATime,
  type StationAtScan,
  type StationScan,
  type StationScanHandler,
  StationScanHandlers,
  stationScanHandlers,
  TRANSFERS_NOT_AVAILABLE,
} from './station-scans.js';

/*
 * Routing a station's scan by its task (docs/logistics.md, "Scanning at a station"): the handler of
 * the task's target answers, a station without a task or without a handler for its target says so,
 * and a refusal of the task itself becomes the station's answer rather than failing the ingest call.
 * The handlers here stand in for the shipments' and transfers' own, which the API tests run.
 */
const call: ShipmentCall = {
  tx: {} as Sql,
  principal: { tenantId: 't', plantIds: ['p'] } as unknown as Principal,
  afterCommit: () => undefined,
  deps: { bus: new EventBus(() => undefined) },
};
const scan: StationScan = { eventId: 'e1', plantId: 'p', station: 'PACK-1', data: '(01)1', fresh: true };
const station = (target: 'shipment' | 'transfer' | null): StationAtScan => ({
  id: 's1',
  plantId: 'p',
  code: 'PACK-1',
  task:
    target === null
      ? null
      : {
          taskId: 't1',
          stationId: 's1',
          stationCode: 'PACK-1',
          plantId: 'p',
          mode: target === 'shipment' ? 'pack' : 'receive',
          shipmentId: target === 'shipment' ? 'sh1' : null,
          transferOrderId: target === 'transfer' ? 'tr1' : null,
          packageId: target === 'shipment' ? 'pk1' : null,
          number: target === 'shipment' ? 'SHP-1' : 'TRF-1',
        },
});
const ok: StationAnswer = {
  result: 'ok',
  message: 'packed',
  station: 'PACK-1',
  shipment: 'TRF-1',
  item: null,
};

const run = (target: 'shipment' | 'transfer' | null, scans: StationScan[] = [scan]) => ({
  station: station(target),
  scans,
});

describe('dispatching scans at stations', () => {
  it('answers no_task at a station without a task, asking no handler', async () => {
    const handler = vi.fn<StationScanHandler>();
    const handlers = new StationScanHandlers().register('shipment', handler);
    expect(await dispatchStationScans(call, handlers, [run(null)])).toEqual([
      [
        {
          result: 'no_task',
          message: 'Station PACK-1 has no open task',
          station: 'PACK-1',
          shipment: null,
          item: null,
        },
      ],
    ]);
    expect(handler).not.toHaveBeenCalled();
  });

  it('says honestly that transfers are not scanned here while no handler is registered', async () => {
    const refusal = {
      result: 'not_in_shipment',
      message: TRANSFERS_NOT_AVAILABLE,
      station: 'PACK-1',
      shipment: 'TRF-1',
      item: null,
    };
    expect(await dispatchStationScans(call, stationScanHandlers(), [run('transfer', [scan, scan])])).toEqual([
      [refusal, refusal],
    ]);
  });

  it('hands each kind’s runs to its handler in one call and puts the answers back in place', async () => {
    const transfer = vi.fn<StationScanHandler>(async (_call, runs) => runs.map((r) => r.scans.map(() => ok)));
    const shipment = vi.fn<StationScanHandler>(async (_call, runs) =>
      runs.map((r) => r.scans.map(() => ({ ...ok, shipment: 'SHP-1' }))),
    );
    const handlers = new StationScanHandlers().register('shipment', shipment).register('transfer', transfer);
    const second: StationScan = { ...scan, eventId: 'e2' };
    const answers = await dispatchStationScans(call, handlers, [
      run('transfer'),
      run('shipment', [scan, second]),
      run(null),
      run('transfer', [second]),
    ]);
    expect(answers.map((answered) => answered.map((a) => `${a.result}:${a.shipment}`))).toEqual([
      ['ok:TRF-1'],
      ['ok:SHP-1', 'ok:SHP-1'],
      ['no_task:null'],
      ['ok:TRF-1'],
    ]);
    expect(transfer).toHaveBeenCalledTimes(1);
    expect(transfer).toHaveBeenCalledWith(call, [
      { task: station('transfer').task, scans: [scan] },
      { task: station('transfer').task, scans: [second] },
    ]);
    expect(shipment).toHaveBeenCalledTimes(1);
  });

  it('takes a refusal of the task as the station’s answer, and lets any other failure through', async () => {
    const closed = vi.fn<StationScanHandler>(async () => {
      throw new DomainError('conflict', 'carton 1 is closed: open a new one to pack into');
    });
    const handlers = new StationScanHandlers().register('shipment', closed);
    expect(await dispatchStationScans(call, handlers, [run('shipment')])).toEqual([
      [
        {
          result: 'no_task',
          message: 'carton 1 is closed: open a new one to pack into',
          station: 'PACK-1',
          shipment: 'SHP-1',
          item: null,
        },
      ],
    ]);
    const broken = new StationScanHandlers().register('shipment', async () => {
      throw new Error('connection lost');
    });
    await expect(dispatchStationScans(call, broken, [run('shipment')])).rejects.toThrow('connection lost');
  });

  it('refuses a second handler for the same target', () => {
    expect(() => stationScanHandlers().register('shipment', async () => [[ok]])).toThrow(
      'station scans of shipment tasks already have a handler',
    );
  });

  it('answers runs one scan at a time with a one-scan handler, each refusal its own answer', async () => {
    const second: StationScan = { ...scan, eventId: 'e2', data: 'closed' };
    const handler = oneScanAtATime(async (_call, _task, one) => {
      if (one.data === 'closed') throw new DomainError('conflict', 'The transfer is shipped');
      return ok;
    });
    const task = station('transfer').task!;
    expect(
      await handler(call, [
        { task, scans: [scan, second] },
        { task, scans: [scan] },
      ]),
    ).toEqual([
      [
        ok,
        {
          result: 'no_task',
          message: 'The transfer is shipped',
          station: 'PACK-1',
          shipment: 'TRF-1',
          item: null,
        },
      ],
      [ok],
    ]);
  });
});
