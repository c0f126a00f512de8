import { z } from 'zod';
import { idInput as id, nameInput, patchOf, topicCodeInput } from '../../platform/index.js';
import { permittedProcedure, router } from '../../trpc/procedures.js';
import { customValuesInput, withCustomValues } from '../config/index.js';
import {
  createArea,
  createLine,
  createMachine,
  createStation,
  listAreas,
  listLines,
  listMachines,
  listStations,
  updateArea,
  updateLine,
  updateMachine,
  updateStation,
} from './masterdata.js';

const plantFilter = z.object({ plantId: id.optional() }).default({});

/**
 * A master data change, once committed, tells the tenant's listeners through the bus: the ingest
 * code cache is dropped, live KPI hubs reload. Other modules' master data (production) use it too.
 */
export const manageMasterdata = permittedProcedure('masterdata.manage').use(({ ctx, next }) => {
  ctx.afterCommit(() => ctx.deps.bus.emit('masterdata.changed', { tenantId: ctx.principal.tenantId }));
  return next();
});
const manage = manageMasterdata;
const read = permittedProcedure('masterdata.read');

export const masterdataRouter = router({
  areas: router({
    list: read.input(plantFilter).query(({ ctx, input }) => listAreas(ctx.tx, input)),
    create: manage
      .input(z.object({ plantId: id, code: topicCodeInput, name: nameInput }))
      .mutation(({ ctx, input }) => createArea(ctx.tx, ctx.principal.tenantId, input)),
    update: manage
      .input(z.object({ id, patch: patchOf({ code: topicCodeInput, name: nameInput }) }))
      .mutation(({ ctx, input }) => updateArea(ctx.tx, input.id, input.patch)),
  }),
  lines: router({
    list: read.input(plantFilter).query(({ ctx, input }) => listLines(ctx.tx, input)),
    create: manage
      .input(
        z.object({
          plantId: id,
          areaId: id.nullish(),
          code: topicCodeInput,
          name: nameInput,
          custom: customValuesInput,
        }),
      )
      .mutation(
        withCustomValues({ entityType: 'line', creating: true }, ({ tx, principal }, input) =>
          createLine(tx, principal.tenantId, input),
        ),
      ),
    update: manage
      .input(
        z.object({
          id,
          patch: patchOf({ code: topicCodeInput, name: nameInput, areaId: id.nullable() }),
          custom: customValuesInput,
        }),
      )
      .mutation(
        withCustomValues({ entityType: 'line', creating: false }, ({ tx }, input) =>
          updateLine(tx, input.id, input.patch),
        ),
      ),
  }),
  machines: router({
    list: read
      .input(z.object({ plantId: id.optional(), lineId: id.optional() }).default({}))
      .query(({ ctx, input }) => listMachines(ctx.tx, input)),
    create: manage
      .input(z.object({ lineId: id, code: topicCodeInput, name: nameInput, custom: customValuesInput }))
      .mutation(
        withCustomValues({ entityType: 'machine', creating: true }, ({ tx, principal }, input) =>
          createMachine(tx, principal.tenantId, input),
        ),
      ),
    update: manage
      .input(
        z.object({
          id,
          patch: patchOf({ code: topicCodeInput, name: nameInput, lineId: id }),
          custom: customValuesInput,
        }),
      )
      .mutation(
        withCustomValues({ entityType: 'machine', creating: false }, ({ tx }, input) =>
          updateMachine(tx, input.id, input.patch),
        ),
      ),
  }),
  stations: router({
    list: read.input(plantFilter).query(({ ctx, input }) => listStations(ctx.tx, input)),
    create: manage
      .input(z.object({ plantId: id, lineId: id.nullish(), code: topicCodeInput, name: nameInput }))
      .mutation(({ ctx, input }) => createStation(ctx.tx, ctx.principal.tenantId, input)),
    update: manage
      .input(z.object({ id, patch: patchOf({ code: topicCodeInput, name: nameInput }) }))
      .mutation(({ ctx, input }) => updateStation(ctx.tx, input.id, input.patch)),
  }),
});
