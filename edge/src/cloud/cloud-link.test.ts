import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../logger';
import { serveOnLoopback } from '../testing/local-http-server';
import { closedPort } from '../testing/ports';
import { waitFor } from '../testing/wait-for';
import type { EdgeIdentity } from './cloud-contract';
import { CloudLink } from './cloud-link';

const log = createLogger({ logLevel: 'silent', name: 'test' });
const VALID_KEY = 'plk_valid';
const identity: EdgeIdentity = {
  keyId: 'key-1',
  keyName: 'press shop gateway',
  tenantId: 'tenant-1',
  tenantName: 'Acme Stamping',
  plants: [{ id: 'plant-1', code: 'P1', name: 'Plant One' }],
  permissions: ['ingest:write'],
};

/** A stand-in for the cloud speaking the real wire shapes: /healthz and tRPC's non-batched GET. */
async function startFakeCloud() {
  const state = { healthy: true, hang: false, requests: [] as IncomingMessage[] };
  const { url, close } = await serveOnLoopback((req: IncomingMessage, res: ServerResponse) => {
    state.requests.push(req);
    if (state.hang) return;
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url === '/healthz') {
      if (!state.healthy) {
        const database = { mode: 'embedded', reachable: false, timescaledb: false };
        return reply(503, { status: 'degraded', version: '0.1.0', database });
      }
      return reply(200, {
        status: 'ok',
        version: '0.1.0',
        database: { mode: 'embedded', timescaledb: true },
      });
    }
    if (req.url === '/trpc/edge.whoami') {
      if (req.headers.authorization === `Bearer ${VALID_KEY}`)
        return reply(200, { result: { data: identity } });
      return reply(401, {
        error: {
          message: 'API key has been revoked',
          code: -32001,
          data: { code: 'UNAUTHORIZED', httpStatus: 401, path: 'edge.whoami' },
        },
      });
    }
    reply(404, { error: 'not found' });
  });
  return { url, state, close };
}

// Other code in the worker (vitest, undici) may hold a timer of its own that expires meanwhile, so the
// checks below are "no more than before", not "exactly as before".
const activeTimers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startLink(
  cloudUrl: string,
  apiKey?: string,
  requestTimeoutMs = 3000,
  onBackOnline?: () => void,
) {
  const link = new CloudLink({
    cloudUrl,
    apiKey,
    log,
    intervalMs: 50,
    backoff: { baseMs: 20, capMs: 100 },
    requestTimeoutMs,
    onBackOnline,
  });
  await link.start();
  cleanups.push(() => link.stop());
  return link;
}

describe('CloudLink', () => {
  it('reports a reachable cloud and the identity it confirms for the key', async () => {
    const cloud = await startFakeCloud();
    cleanups.push(cloud.close);
    const link = await startLink(cloud.url, VALID_KEY);
    const status = await waitFor(() => (link.status().identity ? link.status() : undefined));
    expect(status).toMatchObject({
      url: cloud.url,
      reachable: true,
      lastError: null,
      cloudVersion: '0.1.0',
      apiKeyConfigured: true,
      identity,
      authError: null,
    });
    expect(status.lastCheckAt).not.toBeNull();
  });

  it('reports a refused key as an auth error while the cloud stays reachable', async () => {
    const cloud = await startFakeCloud();
    cleanups.push(cloud.close);
    const link = await startLink(cloud.url, 'plk_revoked');
    const status = await waitFor(() => (link.status().authError ? link.status() : undefined));
    expect(status).toMatchObject({
      reachable: true,
      identity: null,
      authError: 'API key rejected: API key has been revoked',
    });
  });

  it('says when the cloud is back after an outage, once, and not at the first contact', async () => {
    const cloud = await startFakeCloud();
    cleanups.push(cloud.close);
    let backOnline = 0;
    const link = await startLink(cloud.url, undefined, 3000, () => backOnline++);
    await waitFor(() => (link.status().reachable ? true : undefined));
    cloud.state.healthy = false;
    await waitFor(() => (link.status().reachable ? undefined : true));
    expect(backOnline).toBe(0);
    cloud.state.healthy = true;
    await waitFor(() => (link.status().reachable ? true : undefined));
    // A few more healthy checks must not repeat the signal.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(backOnline).toBe(1);
  });

  it('does not ask for an identity without a key', async () => {
    const cloud = await startFakeCloud();
    cleanups.push(cloud.close);
    const link = await startLink(cloud.url);
    await waitFor(() => (link.status().reachable ? true : undefined));
    expect(cloud.state.requests.map((req) => req.url)).not.toContain('/trpc/edge.whoami');
    expect(link.status()).toMatchObject({ apiKeyConfigured: false, identity: null, authError: null });
  });

  it('reports an unreachable cloud with the reason', async () => {
    const link = await startLink(`http://127.0.0.1:${await closedPort()}`);
    const status = await waitFor(() => (link.status().lastCheckAt ? link.status() : undefined));
    expect(status.reachable).toBe(false);
    expect(status.lastError).toMatch(/ECONNREFUSED/);
  });

  it('retries with backoff and notices when the cloud comes back', async () => {
    const cloud = await startFakeCloud();
    cleanups.push(cloud.close);
    cloud.state.healthy = false;
    const link = await startLink(cloud.url);
    await waitFor(() => (cloud.state.requests.length >= 3 ? true : undefined));
    expect(link.status()).toMatchObject({
      reachable: false,
      lastError: 'cloud degraded: its database is unreachable',
    });
    cloud.state.healthy = true;
    await waitFor(() => (link.status().reachable ? true : undefined));
    expect(link.status().lastError).toBeNull();
  });

  it('stop() aborts a hanging request and leaves no timer behind', async () => {
    const timersBefore = activeTimers();
    const cloud = await startFakeCloud();
    cleanups.push(cloud.close);
    cloud.state.hang = true;
    const link = new CloudLink({ cloudUrl: cloud.url, apiKey: VALID_KEY, log, requestTimeoutMs: 10_000 });
    await link.start();
    const request = await waitFor(() => cloud.state.requests[0]);
    const aborted = new Promise<void>((resolve) => request.once('close', () => resolve()));

    const stopStarted = Date.now();
    await link.stop();
    expect(Date.now() - stopStarted).toBeLessThan(1000);
    await aborted;
    expect(activeTimers()).toBeLessThanOrEqual(timersBefore);
    expect(link.status().lastCheckAt).toBeNull();
  });

  it('stop() between checks clears the pending timer', async () => {
    const cloud = await startFakeCloud();
    cleanups.push(cloud.close);
    const link = new CloudLink({ cloudUrl: cloud.url, apiKey: undefined, log, intervalMs: 60_000 });
    await link.start();
    await waitFor(() => (link.status().reachable ? true : undefined));
    // Measured back to back, so only the link's own next-check timer can make the difference.
    const timersWhileRunning = activeTimers();
    await link.stop();
    expect(activeTimers()).toBe(timersWhileRunning - 1);
  });
});
