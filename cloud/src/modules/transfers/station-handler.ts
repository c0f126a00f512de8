import type { StationAnswer } from '@plantline/schema';
import { type OneScanHandler, oneScanAtATime } from '../shipments/index.js';
import { recordTransferScan } from './scans.js';

/*
 * A plant scanner's scan at a station whose task is a transfer (docs/logistics.md, "Scanning at a
 * station"): packed at the sending plant or received at the receiving plant through the same door
 * the station page uses, and answered to the scanner like a shipment's scan. Registered with the
 * station dispatcher in build-app-deps.ts.
 */
const answerTransferScan: OneScanHandler = async (call, task, scan) => {
  const outcome = await recordTransferScan(call, {
    transferOrderId: task.transferOrderId!,
    mode: task.mode,
    packageId: task.packageId,
    data: scan.data,
    stationId: task.stationId,
    source: 'edge',
    scanEventId: scan.eventId,
  });
  const answer: StationAnswer = {
    result: outcome.result,
    message: outcome.message,
    station: task.stationCode,
    shipment: task.number,
    item: null,
  };
  return answer;
};

/** Transfers are packed and received a scan at a time: their stations see tens of scans, not hundreds. */
export const transferStationHandler = oneScanAtATime(answerTransferScan);
