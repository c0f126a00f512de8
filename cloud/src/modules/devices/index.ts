export { createDeviceCredential } from './device-credentials.js';
export { deviceCredentialsRouter, edgeDeviceCredentials } from './device-credentials.router.js';
export { edgeSparkplugRules, sparkplugRulesRouter } from './sparkplug-rules.router.js';
export { edgeTelemetryDeadbands, telemetryDeadbandsRouter } from './telemetry-deadbands.router.js';
