import { join } from 'node:path';
import type { SparkplugMapping } from '@plantline/schema';
import type { Logger } from 'pino';
import { DeadLetterStore } from '../dead-letter/dead-letter-store';
import { DeviceAuth } from '../devices/device-auth';
import { EmbeddedBroker } from '../ingress/embedded-broker';
import { Ingress } from '../ingress/ingress';
import { RESEND_WINDOW } from '../ingress/resend-index';
import { Outbox } from '../outbox/outbox';
import { SparkplugIngress } from '../sparkplug/sparkplug-ingress';
import { UnitGroup } from '../unit';
import { tempDir } from './temp-dir';

/**
 * The edge's ingress as main.ts builds it — embedded broker → ingress → outbox and dead letters on a
 * real disk — in a temporary folder, or in `dataDir` to restart on what an earlier one left. `onCleanup`
 * receives what the test must undo, in order.
 */
export async function startIngressOnDisk(options: {
  log: Logger;
  onCleanup: (cleanup: () => Promise<void>) => void;
  /** Default: anonymous devices allowed, as most ingress tests are not about logins. */
  auth?: DeviceAuth;
  port?: number;
  dataDir?: string;
  /** Set: Sparkplug B in front of the ingress, as main.ts builds it with EDGE_SPARKPLUG_MAPPING. */
  sparkplug?: SparkplugMapping;
  /** With `sparkplug`: publish the edge's STATE as this primary host (EDGE_SPARKPLUG_HOST_ID). */
  sparkplugHostId?: string;
}) {
  const { log } = options;
  let dataDir = options.dataDir;
  if (dataDir === undefined) {
    const temp = await tempDir('ingress');
    options.onCleanup(temp.remove);
    dataDir = temp.dir;
  }
  const outboxDir = join(dataDir, 'outbox');
  const outbox = new Outbox({
    dir: outboxDir,
    maxBytes: 1 << 30,
    recoverOrigins: { maxRecords: RESEND_WINDOW.maxEntries, maxAgeMs: RESEND_WINDOW.maxAgeMs },
    log,
  });
  const deadLetters = new DeadLetterStore({ dir: dataDir, log });
  const ingress = new Ingress({ outbox, deadLetters });
  const sparkplug = options.sparkplug
    ? new SparkplugIngress({
        ingress,
        deadLetters,
        mapping: options.sparkplug,
        publishCommand: (topic, payload): Promise<void> => broker.publishCommand(topic, payload),
        log,
      })
    : undefined;
  const broker: EmbeddedBroker = new EmbeddedBroker({
    host: '127.0.0.1',
    port: options.port ?? 0,
    auth: options.auth ?? new DeviceAuth({ localLogin: undefined, allowAnonymous: true }),
    ingress: sparkplug ?? ingress,
    sparkplug: sparkplug !== undefined,
    sparkplugHostId: options.sparkplugHostId,
    log,
  });
  const units = new UnitGroup([outbox, ingress, deadLetters, ...(sparkplug ? [sparkplug] : []), broker], log);
  await units.start();
  options.onCleanup(() => units.stop());
  return {
    broker,
    outbox,
    outboxDir,
    dataDir,
    ingress,
    sparkplug,
    url: broker.url!,
    stop: () => units.stop(),
  };
}
