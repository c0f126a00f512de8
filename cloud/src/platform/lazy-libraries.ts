/*
 * Libraries the cloud loads on first use, not at start (docs/architecture.md, "Memory"). Each holds
 * tens of megabytes of code and data — Chromium's driver about 90 MB of resident memory, pdfkit and
 * exceljs about 30 MB each, nodemailer 15 MB — that a cloud which draws no PDF, writes no XLSX, sends
 * no mail and prints no dashboard never needs. Node keeps a module once loaded, so only the first call
 * waits.
 */

export type PdfKit = typeof import('pdfkit');
export type ExcelJs = typeof import('exceljs');

export const loadPdfKit = async (): Promise<PdfKit> => (await import('pdfkit')).default;

export const loadExcelJs = async (): Promise<ExcelJs> => (await import('exceljs')).default;

export const loadNodemailer = async () => (await import('nodemailer')).default;

export const loadChromium = async () => (await import('playwright-core')).chromium;
