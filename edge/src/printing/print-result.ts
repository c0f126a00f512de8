import type { printErrorCodes } from '@plantline/schema';
import type { PrinterStatus } from './host-status';

/**
 * Why a job did not print. `refused`, `unreachable` and `busy` are retried with backoff (the printer
 * received nothing); the others are final for the job:
 * - `timeout`: no connection, no status answer or no end of the transfer in time;
 * - `closed`: the printer dropped the connection while the job was being sent (it may hold part of it);
 * - `not_ready`: the status asked before sending names a problem (paper out, head open, paused, …);
 * - `bad_status`: the answer to `~HS` was not one;
 * - `queue_full`: too many jobs already wait for this printer;
 * - `stopped`: the client was stopped before the job went out.
 */
export type PrintErrorCode = (typeof printErrorCodes)[number];

export interface PrintError {
  code: PrintErrorCode;
  message: string;
  /** Connection attempts made, retries included (0 when the job never left the queue). */
  attempts: number;
}

/** What a print or status call returns; it never throws for a printer's trouble. */
export type PrintResult =
  | { ok: true; status: PrinterStatus | null; error: null }
  | { ok: false; status: PrinterStatus | null; error: PrintError };

export const retryableCodes: ReadonlySet<PrintErrorCode> = new Set(['refused', 'unreachable', 'busy']);

export function failed(
  code: PrintErrorCode,
  message: string,
  attempts: number,
  status: PrinterStatus | null = null,
): PrintResult {
  return { ok: false, status, error: { code, message, attempts } };
}
