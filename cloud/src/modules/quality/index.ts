export { seedDemoQuality } from './defaults.js';
export { qualityRouter } from './quality.router.js';
