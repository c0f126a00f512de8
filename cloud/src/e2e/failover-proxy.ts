import { connect, createServer, type Socket } from 'node:net';

/**
 * A TCP balancer in front of cloud instances, standing in for nginx in
 * compose/docker-compose.scale.yml (no nginx here): each new connection goes to the first instance, in
 * the order given, that accepts it, as nginx's `proxy_next_upstream error` does; a connection whose
 * instance goes away is closed, so its client reconnects and lands on another.
 */
export async function startFailoverProxy(
  instanceUrls: readonly string[],
): Promise<{ url: string; close(): Promise<void> }> {
  const targets = instanceUrls.map((url) => new URL(url));
  const open = new Set<Socket>();
  const track = (socket: Socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  };

  const server = createServer((client) => {
    track(client);
    client.pause();
    const tryTarget = (index: number) => {
      const target = targets[index];
      if (target === undefined) return void client.destroy();
      const upstream = connect(Number(target.port), target.hostname);
      track(upstream);
      let connected = false;
      // Refused before connecting: that instance is down, the next one is tried.
      upstream.on('error', () => (connected ? client.destroy() : tryTarget(index + 1)));
      upstream.once('connect', () => {
        connected = true;
        client.on('error', () => upstream.destroy());
        upstream.once('close', () => client.destroy());
        client.once('close', () => upstream.destroy());
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      });
    };
    tryTarget(0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the proxy has no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
