import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import packageJson from '../package.json' with { type: 'json' };
import { edgeStatusSchema } from './status/edge-status';
import { statusUrlFilePath } from './status/status-url-file';
import { type EdgeProcess, runToExit, startEdgeProcess, stopEdgeProcess } from './testing/edge-process';
import { closedPort, isPortFree, occupyPort } from './testing/ports';
import { waitFor } from './testing/wait-for';

async function getJson(url: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url);
  return { status: response.status, body: await response.json() };
}

describe('edge process', () => {
  let dataDir: string;
  let taken: Awaited<ReturnType<typeof occupyPort>>;
  let cloudPort: number;
  let edge: EdgeProcess;

  beforeAll(async () => {
    dataDir = join(await mkdtemp(join(tmpdir(), 'plantline-edge-')), 'data');
    taken = await occupyPort();
    cloudPort = await closedPort();
    edge = await startEdgeProcess({
      EDGE_NAME: 'edge-under-test',
      EDGE_STATUS_PORT: String(taken.port),
      EDGE_CLOUD_URL: `http://127.0.0.1:${cloudPort}`,
      EDGE_DATA_DIR: dataDir,
      EDGE_MQTT_PORT: '0',
    });
  });

  afterAll(async () => {
    await stopEdgeProcess(edge);
    await taken.release();
    await rm(join(dataDir, '..'), { recursive: true, force: true });
  });

  it('moves to the next free port when the configured one is taken, and logs the URL', () => {
    const port = Number(new URL(edge.statusUrl).port);
    expect(port).toBeGreaterThan(taken.port);
    expect(port).toBeLessThanOrEqual(taken.port + 20);
    expect(edge.output()).toContain(edge.statusUrl);
  });

  it('serves its status, with the unreachable cloud and the reason', async () => {
    const status = await waitFor(async () => {
      const { body } = await getJson(edge.statusUrl);
      const parsed = edgeStatusSchema.parse(body);
      return parsed.cloud.lastCheckAt ? parsed : undefined;
    });
    expect(status).toMatchObject({
      name: 'edge-under-test',
      version: packageJson.version,
      dataDir,
      cloud: { url: `http://127.0.0.1:${cloudPort}`, reachable: false, identity: null },
    });
    expect(status.cloud.lastError).toMatch(/ECONNREFUSED/);
    expect(Date.parse(status.startedAt)).toBeLessThanOrEqual(Date.now());
    expect(status.uptimeS).toBeGreaterThanOrEqual(0);
  });

  it('serves its page to anyone when it has neither a login nor an API key to ask for', async () => {
    const response = await fetch(edge.statusUrl.replace(/\/status$/, '/'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await response.text()).toContain('Edge edge-under-test');
  });

  it('answers /healthz, and 404 with JSON elsewhere', async () => {
    const base = edge.statusUrl.replace(/\/status$/, '');
    expect(await getJson(`${base}/healthz`)).toEqual({ status: 200, body: { status: 'ok' } });
    expect(await getJson(`${base}/nothing-here`)).toMatchObject({
      status: 404,
      body: { error: 'not found' },
    });
  });

  it('creates its data dir and leaves its status URL there for the CLI', async () => {
    expect((await readFile(statusUrlFilePath(dataDir), 'utf8')).trim()).toBe(edge.statusUrl);
  });

  it('stops on SIGTERM with exit code 0 within 5 s and releases its port', async () => {
    const port = Number(new URL(edge.statusUrl).port);
    const signalledAt = Date.now();
    edge.child.kill('SIGTERM');
    const exit = await edge.exited;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(Date.now() - signalledAt).toBeLessThan(5000);
    expect(await isPortFree(port)).toBe(true);
    expect(existsSync(statusUrlFilePath(dataDir))).toBe(false);
  });
});

describe('edge process with a bad configuration', () => {
  it('refuses to start, naming the variable', async () => {
    const result = await runToExit('src/main.ts', [], { EDGE_STATUS_PORT: 'eighty' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('EDGE_STATUS_PORT: must be an integer from 0 to 65535 (got "eighty")');
  });
});
