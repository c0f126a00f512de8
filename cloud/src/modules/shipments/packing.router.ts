import { z } from 'zod';
import { idInput as id } from '../../platform/index.js';
import { permittedProcedure, router } from '../../trpc/procedures.js';
import { closePackage, openPackage } from './packages.js';
import { recordPackingScan } from './packing.js';

/*
 * The packing station (docs/logistics.md, "Packing by scanning"), for holders of logistics.pack: open
 * a pallet or carton with its SSCC, scan into it, close it.
 */
const pack = permittedProcedure('logistics.pack');

/**
 * The longest scan accepted, as `logistics.gs1.parse` bounds it (docs/gs1.md): the largest GS1
 * symbols hold about 3 000 characters, and the rest leaves room for keyboard-wedge separators.
 */
export const SCAN_DATA_MAX_LENGTH = 4096;

export const packingRouter = router({
  /** A pallet, or a carton (optionally on an open pallet of the shipment), with the next SSCC. */
  openPackage: pack
    .input(z.object({ shipmentId: id, kind: z.enum(['pallet', 'carton']), parentId: id.nullish() }))
    .mutation(({ ctx, input }) => openPackage(ctx, input)),
  closePackage: pack
    .input(z.object({ packageId: id }))
    .mutation(({ ctx, input }) => closePackage(ctx, input)),
  /**
   * One scan into an open package: answered with a typed result and a sentence for the operator,
   * recorded whatever the answer, and packed when it is `ok`.
   */
  scan: pack
    .input(
      z.object({
        shipmentId: id,
        packageId: id,
        data: z.string().max(SCAN_DATA_MAX_LENGTH, `Scan data is at most ${SCAN_DATA_MAX_LENGTH} characters`),
        stationId: id.nullish(),
      }),
    )
    .mutation(({ ctx, input }) => recordPackingScan(ctx, { ...input, source: 'browser' })),
});
