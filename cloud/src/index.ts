export type { AppRouter } from './app-router.js';
export type { HealthReport } from './modules/health/index.js';
