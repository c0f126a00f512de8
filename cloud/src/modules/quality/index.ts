export { DEMO_DEFECT_CODES, seedDemoQuality } from './defaults.js';
export { qualityRouter } from './quality.router.js';
