export { backoffDelay } from './cloud/backoff';
export { fetchCloudHealth, fetchWhoami } from './cloud/cloud-api';
export { type EdgeIdentity, edgeIdentitySchema } from './cloud/cloud-contract';
export { CloudLink, type CloudLinkOptions } from './cloud/cloud-link';
export { type CloudStatus, cloudStatusSchema } from './cloud/cloud-status';
export { DeadLetterStore } from './dead-letter/dead-letter-store';
export { DeadbandFilter } from './deadband/deadband';
export { DeadbandSync } from './deadband/deadband-sync';
export { DeviceAuth } from './devices/device-auth';
export { type EdgeReadyMessage, isEdgeReadyMessage } from './edge-ready';
export { type EdgeEnv, EdgeEnvError, edgeEnvKeys, loadEdgeEnv } from './env';
export { EmbeddedBroker } from './ingress/embedded-broker';
export { Ingress, toEnvelope } from './ingress/ingress';
export { readMqttUrl } from './ingress/mqtt-url-file';
export { PlantBrokerClient } from './ingress/plant-broker-client';
export { createLogger } from './logger';
export { Outbox, OutboxFullError } from './outbox/outbox';
export { PrintJobRunner, type PrintJobRunnerOptions, type PrintJobsStatus } from './printing/print-jobs';
export { PrinterClient } from './printing/printer-client';
export { FakePrinter } from './printing/testing/fake-printer';
export { type BackfillOptions, runBackfill } from './simulator/backfill';
export { chunkEvents, type HistoryChunk, historyChunks, historyEnvelope } from './simulator/history';
export {
  demoLayout,
  demoPlantLayout,
  type PlantLayout,
  PlantModel,
  type SimEvent,
  shiftPhaseAt,
} from './simulator/plant-model';
export { Simulator, type SimulatorOptions } from './simulator/simulator';
export { SparkplugIngress } from './sparkplug/sparkplug-ingress';
export { SparkplugSync } from './sparkplug/sparkplug-sync';
export { type EdgeStatus, edgeStatusSchema } from './status/edge-status';
export { listenOnFreePort } from './status/listen';
export { StatusServer, type StatusServerOptions } from './status/status-server';
export { type Unit, UnitGroup } from './unit';
export { Uplink } from './uplink/uplink';
export { EDGE_VERSION } from './version';
