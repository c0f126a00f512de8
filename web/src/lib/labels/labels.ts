import type { trpc } from '../trpc';
import type { FieldErrors } from '../validation';

/*
 * Labels and printers in the web (docs/labels.md, "Issuing and printing"): the words for a print's
 * status, when the print log is worth asking again, the printer form's checks and the print request,
 * which mirror the cloud's (cloud/src/modules/labels/labels.router.ts).
 */

type Api = (typeof trpc)['logistics'];
export type Label = Awaited<ReturnType<Api['labels']['get']['query']>>;
export type LabelPrint = Awaited<ReturnType<Api['printing']['log']['query']>>['items'][number];
export type Printer = Awaited<ReturnType<Api['printers']['list']['query']>>[number];

export type PrintStatus = LabelPrint['status'];

const STATUS: Record<PrintStatus, { label: string; tone: '' | 'good' | 'bad' }> = {
  queued: { label: 'Queued', tone: '' },
  sent: { label: 'Sent to the printer', tone: '' },
  printed: { label: 'Printed', tone: 'good' },
  failed: { label: 'Failed', tone: 'bad' },
};

export const printStatusLabel = (status: PrintStatus) => STATUS[status].label;
export const printStatusTone = (status: PrintStatus) => STATUS[status].tone;

/** While a print waits for the edge or the printer, its status will change: the log is read again. */
export const PRINT_LOG_POLL_MS = 2000;
export function printsInFlight(prints: readonly Pick<LabelPrint, 'status'>[]): boolean {
  return prints.some((print) => print.status === 'queued' || print.status === 'sent');
}

/** Label printers print at 203, 300 or 600 dpi: 8, 12 or 24 dots per millimetre. */
export const DENSITIES = [
  { value: '8', label: '203 dpi (8 dots/mm)' },
  { value: '12', label: '300 dpi (12 dots/mm)' },
  { value: '24', label: '600 dpi (24 dots/mm)' },
] as const;

export interface PrinterValues {
  plantId: string;
  code: string;
  name: string;
  host: string;
  port: string;
  dotsPerMm: string;
}

export const blankPrinter = (plantId = ''): PrinterValues => ({
  plantId,
  code: '',
  name: '',
  host: '',
  port: '9100',
  dotsPerMm: '8',
});

const CATALOGUE_CODE = /^[A-Za-z0-9][A-Za-z0-9_.\-/]{0,63}$/;
const HOST_NAME =
  /^(?=.*[A-Za-z])[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)$/;
// Loose: hex groups and at least two colons (one would be a port). The server's check decides.
const IPV6 = /^(?=.*:.*:)[0-9A-Fa-f:.]+$/;

export function hostProblem(value: string): string | null {
  const host = value.trim();
  if (host === '') return 'Enter the printer’s host name or address';
  if (host.length > 253 || !(HOST_NAME.test(host) || IPV4.test(host) || IPV6.test(host)))
    return 'A host name or an IP address, without a scheme or port';
  return null;
}

/** The API's rules for a printer (labels.router.ts printerFields), checked as the user types. */
export function validatePrinter(values: PrinterValues): FieldErrors {
  const errors: FieldErrors = {};
  if (values.plantId === '') errors.plantId = 'Choose a plant';
  if (!CATALOGUE_CODE.test(values.code.trim()))
    errors.code = 'Use 1–64 letters, digits and _ . - / (no spaces)';
  const name = values.name.trim();
  if (name === '') errors.name = 'Enter a name';
  else if (name.length > 120) errors.name = 'Use at most 120 characters';
  const host = hostProblem(values.host);
  if (host !== null) errors.host = host;
  const port = Number(values.port);
  if (!/^\d+$/.test(values.port.trim()) || port < 1 || port > 65535) errors.port = 'A port from 1 to 65535';
  return errors;
}

/** The printer as the API takes it. */
export function printerInput(values: PrinterValues) {
  return {
    code: values.code.trim(),
    name: values.name.trim(),
    host: values.host.trim(),
    port: Number(values.port),
    dotsPerMm: Number(values.dotsPerMm) as 8 | 12 | 24,
  };
}

export interface PrintValues {
  printerId: string;
  copies: string;
  reason: string;
}

/** A print request's checks: a printer, 1 to 100 copies, and a reason when the label was printed before. */
export function validatePrint(values: PrintValues, printedBefore: boolean): FieldErrors {
  const errors: FieldErrors = {};
  if (values.printerId === '') errors.printerId = 'Choose a printer';
  const copies = Number(values.copies);
  if (!/^\d+$/.test(values.copies.trim()) || copies < 1) errors.copies = 'At least one copy';
  else if (copies > 100) errors.copies = 'At most 100 copies';
  if (printedBefore && values.reason.trim() === '') errors.reason = 'Say why it is printed again';
  if (values.reason.length > 1000) errors.reason = 'At most 1000 characters';
  return errors;
}

/** Where the label's PDF is served (cloud/src/http/label-pdf.ts). */
export const labelPdfHref = (labelId: string) => `/api/labels/${encodeURIComponent(labelId)}.pdf`;

/** The SVG as an image source: drawn by the browser as an image, so nothing in it can run. */
export const svgImageSource = (svg: string) => `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;

/**
 * The built-in template a package's SSCC label is issued with (docs/labels.md, "Built-in templates"):
 * the GS1 logistic label with content (02) and count (37) when everything in it is one GTIN, the
 * mixed pallet's label — the SSCC alone — when it holds more than one, none while it holds nothing.
 */
export function packageLabelTemplate(
  gtins: readonly (string | null)[],
): 'pallet-4x6' | 'pallet-mixed-4x6' | null {
  if (gtins.length === 0) return null;
  const distinct = new Set(gtins);
  return distinct.size === 1 && !distinct.has(null) ? 'pallet-4x6' : 'pallet-mixed-4x6';
}
