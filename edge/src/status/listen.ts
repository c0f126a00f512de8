import type { AddressInfo, Server } from 'node:net';

/**
 * Never fail because a port is taken: a second edge or a busy port must not stop a start. Tries
 * `port`, then the next ones up to `port + extra`, and resolves with the port actually bound. Only
 * "in use" moves on; anything else (EACCES, bad host) is a configuration error the operator has to
 * see.
 */
export async function listenOnFreePort(
  server: Server,
  host: string,
  port: number,
  extra = 20,
  variable = 'EDGE_STATUS_PORT',
): Promise<number> {
  const last = port === 0 ? 0 : Math.min(port + extra, 65535);
  for (let candidate = port; candidate <= last; candidate++) {
    try {
      await listenOnce(server, host, candidate);
      return (server.address() as AddressInfo).port;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    }
  }
  throw new Error(`ports ${port}–${last} on ${host} are all in use; set ${variable} to a free port`);
}

function listenOnce(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => {
      server.off('listening', onListening);
      reject(err);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/** A URL a client on this machine can open, even when the server listens on every interface. */
export function localUrl(host: string, port: number): string {
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}
