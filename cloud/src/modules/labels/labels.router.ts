import { isIP } from 'node:net';
import { printJobsInputSchema, printResultSchema } from '@plantline/schema';
import { labelDataSchema } from '@plantline/schema/labels';
import { z } from 'zod';
import { catalogueCodeInput, idInput as id, nameInput, patchOf } from '../../platform/index.js';
import { permittedProcedure, permittedWaitingProcedure, router } from '../../trpc/procedures.js';
import { findLabel, issueLabel, labelForRender, listLabels } from './issue.js';
import { issueLocationLabels, printLocationLabels } from './location-issue.js';
import { checkEdgeCaller, reportPrintResult } from './print-jobs.js';
import { takePrintJobs } from './print-wait.js';
import { createPrinter, listPrinters, setPrinterActive, updatePrinter } from './printers.js';
import { printLabel, printLog } from './prints.js';
import { renderLabelSvg } from './render.js';
import { tenantTemplates } from './templates.js';

/*
 * Labels, printers and printing under `logistics` (docs/labels.md, "Issuing and printing"):
 * logistics.read sees them, logistics.pack issues and prints labels, logistics.manage keeps the
 * printers; a plant's edge takes print jobs and reports on them with its API key (ingest.write).
 */
const read = permittedProcedure('logistics.read');
const pack = permittedProcedure('logistics.pack');
const manage = permittedProcedure('logistics.manage');
const edge = permittedProcedure('ingest.write');

const templateKey = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'Not a template key');
const copies = z.number().int().min(1, 'At least one copy').max(100, 'At most 100 copies').default(1);
/** Locations of one plant; a rack's worth of bins at a time. */
const locationLabels = {
  locationIds: z.array(id).min(1, 'Choose a location').max(200, 'At most 200 locations at a time'),
  templateKey: templateKey.default('location-4x3'),
};
const page = { limit: z.number().int().min(1).max(200).default(50), cursor: id.optional() };

/** A host name (RFC 1123) or an IP address, as the edge reaches the printer; no scheme, no port. */
const hostInput = z
  .string()
  .trim()
  .min(1, 'Enter the printer’s host name or address')
  .max(253)
  .refine(
    (host) =>
      isIP(host) !== 0 ||
      /^(?=.*[A-Za-z])[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/.test(
        host,
      ),
    'A host name or an IP address, without a scheme or port',
  );

const printerFields = {
  code: catalogueCodeInput,
  name: nameInput,
  host: hostInput,
  port: z.number().int().min(1).max(65535).default(9100),
  dotsPerMm: z.union([z.literal(8), z.literal(12), z.literal(24)]).default(8),
};

export const labelsRouter = router({
  /** Labels newest first, by plant, package, shipment or location. */
  list: read
    .input(
      z
        .object({
          plantId: id.optional(),
          packageId: id.optional(),
          shipmentId: id.optional(),
          locationId: id.optional(),
          ...page,
        })
        .default({ limit: 50 }),
    )
    .query(({ ctx, input }) => listLabels(ctx.tx, input)),
  /** The label with its data and its latest prints. */
  get: read.input(z.object({ id })).query(async ({ ctx, input }) => {
    const label = await findLabel(ctx.tx, input.id);
    return { ...label, prints: (await printLog(ctx.tx, { labelId: label.id, limit: 50 })).items };
  }),
  /** The templates a label may be issued with: the built-in ones and the tenant's own. */
  templates: read.query(({ ctx }) => tenantTemplates(ctx.tx)),
  /** The label as SVG, for the screen; rendered after the label is read, outside any transaction. */
  svg: permittedWaitingProcedure('logistics.read')
    .input(z.object({ id }))
    .query(async ({ ctx, input }) => {
      const { template, label } = await ctx.transact((tx) => labelForRender(tx, input.id));
      return { svg: await renderLabelSvg(ctx.deps.barcodes, template, label.data) };
    }),
  /** A package's label from what packing recorded, or a product or lot label from data given. */
  issue: pack
    .input(
      z.union([
        z.object({ packageId: id, templateKey }),
        z.object({ plantId: id, templateKey, data: labelDataSchema }),
      ]),
    )
    .mutation(({ ctx, input }) => issueLabel(ctx, input)),
  /** Queues a print on a printer of the label's plant; a reprint needs a reason, but for a location label. */
  print: pack
    .input(
      z.object({
        labelId: id,
        printerId: id,
        copies,
        reason: z.string().max(1000).optional(),
      }),
    )
    .mutation(({ ctx, input }) => printLabel(ctx, input)),
  /** Bin and rack labels, one per location, as the locations are now (docs/labels.md, "Location labels"). */
  issueLocations: pack
    .input(z.object(locationLabels))
    .mutation(({ ctx, input }) => issueLocationLabels(ctx, input)),
  /** The locations' labels issued and each queued on a printer of their plant. */
  printLocations: pack
    .input(z.object({ ...locationLabels, printerId: id, copies }))
    .mutation(({ ctx, input }) => printLocationLabels(ctx, input)),
});

export const printersRouter = router({
  list: read
    .input(z.object({ plantId: id.optional(), includeInactive: z.boolean().optional() }).default({}))
    .query(({ ctx, input }) => listPrinters(ctx.tx, input)),
  create: manage
    .input(z.object({ plantId: id, ...printerFields }))
    .mutation(({ ctx, input }) => createPrinter(ctx.tx, ctx.principal.tenantId, input)),
  update: manage
    .input(z.object({ id, patch: patchOf(printerFields) }))
    .mutation(({ ctx, input }) => updatePrinter(ctx.tx, input.id, input.patch)),
  /** Out of use: it leaves the pickers, and its queued jobs fail. */
  deactivate: manage
    .input(z.object({ id }))
    .mutation(({ ctx, input }) => setPrinterActive(ctx.tx, input.id, false)),
  reactivate: manage
    .input(z.object({ id }))
    .mutation(({ ctx, input }) => setPrinterActive(ctx.tx, input.id, true)),
});

export const printingRouter = router({
  /** The print log of a label or a printer (or of every printer the caller reaches), newest first. */
  log: read
    .input(z.object({ labelId: id.optional(), printerId: id.optional(), ...page }).default({ limit: 50 }))
    .query(({ ctx, input }) => printLog(ctx.tx, input)),
  /**
   * The edge's long poll: claims queued jobs of its plants' printers, or waits up to `waitMs` for one.
   * Each claimed job is `sent` and is never handed out again (docs/labels.md).
   */
  jobs: permittedWaitingProcedure('ingest.write')
    .input(printJobsInputSchema)
    .mutation(({ ctx, input, signal }) => takePrintJobs(ctx, input.waitMs, signal)),
  /** What became of a job the edge took: printed, or failed with the printer's status and error. */
  result: edge.input(printResultSchema).mutation(({ ctx, input }) => {
    checkEdgeCaller(ctx.principal);
    return reportPrintResult(ctx.tx, input);
  }),
});
