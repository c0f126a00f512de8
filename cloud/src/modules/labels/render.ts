import { type LabelData, type LabelTemplate, labelDataSchema } from '@plantline/schema/labels';
import { DomainError } from '../../platform/index.js';
import type { BarcodePool } from './barcode-pool.js';
import { layoutLabel } from './layout.js';
import { labelPdf } from './pdf.js';
import { labelSvg } from './svg.js';
import { drawSymbols } from './symbols.js';
import { labelZpl, type ZplDensity, zplDensities } from './zpl.js';

/*
 * The module's entry: a template and a label's data in, a printable label out, as SVG for the
 * screen, PDF for office printers and archives, ZPL for Zebra printers (docs/labels.md).
 */

/** The label's data checked against its contract; the first problem per field becomes a field error. */
export function parseLabelData(input: unknown): LabelData {
  const parsed = labelDataSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const fieldErrors: Record<string, string> = {};
  for (const issue of parsed.error.issues) fieldErrors[issue.path.join('.')] ??= issue.message;
  const listed = Object.entries(fieldErrors).map(([field, message]) => `${field || 'data'}: ${message}`);
  throw new DomainError('invalid', `The label data is not valid: ${listed.join('; ')}.`, fieldErrors);
}

export type LabelFormat = 'svg' | 'pdf' | 'zpl';

export async function renderLabelSvg(
  pool: BarcodePool,
  template: LabelTemplate,
  data: LabelData,
): Promise<string> {
  const layout = layoutLabel(template, data);
  return labelSvg(layout, await drawSymbols(pool, layout));
}

export async function renderLabelPdf(
  pool: BarcodePool,
  template: LabelTemplate,
  data: LabelData,
  options: { compress?: boolean } = {},
): Promise<Buffer> {
  const layout = layoutLabel(template, data);
  return labelPdf(layout, await drawSymbols(pool, layout), { ...options, title: template.name });
}

/**
 * ZPL at the printer's density. The pool draws the 2D symbols too, only to learn how many modules
 * they have, so their module size in dots fits their square; the printer draws them itself.
 * `copies` above one has the printer print the format that many times (`^PQ`).
 */
export async function renderLabelZpl(
  pool: BarcodePool,
  template: LabelTemplate,
  data: LabelData,
  density: ZplDensity,
  options: { copies?: number } = {},
): Promise<string> {
  const layout = layoutLabel(template, data, { dotMm: 1 / zplDensities[density] });
  return labelZpl(layout, await drawSymbols(pool, layout), density, options);
}
