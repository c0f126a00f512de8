import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EdgeProcess, runToExit, startEdgeProcess, stopEdgeProcess } from './testing/edge-process';
import { closedPort } from './testing/ports';

describe('plantline-edge status', () => {
  let dataDir: string;
  let edge: EdgeProcess;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'plantline-edge-cli-'));
    edge = await startEdgeProcess({
      EDGE_NAME: 'cli-test-edge',
      EDGE_STATUS_PORT: '0',
      EDGE_CLOUD_URL: `http://127.0.0.1:${await closedPort()}`,
      EDGE_DATA_DIR: dataDir,
      EDGE_MQTT_PORT: '0',
    });
  });

  afterAll(async () => {
    await stopEdgeProcess(edge);
    await rm(dataDir, { recursive: true, force: true });
  });

  it('prints a short summary and exits 0 when the edge answers', async () => {
    const result = await runToExit('src/cli.ts', ['status', '--url', edge.statusUrl]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('cli-test-edge');
    expect(result.stdout).toMatch(/cloud .*(UNREACHABLE|not checked yet)/);
  });

  it('prints the raw document with --json, finding the edge through its data dir', async () => {
    const result = await runToExit('src/cli.ts', ['status', '--json'], { EDGE_DATA_DIR: dataDir });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ name: 'cli-test-edge', dataDir });
  });

  it('exits 1 with a clear message when nothing answers', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const result = await runToExit('src/cli.ts', ['status', '--url', url]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`no edge answering at ${url}/status`);
  });
});
