import { randomUUID } from 'node:crypto';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { AppRouter } from '../app-router.js';
import { type ApiClient, signIn, wsClient } from '../testing/api.js';
import { type TestDatabase, testEngines } from '../testing/engines.js';
import { startTestServer, type TestServerOptions } from '../testing/server.js';
import { createTwoTenants } from '../testing/tenants.js';
import { SESSION_COOKIE } from './cookies.js';

type TestServer = Awaited<ReturnType<typeof startTestServer>>;
type Tenants = Awaited<ReturnType<typeof createTwoTenants>>;

interface WsAnswer {
  id: number;
  result?: { type: string; data?: unknown };
  error?: { message: string; data: { code: string } };
}

/*
 * What the server lets one browser page or one connection do: Origin checks on WebSocket upgrades
 * and HTTP calls, bounds on open calls and subscriptions, and queries too large for a URL.
 */
describe.each(testEngines)('origin checks and per-connection limits ($name engine)', (engine) => {
  let database: TestDatabase;
  let tenants: Tenants;
  let server: TestServer;
  let admin: ApiClient & { token: string };
  const servers: TestServer[] = [];
  const sockets: WebSocket[] = [];

  beforeAll(async () => {
    database = await engine.create();
    tenants = await createTwoTenants(database.db);
    server = await start({ allowedOrigins: ['http://localhost:5173'] });
    admin = await signIn(server.url, tenants.a.adminEmail);
  });

  afterAll(async () => {
    for (const socket of sockets) socket.terminate();
    for (const started of servers) await started.close();
    await database?.drop();
  });

  async function start(options: TestServerOptions) {
    const started = await startTestServer(database.db, options);
    servers.push(started);
    return started;
  }

  /** A raw WebSocket to /trpc with the admin's cookie; resolves once open, or with the refusal. */
  function connect(
    to: TestServer,
    headers: Record<string, string> = {},
  ): Promise<{ socket: WebSocket } | { status: number }> {
    const socket = new WebSocket(`${to.url.replace(/^http/, 'ws')}/trpc`, {
      headers: { cookie: `${SESSION_COOKIE}=${admin.token}`, ...headers },
    });
    sockets.push(socket);
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve({ socket }));
      socket.once('unexpected-response', (_, response) => resolve({ status: response.statusCode ?? 0 }));
      socket.once('error', reject);
    });
  }

  async function open(to: TestServer, headers: Record<string, string> = {}): Promise<WebSocket> {
    const connected = await connect(to, headers);
    if (!('socket' in connected)) throw new Error(`upgrade refused with ${connected.status}`);
    return connected.socket;
  }

  /** Sends tRPC messages and collects the first answer to each id. */
  function call(socket: WebSocket, messages: object[]): Promise<WsAnswer[]> {
    const answers = new Map<number, WsAnswer>();
    return new Promise((resolve) => {
      const ids = new Set(messages.map((message) => (message as { id: number }).id));
      const onMessage = (data: WebSocket.RawData) => {
        const answer = JSON.parse(String(data)) as WsAnswer;
        if (!ids.has(answer.id) || answers.has(answer.id)) return;
        answers.set(answer.id, answer);
        if (answers.size === messages.length) {
          socket.off('message', onMessage);
          resolve([...answers.values()]);
        }
      };
      socket.on('message', onMessage);
      for (const message of messages) socket.send(JSON.stringify(message));
    });
  }

  const meQuery = (id: number) => ({ id, method: 'query', params: { path: 'auth.me' } });
  const watch = (id: number) => ({ id, method: 'subscription', params: { path: 'auth.watchSession' } });
  const refusals = (answers: WsAnswer[]) => answers.filter((a) => a.error?.data.code === 'TOO_MANY_REQUESTS');

  describe('Origin', () => {
    it('refuses a WebSocket handshake from another site before the upgrade', async () => {
      expect(await connect(server, { origin: 'http://evil.example' })).toEqual({ status: 403 });
      expect(await connect(server, { origin: 'null' })).toEqual({ status: 403 });
      // The cloud's own host on another scheme or port is another origin.
      const port = new URL(server.url).port;
      expect(await connect(server, { origin: `https://127.0.0.1:${port}` })).toEqual({ status: 403 });
      expect(await connect(server, { origin: 'http://127.0.0.1:1' })).toEqual({ status: 403 });
    });

    it('accepts its own origin, a configured one, and clients that send none', async () => {
      const origins: Record<string, string>[] = [
        { origin: server.url },
        { origin: 'http://localhost:5173' },
        {},
      ];
      for (const headers of origins) {
        const socket = await open(server, headers);
        const [answer] = await call(socket, [meQuery(1)]);
        expect(answer?.result?.type).toBe('data');
        socket.terminate();
      }
    });

    it('takes the own origin from the trusted proxy’s headers only when told to trust it', async () => {
      const proxied = { origin: 'https://plantline.example', 'x-forwarded-proto': 'https' };
      const behindProxy = await start({ trustProxy: true });
      await open(behindProxy, { ...proxied, host: 'plantline.example' });
      await open(behindProxy, { ...proxied, 'x-forwarded-host': 'plantline.example' });
      expect(await connect(server, { ...proxied, host: 'plantline.example' })).toEqual({ status: 403 });
    });

    it('refuses an HTTP call carrying the cookie from another site', async () => {
      const email = `evil-${randomUUID()}@test.plantline.local`;
      const create = (origin: string) =>
        fetch(`${server.url}/trpc/users.create`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            cookie: `${SESSION_COOKIE}=${admin.token}`,
            origin,
          },
          body: JSON.stringify({ email, displayName: 'Evil', password: 'a long enough password' }),
        });
      const refused = await create('http://evil.example');
      expect(refused.status).toBe(403);
      expect(((await refused.json()) as { error: { data: { code: string } } }).error.data.code).toBe(
        'FORBIDDEN',
      );
      const users = await admin.trpc.users.list.query();
      expect(users.map((u) => u.email)).not.toContain(email);
      // The same call from the cloud's own page goes through.
      expect((await create(server.url)).status).toBe(200);
    });
  });

  describe('per-connection limits', () => {
    it('refuses queries past the connection’s limit and keeps /healthz answering', async () => {
      const socket = await open(server);
      const flood = call(
        socket,
        Array.from({ length: 300 }, (_, i) => meQuery(i + 1)),
      );
      const health = await fetch(`${server.url}/healthz`);
      expect(health.status).toBe(200);

      const answers = await flood;
      const refused = refusals(answers);
      expect(refused.length).toBeGreaterThan(0);
      for (const answer of refused) {
        expect(answer.error?.message).toBe(
          'This connection already has 16 calls in progress, the most allowed; wait for one to end',
        );
      }
      const answered = answers.filter((a) => a.result?.type === 'data');
      expect(answered.length).toBeGreaterThanOrEqual(16);
      expect(answered.length + refused.length).toBe(300);
      // Places are given back: the connection serves again once its calls are answered.
      const [after] = await call(socket, [meQuery(1_000)]);
      expect(after?.result?.type).toBe('data');
    });

    it('refuses a user’s calls past the user’s limit over all their connections', async () => {
      const limited = await start({ callLimits: { callsPerConnection: 1_000, callsPerUser: 10 } });
      const sockets = [await open(limited), await open(limited)];
      const answers = (
        await Promise.all(
          sockets.map((socket, s) =>
            call(
              socket,
              Array.from({ length: 100 }, (_, i) => meQuery(s * 1_000 + i)),
            ),
          ),
        )
      ).flat();
      const refused = refusals(answers);
      expect(refused.length).toBeGreaterThan(0);
      expect(refused[0]?.error?.message).toBe(
        'You already have 10 calls in progress, the most allowed; wait for one to end',
      );
    });

    it('refuses subscriptions past the connection’s limit until one stops', async () => {
      const limited = await start({ callLimits: { subscriptionsPerConnection: 3 } });
      const socket = await open(limited);
      const answers = await call(socket, [1, 2, 3, 4, 5].map(watch));
      const started = answers.filter((a) => a.result?.type === 'started').map((a) => a.id);
      expect(started).toHaveLength(3);
      expect(refusals(answers).map((a) => a.error?.message)).toEqual([
        'This connection already has 3 open subscriptions, the most allowed; wait for one to end',
        'This connection already has 3 open subscriptions, the most allowed; wait for one to end',
      ]);

      // The subscription's first heartbeat may still be on its way: wait for the stop's own answer.
      const stopped = new Promise<WsAnswer>((resolve) => {
        const onMessage = (data: WebSocket.RawData) => {
          const answer = JSON.parse(String(data)) as WsAnswer;
          if (answer.id !== started[0] || answer.result?.type !== 'stopped') return;
          socket.off('message', onMessage);
          resolve(answer);
        };
        socket.on('message', onMessage);
      });
      socket.send(JSON.stringify({ id: started[0], method: 'subscription.stop' }));
      expect((await stopped).result?.type).toBe('stopped');
      const [again] = await call(socket, [watch(6)]);
      expect(again?.result?.type).toBe('started');
    });

    it('gives a user’s subscriptions back when their connection closes', async () => {
      const limited = await start({ callLimits: { subscriptionsPerUser: 2 } });
      const first = await open(limited);
      const second = await open(limited);
      await call(first, [watch(1), watch(2)]);
      const [refused] = await call(second, [watch(3)]);
      expect(refused?.error?.message).toBe(
        'You already have 2 open subscriptions, the most allowed; wait for one to end',
      );

      const closed = new Promise((resolve) => first.once('close', resolve));
      first.close();
      await closed;
      // The server learns of the close on its side a moment later: ask until it has.
      let id = 10;
      await expect.poll(async () => (await call(second, [watch(id++)]))[0]?.result?.type).toBe('started');
    });

    it('counts subscriptions over HTTP (server-sent events) toward the user’s limit', async () => {
      const limited = await start({ callLimits: { subscriptionsPerUser: 1 } });
      const overSse = async () => {
        const aborted = new AbortController();
        const response = await fetch(`${limited.url}/trpc/auth.watchSession`, {
          headers: { cookie: `${SESSION_COOKIE}=${admin.token}` },
          signal: aborted.signal,
        });
        // The stream opens with a `connected` event; what follows is the first value or the refusal.
        const reader = response.body!.getReader();
        const decoder = new TextDecoder();
        let text = '';
        while (!/expiresAt|error/.test(text)) {
          const { value, done } = await reader.read();
          if (done) break;
          text += decoder.decode(value, { stream: true });
        }
        aborted.abort();
        return text;
      };
      const socket = await open(limited);
      const [started] = await call(socket, [watch(1)]);
      expect(started?.result?.type).toBe('started');
      expect(await overSse()).toContain('You already have 1 open subscriptions, the most allowed');

      const closed = new Promise((resolve) => socket.once('close', resolve));
      socket.close();
      await closed;
      await expect.poll(overSse).toContain('expiresAt');
    });

    it('leaves HTTP calls and a WebSocket client within the limits alone', async () => {
      const ws = wsClient(server.url, { token: admin.token });
      try {
        const answers = await Promise.all(Array.from({ length: 16 }, () => ws.trpc.auth.me.query()));
        expect(answers).toHaveLength(16);
      } finally {
        ws.close();
      }
      const overHttp = await Promise.all(Array.from({ length: 40 }, () => admin.trpc.auth.me.query()));
      expect(overHttp).toHaveLength(40);
    });
  });

  describe('large queries', () => {
    it('answers a query with 1 000 ids sent as POST, which no URL could carry', async () => {
      const machineIds = Array.from({ length: 1_000 }, () => randomUUID());
      const input = JSON.stringify({ machineIds });
      const asGet = await fetch(`${server.url}/trpc/events.recent?input=${encodeURIComponent(input)}`, {
        headers: { cookie: `${SESSION_COOKIE}=${admin.token}` },
      });
      expect(asGet.status).toBe(431);

      const asPost = await fetch(`${server.url}/trpc/events.recent`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: `${SESSION_COOKIE}=${admin.token}` },
        body: input,
      });
      expect(asPost.status).toBe(200);
      const body = (await asPost.json()) as { result: { data: { items: unknown[] } } };
      expect(body.result.data.items).toEqual([]);

      // The web client's link (web/src/lib/trpc.ts), batching too.
      const web = createTRPCClient<AppRouter>({
        links: [
          httpBatchLink({
            url: `${server.url}/trpc`,
            methodOverride: 'POST',
            maxItems: 20,
            headers: { cookie: `${SESSION_COOKIE}=${admin.token}` },
          }),
        ],
      });
      const [recent, me] = await Promise.all([
        web.events.recent.query({ machineIds, lineIds: machineIds }),
        web.auth.me.query(),
      ]);
      expect(recent.items).toEqual([]);
      expect(me.user.id).toBe(tenants.a.adminUserId);
    });
  });
});
