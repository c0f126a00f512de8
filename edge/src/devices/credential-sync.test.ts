import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { connectAsync } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../logger';
import { deviceCredential } from '../testing/device-credentials';
import { FAKE_CLOUD_KEY, startFakeCloud } from '../testing/fake-cloud';
import { startIngressOnDisk } from '../testing/ingress-on-disk';
import { tempDir } from '../testing/temp-dir';
import { waitFor } from '../testing/wait-for';
import { CREDENTIALS_FILE, CredentialSync } from './credential-sync';
import { DeviceAuth } from './device-auth';

const log = createLogger({ logLevel: 'silent', name: 'test' });
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const press = deviceCredential('press-1', 'press-secret', { plant: 'RIV', line: 'L1', machine: 'M1' });
const login = { username: 'press-1', password: 'press-secret' };

async function setUp() {
  const cloud = await startFakeCloud();
  cleanups.push(cloud.close);
  const temp = await tempDir('credentials');
  cleanups.push(temp.remove);
  return { cloud, dataDir: temp.dir };
}

/** The edge's embedded broker with its credential sync, as main.ts orders them: sync first. */
async function startEdge(cloudUrl: string, dataDir: string) {
  const auth = new DeviceAuth({ localLogin: undefined, allowAnonymous: false });
  const sync = new CredentialSync({ cloudUrl, apiKey: FAKE_CLOUD_KEY, dataDir, auth, log, intervalMs: 50 });
  await sync.start();
  cleanups.push(() => sync.stop());
  const edge = await startIngressOnDisk({ log, onCleanup: (cleanup) => cleanups.push(cleanup), auth });
  return { sync, url: edge.url };
}

async function connects(url: string, options: { username: string; password: string }): Promise<boolean> {
  try {
    const client = await connectAsync(url, { reconnectPeriod: 0, ...options });
    await client.endAsync(true);
    return true;
  } catch {
    return false;
  }
}

describe('CredentialSync', () => {
  it('lets a device in once synced and refuses it once the cloud revokes it', async () => {
    const { cloud, dataDir } = await setUp();
    const edge = await startEdge(cloud.url, dataDir);
    expect(await connects(edge.url, login)).toBe(false);
    cloud.state.deviceCredentials = { credentials: [press] };
    await waitFor(async () => ((await connects(edge.url, login)) ? true : undefined));
    expect(edge.sync.status()).toMatchObject({ source: 'cloud', credentials: 1, lastError: null });

    cloud.state.deviceCredentials = {
      credentials: [{ ...press, revokedAt: new Date().toISOString() }],
    };
    await waitFor(async () => ((await connects(edge.url, login)) ? undefined : true));
  });

  it('waits for the first answer on a first start, so a device connecting at once gets in', async () => {
    const { cloud, dataDir } = await setUp();
    cloud.state.deviceCredentials = { credentials: [press] };
    const edge = await startEdge(cloud.url, dataDir);
    expect(edge.sync.status()).toMatchObject({ source: 'cloud', credentials: 1 });
    expect(await connects(edge.url, login)).toBe(true);
  });

  it('keeps the last good copy on disk and uses it after a restart without the cloud', async () => {
    const { cloud, dataDir } = await setUp();
    cloud.state.deviceCredentials = { credentials: [press] };
    const first = await startEdge(cloud.url, dataDir);
    await waitFor(() => (first.sync.status().source === 'cloud' ? true : undefined));
    const file = join(dataDir, CREDENTIALS_FILE);
    await waitFor(async () => ((await stat(file).catch(() => null)) ? true : undefined));
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const saved = await readFile(file, 'utf8');
    expect(saved).not.toContain('press-secret');
    expect(saved).toContain(press.passwordHash);
    // Stops the first edge; the cloud and the folder (the first two clean-ups) stay.
    for (const cleanup of cleanups.splice(2).reverse()) await cleanup();

    cloud.state.mode = 'down';
    const second = await startEdge(cloud.url, dataDir);
    expect(second.sync.status()).toMatchObject({ source: 'disk', credentials: 1 });
    expect(await connects(second.url, login)).toBe(true);
    // A failing cloud does not take the copy away.
    await waitFor(() => (second.sync.status().lastError !== null ? true : undefined));
    expect(await connects(second.url, login)).toBe(true);
    expect(second.sync.status()).toMatchObject({ source: 'disk', credentials: 1 });
  });

  it('ignores a damaged file and an answer it cannot parse', async () => {
    const { cloud, dataDir } = await setUp();
    await writeFile(join(dataDir, CREDENTIALS_FILE), '{"credentials":[{"username":');
    cloud.state.deviceCredentials = {
      credentials: [{ ...press, passwordHash: 'plain-text-password' }],
    };
    const edge = await startEdge(cloud.url, dataDir);
    await waitFor(() => (edge.sync.status().lastError !== null ? true : undefined));
    expect(edge.sync.status()).toMatchObject({
      source: 'none',
      credentials: 0,
      lastError: 'unexpected edge.deviceCredentials shape',
    });
    expect(await connects(edge.url, login)).toBe(false);
  });
});
