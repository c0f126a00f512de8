import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { CloudLink } from './cloud/cloud-link';
import { DeadLetterStore } from './dead-letter/dead-letter-store';
import { DeadbandFilter } from './deadband/deadband';
import { DeadbandSync } from './deadband/deadband-sync';
import { CredentialSync } from './devices/credential-sync';
import { DeviceAuth } from './devices/device-auth';
import type { EdgeReadyMessage } from './edge-ready';
import { type EdgeEnv, EdgeEnvError, loadEdgeEnv } from './env';
import { EmbeddedBroker } from './ingress/embedded-broker';
import { Ingress } from './ingress/ingress';
import { MqttUrlFile } from './ingress/mqtt-url-file';
import { PlantBrokerClient } from './ingress/plant-broker-client';
import { RESEND_WINDOW } from './ingress/resend-index';
import { createLogger, type Logger } from './logger';
import { Outbox } from './outbox/outbox';
import type { OutboxStatus } from './outbox/outbox-status';
import { PrintJobRunner } from './printing/print-jobs';
import { PrinterClient } from './printing/printer-client';
import { SPARKPLUG_COUNTERS_FILE } from './sparkplug/counter-baselines';
import { SparkplugIngress } from './sparkplug/sparkplug-ingress';
import { SparkplugSync } from './sparkplug/sparkplug-sync';
import type { EdgeStatus } from './status/edge-status';
import { StatusAuth, statusCredentials } from './status/status-auth';
import { StatusServer } from './status/status-server';
import { StatusUrlFile } from './status/status-url-file';
import { UnitGroup } from './unit';
import { Uplink } from './uplink/uplink';
import { EDGE_VERSION } from './version';

function buildEdge(env: EdgeEnv, log: Logger) {
  const startedAt = new Date();
  const cloudLink = new CloudLink({
    cloudUrl: env.cloudUrl,
    apiKey: env.apiKey,
    log: log.child({ unit: 'cloud' }),
    // Bound late: the uplink is built below, and the link only calls this once it runs.
    onBackOnline: () => uplink.retryNow(),
  });
  const outbox = new Outbox({
    dir: join(env.dataDir, 'outbox'),
    maxBytes: env.outboxMaxBytes,
    recoverOrigins: { maxRecords: RESEND_WINDOW.maxEntries, maxAgeMs: RESEND_WINDOW.maxAgeMs },
    log: log.child({ unit: 'outbox' }),
  });
  const deadLetters = new DeadLetterStore({ dir: env.dataDir, log: log.child({ unit: 'dead-letters' }) });
  const deadband = new DeadbandFilter();
  const deadbandSync = new DeadbandSync({
    cloudUrl: env.cloudUrl,
    apiKey: env.apiKey,
    dataDir: env.dataDir,
    filter: deadband,
    log: log.child({ unit: 'telemetry-deadbands' }),
  });
  const ingress = new Ingress({ outbox, deadLetters, deadband });
  // Sparkplug B sits in front of the ingress and hands it the Plantline messages it makes. Its rules
  // come from the file when one is named, else from the cloud (kept on disk between fetches).
  const sparkplug = new SparkplugIngress({
    ingress,
    deadLetters,
    mapping: env.sparkplugMapping,
    // Bound late: the broker is built below, and a rebirth is requested only once it runs.
    publishCommand: (topic, payload): Promise<void> => broker.publishCommand(topic, payload),
    log: log.child({ unit: 'sparkplug' }),
    countersFile: join(env.dataDir, SPARKPLUG_COUNTERS_FILE),
  });
  const sparkplugSync = env.sparkplugMapping
    ? undefined
    : new SparkplugSync({
        cloudUrl: env.cloudUrl,
        apiKey: env.apiKey,
        dataDir: env.dataDir,
        apply: (mapping) => sparkplug.useMapping(mapping),
        log: log.child({ unit: 'sparkplug-rules' }),
      });
  const deviceAuth = new DeviceAuth({
    localLogin:
      env.mqttUsername !== undefined && env.mqttPassword !== undefined
        ? { username: env.mqttUsername, password: env.mqttPassword }
        : undefined,
    allowAnonymous: env.mqttAllowAnonymous,
  });
  // Device logins matter only to the embedded broker; a plant broker does its own authentication.
  const credentialSync = env.brokerUrl
    ? undefined
    : new CredentialSync({
        cloudUrl: env.cloudUrl,
        apiKey: env.apiKey,
        dataDir: env.dataDir,
        auth: deviceAuth,
        log: log.child({ unit: 'device-credentials' }),
      });
  const broker: EmbeddedBroker | PlantBrokerClient = env.brokerUrl
    ? new PlantBrokerClient({
        url: env.brokerUrl,
        clientId: env.brokerClientId,
        username: env.mqttUsername,
        password: env.mqttPassword,
        ingress: sparkplug,
        sparkplug: true,
        sparkplugHostId: env.sparkplugHostId,
        log: log.child({ unit: 'broker' }),
      })
    : new EmbeddedBroker({
        host: env.mqttHost,
        port: env.mqttPort,
        auth: deviceAuth,
        ingress: sparkplug,
        sparkplug: true,
        sparkplugHostId: env.sparkplugHostId,
        log: log.child({ unit: 'broker' }),
      });
  const uplink = new Uplink({
    cloudUrl: env.cloudUrl,
    apiKey: env.apiKey,
    outbox,
    deadLetters,
    receivedPerS: () => ingress.stats().receivedPerS,
    log: log.child({ unit: 'uplink' }),
    answers: broker,
  });
  // Labels printed for the cloud need a key that names the plants whose printers this edge reaches.
  const printerClient = env.apiKey ? new PrinterClient({ log: log.child({ unit: 'printers' }) }) : undefined;
  const printJobs =
    env.apiKey && printerClient
      ? new PrintJobRunner({
          cloudUrl: env.cloudUrl,
          apiKey: env.apiKey,
          printers: printerClient,
          log: log.child({ unit: 'print-jobs' }),
        })
      : undefined;
  const statusServer = new StatusServer({
    host: env.statusHost,
    port: env.statusPort,
    log: log.child({ unit: 'status' }),
    auth: new StatusAuth(statusCredentials(env)),
    getDeadLetters: () => deadLetters.recent(),
    getStatus: (): EdgeStatus => ({
      name: env.name,
      version: EDGE_VERSION,
      startedAt: startedAt.toISOString(),
      uptimeS: Math.floor((Date.now() - startedAt.getTime()) / 1000),
      dataDir: env.dataDir,
      cloud: cloudLink.status(),
      broker: broker.status(),
      ...(credentialSync ? { deviceCredentials: credentialSync.status() } : {}),
      outbox: outboxStatus(outbox),
      rates: { receivedPerS: ingress.stats().receivedPerS, sentPerS: uplink.status().sentPerS },
      ingress: ingress.stats(),
      deadband: deadbandSync.status(),
      sparkplug: {
        ...sparkplug.status(),
        mapping: sparkplugSync?.status() ?? { source: 'file', syncedAt: null, lastError: null },
      },
      deadLetters: deadLetters.stats(),
      uplink: uplink.status(),
      ...(printJobs ? { printJobs: printJobs.status() } : {}),
    }),
  });
  const statusUrlFile = new StatusUrlFile({
    dataDir: env.dataDir,
    getStatusUrl: () => statusServer.statusUrl,
  });
  const mqttUrlFile = new MqttUrlFile({ dataDir: env.dataDir, getMqttUrl: () => broker.status().url });
  // Order matters: the stores open before anything writes to them, the ingress reloads its resend index
  // from the outbox, devices are let in only then, and stop runs in reverse, so the broker stops taking
  // messages before the outbox closes. Device logins and telemetry deadbands are read from disk before
  // devices are let in.
  // The Sparkplug mapping is read (from its file, or the cloud's copy on disk) before devices are let in.
  // Print jobs stop before the printer client, so a job at a printer finishes and is reported.
  // The status server reads the others; the URL file advertises a server that is up.
  const units = new UnitGroup(
    [
      outbox,
      ingress,
      deadLetters,
      cloudLink,
      uplink,
      ...(credentialSync ? [credentialSync] : []),
      deadbandSync,
      ...(sparkplugSync ? [sparkplugSync] : []),
      sparkplug,
      broker,
      ...(printerClient && printJobs ? [printerClient, printJobs] : []),
      mqttUrlFile,
      statusServer,
      statusUrlFile,
    ],
    log,
  );
  return { units, statusServer, broker };
}

function outboxStatus(outbox: Outbox): OutboxStatus {
  const stats = outbox.stats();
  const oldest = stats.oldestAppendedAt === null ? null : Date.parse(stats.oldestAppendedAt);
  return { ...stats, oldestAgeS: oldest === null ? null : Math.max(0, (Date.now() - oldest) / 1000) };
}

/** First signal: orderly stop, exit 0. Second: the operator insists, exit 1 right away. */
function installShutdown(units: UnitGroup, log: Logger): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      log.warn({ signal }, 'second signal, exiting without finishing the stop');
      process.exit(1);
    }
    stopping = true;
    log.info({ signal }, 'stopping');
    void units.stop().then(() => {
      log.info('edge stopped');
      process.exit(0);
    });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // Started by a launcher (pnpm start): when the launcher dies, stop rather than run orphaned.
  process.on('disconnect', () => onSignal('SIGTERM'));
  // An unattended gateway is better restarted by its supervisor than left half-working.
  process.on('uncaughtException', (err) => {
    log.fatal({ err }, 'uncaught exception');
    process.exit(1);
  });
  process.on('unhandledRejection', (reason) => {
    log.fatal({ err: reason }, 'unhandled rejection');
    process.exit(1);
  });
}

async function main(): Promise<void> {
  let env: EdgeEnv;
  try {
    env = loadEdgeEnv();
  } catch (err) {
    if (!(err instanceof EdgeEnvError)) throw err;
    process.stderr.write(`plantline-edge: ${err.message}\n`);
    process.exit(1);
  }
  const log = createLogger(env);
  const { units, statusServer, broker } = buildEdge(env, log);
  installShutdown(units, log);
  try {
    await mkdir(env.dataDir, { recursive: true });
    await units.start();
  } catch (err) {
    log.fatal({ err }, 'edge failed to start');
    process.exit(1);
  }
  if (units.stopping) return;
  log.info(
    {
      version: EDGE_VERSION,
      statusUrl: statusServer.statusUrl,
      mqttUrl: broker.status().url,
      dataDir: env.dataDir,
    },
    'edge started',
  );
  if (process.send) {
    const ready: EdgeReadyMessage = {
      type: 'edge-ready',
      statusUrl: statusServer.statusUrl,
      mqttUrl: broker.status().url,
    };
    process.send(ready, undefined, {}, (err) => {
      if (err) log.warn({ err }, 'could not tell the launcher that the edge is ready');
    });
  }
}

await main();
