export { type PrinterStatus, parseHostStatus } from './host-status';
export {
  PrintJobRunner,
  type PrintJobRunnerOptions,
  type PrintJobsStatus,
  printJobsStatusSchema,
} from './print-jobs';
export type { PrintError, PrintErrorCode, PrintResult } from './print-result';
export { PrinterClient, type PrinterClientOptions, type PrintOptions } from './printer-client';
export type { ConnectionTimeouts, PrinterAddress } from './printer-connection';
