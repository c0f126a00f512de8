export { BarcodePool, type BarcodePoolOptions, type BarcodeRequest } from './barcode-pool.js';
export { type LabelLayout, layoutLabel } from './layout.js';
export {
  type LabelFormat,
  parseLabelData,
  renderLabelPdf,
  renderLabelSvg,
  renderLabelZpl,
} from './render.js';
export { type ZplDensity, zplDensities } from './zpl.js';
