import type { StationAnswer } from '@plantline/schema';
import { describe, expect, it, vi } from 'vitest';
import type { Sql } from '../../db/index.js';
import { DomainError, EventBus, type Principal } from '../../platform/index.js';
import type { ShipmentCall } from './shipments.js';
import {
  dispatchStationScan,
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

describe('dispatching a scan at a station', () => {
  it('answers no_task at a station without a task, asking no handler', async () => {
    const handler = vi.fn<StationScanHandler>();
    const handlers = new StationScanHandlers().register('shipment', handler);
    expect(await dispatchStationScan(call, handlers, station(null), scan)).toEqual({
      result: 'no_task',
      message: 'Station PACK-1 has no open task',
      station: 'PACK-1',
      shipment: null,
      item: null,
    });
    expect(handler).not.toHaveBeenCalled();
  });

  it('says honestly that transfers are not scanned here while no handler is registered', async () => {
    expect(await dispatchStationScan(call, stationScanHandlers(), station('transfer'), scan)).toEqual({
      result: 'not_in_shipment',
      message: TRANSFERS_NOT_AVAILABLE,
      station: 'PACK-1',
      shipment: 'TRF-1',
      item: null,
    });
  });

  it('routes a transfer task to the handler another module registered, with the task and the scan', async () => {
    const transfer = vi.fn<StationScanHandler>(async () => ok);
    const handlers = stationScanHandlers().register('transfer', transfer);
    expect(await dispatchStationScan(call, handlers, station('transfer'), scan)).toBe(ok);
    expect(transfer).toHaveBeenCalledWith(call, station('transfer').task, scan);
  });

  it('takes a refusal of the task as the station’s answer, and lets any other failure through', async () => {
    const closed = vi.fn<StationScanHandler>(async () => {
      throw new DomainError('conflict', 'carton 1 is closed: open a new one to pack into');
    });
    const handlers = new StationScanHandlers().register('shipment', closed);
    expect(await dispatchStationScan(call, handlers, station('shipment'), scan)).toEqual({
      result: 'no_task',
      message: 'carton 1 is closed: open a new one to pack into',
      station: 'PACK-1',
      shipment: 'SHP-1',
      item: null,
    });
    const broken = new StationScanHandlers().register('shipment', async () => {
      throw new Error('connection lost');
    });
    await expect(dispatchStationScan(call, broken, station('shipment'), scan)).rejects.toThrow(
      'connection lost',
    );
  });

  it('refuses a second handler for the same target', () => {
    expect(() => stationScanHandlers().register('shipment', async () => ok)).toThrow(
      'station scans of shipment tasks already have a handler',
    );
  });
});
