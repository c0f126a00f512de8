import { tables } from '@plantline/schema';
import { z } from 'zod';
import { idInput as id } from '../../platform/index.js';
import { permittedProcedure, router } from '../../trpc/procedures.js';
import { assignStationTask, clearStationTask, listStationTasks } from './station-tasks.js';

/*
 * Plant stations and their tasks (docs/logistics.md, "Scanning at a station"), for holders of
 * logistics.pack: who packs what where, so a plant scanner's scans drive the packing.
 */
const pack = permittedProcedure('logistics.pack');

const version = z.number().int().min(1);

export const stationTasksRouter = router({
  /** The stations the caller reaches (or one plant's), each with its task or none. */
  list: pack
    .input(z.object({ plantId: id.optional() }).default({}))
    .query(({ ctx, input }) => listStationTasks(ctx.tx, input)),
  /**
   * "Station X packs SHP-… into pallet P" (or a transfer's package, or receives a transfer),
   * replacing the station's task; `expectedVersion` is the task's version as listed, null for none.
   */
  assign: pack
    .input(
      z.object({
        stationId: id,
        mode: z.enum(tables.stationTaskModes, { error: 'Choose pack or receive' }),
        shipmentId: id.nullish(),
        transferOrderId: id.nullish(),
        packageId: id.nullish(),
        expectedVersion: version.nullable(),
      }),
    )
    .mutation(({ ctx, input }) => assignStationTask(ctx, input)),
  clear: pack
    .input(z.object({ stationId: id, expectedVersion: version }))
    .mutation(({ ctx, input }) => clearStationTask(ctx, input)),
});
