import { join } from 'node:path';
import type { Logger } from 'pino';
import { DeadLetterStore } from '../dead-letter/dead-letter-store';
import { EmbeddedBroker } from '../ingress/embedded-broker';
import { Ingress } from '../ingress/ingress';
import { Outbox } from '../outbox/outbox';
import { UnitGroup } from '../unit';
import { tempDir } from './temp-dir';

/**
 * The edge's ingress as main.ts builds it — embedded broker → ingress → outbox and dead letters on a
 * real disk — in a temporary folder. `onCleanup` receives what the test must undo, in order.
 */
export async function startIngressOnDisk(options: {
  log: Logger;
  onCleanup: (cleanup: () => Promise<void>) => void;
  auth?: { username: string; password: string } | undefined;
  port?: number;
}) {
  const { log } = options;
  const temp = await tempDir('ingress');
  options.onCleanup(temp.remove);
  const outboxDir = join(temp.dir, 'outbox');
  const outbox = new Outbox({ dir: outboxDir, maxBytes: 1 << 30, log });
  const deadLetters = new DeadLetterStore({ dir: temp.dir, log });
  const ingress = new Ingress({ outbox, deadLetters });
  const broker = new EmbeddedBroker({
    host: '127.0.0.1',
    port: options.port ?? 0,
    username: options.auth?.username,
    password: options.auth?.password,
    ingress,
    log,
  });
  const units = new UnitGroup([outbox, deadLetters, broker], log);
  await units.start();
  options.onCleanup(() => units.stop());
  return { broker, outbox, outboxDir, dataDir: temp.dir, ingress, url: broker.url! };
}
