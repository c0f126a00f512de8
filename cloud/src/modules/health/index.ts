export { type HealthReport, healthReport } from './health.js';
