export { BarcodePool, type BarcodePoolOptions, type BarcodeRequest } from './barcode-pool.js';
export { labelForRender } from './issue.js';
export { labelsRouter, printersRouter, printingRouter } from './labels.router.js';
export { type LabelLayout, layoutLabel } from './layout.js';
export { scheduleSilentPrints } from './print-jobs.js';
export { createPrinter } from './printers.js';
export {
  type LabelFormat,
  parseLabelData,
  renderLabelPdf,
  renderLabelSvg,
  renderLabelZpl,
} from './render.js';
export { type ZplDensity, zplDensities } from './zpl.js';
