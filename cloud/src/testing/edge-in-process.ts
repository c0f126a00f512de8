import { join } from 'node:path';
import {
  DeadbandFilter,
  DeadbandSync,
  DeadLetterStore,
  DeviceAuth,
  EmbeddedBroker,
  Ingress,
  Outbox,
  SparkplugIngress,
  SparkplugSync,
  UnitGroup,
  Uplink,
} from '@plantline/edge';
import type { Logger } from 'pino';

/*
 * A plant edge inside the test's process, built from the same units as the edge's main.ts: the
 * embedded MQTT broker (anonymous devices allowed), the ingress, the outbox and dead letters on disk
 * in `dataDir`, and the uplink sending to `cloudUrl` with an edge key and publishing the stations'
 * answers on the broker. With `deadbandSyncMs` it also fetches the telemetry deadbands of its key's
 * plants at that interval and applies them at the ingress; with `sparkplugSyncMs` it takes Sparkplug B
 * and fetches its key's Sparkplug rules at that interval. Stop it before the cloud.
 */
export async function startEdgeInProcess(options: {
  cloudUrl: string;
  apiKey: string;
  dataDir: string;
  log: Logger;
  deadbandSyncMs?: number;
  sparkplugSyncMs?: number;
  /** A device login besides anonymous devices (Sparkplug clients must give one). */
  deviceLogin?: { username: string; password: string };
}) {
  const { log, dataDir } = options;
  const outbox = new Outbox({ dir: join(dataDir, 'outbox'), maxBytes: 1 << 30, log });
  const deadLetters = new DeadLetterStore({ dir: dataDir, log });
  const deadband = options.deadbandSyncMs === undefined ? undefined : new DeadbandFilter();
  const deadbandSync =
    deadband &&
    new DeadbandSync({
      cloudUrl: options.cloudUrl,
      apiKey: options.apiKey,
      dataDir,
      filter: deadband,
      log,
      intervalMs: options.deadbandSyncMs,
    });
  const ingress = new Ingress({ outbox, deadLetters, deadband });
  const sparkplug =
    options.sparkplugSyncMs === undefined
      ? undefined
      : new SparkplugIngress({
          ingress,
          deadLetters,
          mapping: undefined,
          publishCommand: (topic, payload) => broker.publishCommand(topic, payload),
          log,
          countersFile: join(dataDir, 'sparkplug-counters.json'),
        });
  const sparkplugSync =
    sparkplug &&
    new SparkplugSync({
      cloudUrl: options.cloudUrl,
      apiKey: options.apiKey,
      dataDir,
      apply: (mapping) => sparkplug.useMapping(mapping),
      log,
      intervalMs: options.sparkplugSyncMs,
    });
  const broker: EmbeddedBroker = new EmbeddedBroker({
    host: '127.0.0.1',
    port: 0,
    auth: new DeviceAuth({ localLogin: options.deviceLogin, allowAnonymous: true }),
    ingress: sparkplug ?? ingress,
    sparkplug: sparkplug !== undefined,
    log,
  });
  const uplink = new Uplink({
    cloudUrl: options.cloudUrl,
    apiKey: options.apiKey,
    outbox,
    deadLetters,
    receivedPerS: () => ingress.stats().receivedPerS,
    log,
    answers: broker,
  });
  const units = new UnitGroup(
    [
      outbox,
      ingress,
      deadLetters,
      uplink,
      ...(deadbandSync ? [deadbandSync] : []),
      ...(sparkplugSync && sparkplug ? [sparkplugSync, sparkplug] : []),
      broker,
    ],
    log,
  );
  await units.start();
  return {
    url: broker.url!,
    uplink,
    ingress,
    deadLetters,
    deadbandSync,
    sparkplug,
    sparkplugSync,
    stop: () => units.stop(),
  };
}
