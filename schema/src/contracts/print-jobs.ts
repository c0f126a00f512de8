import { z } from 'zod';

/*
 * Print jobs between the cloud and a plant's edge (docs/labels.md, "Issuing and printing"): the edge
 * claims the jobs of its plants' printers with `logistics.printing.jobs`, sends each job's ZPL to the
 * printer's raw port, and reports what became of it with `logistics.printing.result`. Both sides parse
 * what they receive with these schemas.
 */

/** The longest a `logistics.printing.jobs` call waits for a job before it answers with none. */
export const PRINT_JOBS_MAX_WAIT_MS = 25_000;

/** Jobs one `logistics.printing.jobs` call claims at most; the edge asks again for the rest. */
export const PRINT_JOBS_PER_CLAIM = 10;

export const printJobsInputSchema = z.object({
  /** How long to wait for a job when none is queued; 0 answers at once. */
  waitMs: z.number().int().min(0).max(PRINT_JOBS_MAX_WAIT_MS).default(0),
});

export const printJobSchema = z.object({
  printId: z.uuid(),
  labelId: z.uuid(),
  printer: z.object({
    id: z.uuid(),
    code: z.string(),
    /** As the edge reaches it on the plant network. */
    host: z.string(),
    port: z.number().int().min(1).max(65535),
  }),
  copies: z.number().int().min(1).max(100),
  /** One label format at the printer's density, `^PQ` set to the copies. */
  zpl: z.string(),
});
export type PrintJob = z.infer<typeof printJobSchema>;

export const printJobsSchema = z.object({ jobs: z.array(printJobSchema) });

/** A Zebra printer's answer to `~HS`, as the edge reads it (edge/src/printing/host-status.ts). */
export const printerStatusSchema = z.object({
  paperOut: z.boolean(),
  paused: z.boolean(),
  headOpen: z.boolean(),
  ribbonOut: z.boolean(),
  bufferFull: z.boolean(),
  corruptRam: z.boolean(),
  underTemperature: z.boolean(),
  overTemperature: z.boolean(),
  labelWaiting: z.boolean(),
  formatsInBuffer: z.number().int().min(0).max(999),
  labelsRemaining: z.number().int().min(0).max(99_999_999),
  /** What keeps the printer from printing, in words for an operator. */
  problems: z.array(z.string().max(200)).max(20),
});
export type PrinterStatusReport = z.infer<typeof printerStatusSchema>;

/** Why the edge's printer client did not print a job (docs/labels.md, "The edge's printer client"). */
export const printErrorCodes = [
  'refused',
  'unreachable',
  'busy',
  'timeout',
  'closed',
  'not_ready',
  'bad_status',
  'queue_full',
  'stopped',
] as const;

export const printResultSchema = z
  .object({
    printId: z.uuid(),
    ok: z.boolean(),
    /** The printer's status when the edge asked for it; null when it did not or got no answer. */
    status: printerStatusSchema.nullable(),
    error: z
      .object({
        code: z.enum(printErrorCodes),
        message: z.string().max(1000),
      })
      .nullable(),
  })
  .refine((result) => result.ok === (result.error === null), {
    message: 'A print that failed says why; one that printed has no error',
    path: ['error'],
  });
export type PrintResultReport = z.infer<typeof printResultSchema>;

export const printResultAnswerSchema = z.object({
  printId: z.uuid(),
  status: z.enum(['printed', 'failed']),
});
