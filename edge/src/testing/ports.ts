import { createServer } from 'node:net';

/** Holds a port so the code under test has to move on. */
export async function occupyPort(
  host = '127.0.0.1',
): Promise<{ port: number; release: () => Promise<void> }> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    release: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A port nothing listens on (freed right away; another process grabbing it in between is unlikely). */
export async function closedPort(): Promise<number> {
  const held = await occupyPort();
  await held.release();
  return held.port;
}

export async function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  try {
    const held = await new Promise<{ release: () => Promise<void> }>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(port, host, () =>
        resolve({ release: () => new Promise((done) => server.close(() => done())) }),
      );
    });
    await held.release();
    return true;
  } catch {
    return false;
  }
}
