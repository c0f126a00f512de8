import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { connectAsync } from 'mqtt';
import { closedPort } from './ports';
import { tempDir } from './temp-dir';
import { waitFor } from './wait-for';

const MOSQUITTO = '/usr/sbin/mosquitto';

/**
 * A Mosquitto of the test's own on a free port, for what the shared one on 1883 must not see: sessions a
 * test kills its client on, queues it fills. Queued messages per client are unbounded here (the default
 * of 1000 drops the rest), as docs/device-integration.md asks of a plant broker serving the edge.
 */
export async function startPrivateMosquitto(): Promise<{ url: string; stop: () => Promise<void> }> {
  const temp = await tempDir('mosquitto');
  const port = await closedPort();
  const config = join(temp.dir, 'mosquitto.conf');
  await writeFile(
    config,
    [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous true',
      'persistence false',
      'max_queued_messages 0',
      'log_dest none',
      '',
    ].join('\n'),
  );
  const child = spawn(MOSQUITTO, ['-c', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const url = `mqtt://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    await temp.remove();
  };
  try {
    await waitFor(async () => {
      if (child.exitCode !== null) throw new Error(`mosquitto exited: ${stderr}`);
      const probe = await connectAsync(url, { reconnectPeriod: 0, connectTimeout: 500 }).catch(
        () => undefined,
      );
      await probe?.endAsync(true);
      return probe ? true : undefined;
    }, 10_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, stop };
}
