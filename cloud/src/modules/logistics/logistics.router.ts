import { permittedProcedure, router } from '../../trpc/procedures.js';
import { carriersRouter, customersRouter, requestsRouter } from '../customers/index.js';
import { labelsRouter, printersRouter, printingRouter } from '../labels/index.js';
import { packingRouter, shipmentsRouter, stationTasksRouter } from '../shipments/index.js';
import { transfersRouter } from '../transfers/index.js';
import { gs1ParseInput, parseScanData } from './gs1.js';

export const logisticsRouter = router({
  gs1: router({
    /** What a scan holds and whether it is valid GS1 data (docs/gs1.md). Reads nothing stored. */
    parse: permittedProcedure('logistics.read')
      .input(gs1ParseInput)
      .query(({ input }) => parseScanData(input, new Date())),
  }),
  labels: labelsRouter,
  printers: printersRouter,
  printing: printingRouter,
  shipments: shipmentsRouter,
  packing: packingRouter,
  transfers: transfersRouter,
  stations: stationTasksRouter,
  customers: customersRouter,
  carriers: carriersRouter,
  requests: requestsRouter,
});
