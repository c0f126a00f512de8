import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CloudProcess, killProcess, startCloudProcess } from './processes.js';

/*
 * The cloud as `pnpm start` runs it: built into one file by scripts/build.mjs and run by plain Node.
 * In one bundle, every module's import.meta.url is the bundle's, so the files that modules find
 * beside themselves are copied beside it; this starts the bundle on an empty embedded data folder
 * and checks it found each: the migrations (it migrates and serves), the package.json (its version),
 * and the barcode worker (it loads).
 */
const cloudDir = join(import.meta.dirname, '../..');
const version = (JSON.parse(readFileSync(join(cloudDir, 'package.json'), 'utf8')) as { version: string })
  .version;

describe('the built cloud', () => {
  let cloud: CloudProcess | undefined;
  let dataDir: string;

  beforeAll(async () => {
    await promisify(execFile)(process.execPath, ['scripts/build.mjs'], { cwd: cloudDir });
    dataDir = await mkdtemp(join(tmpdir(), 'plantline-built-cloud-'));
  }, 60_000);

  afterAll(async () => {
    if (cloud !== undefined) await killProcess(cloud);
    await rm(dataDir, { recursive: true, force: true });
  });

  it('starts on an empty embedded data folder, migrates, and says its version', async () => {
    cloud = await startCloudProcess(
      { PORT: '0', HOST: '127.0.0.1', PLANTLINE_DATA_DIR: dataDir, DEMO_SEED: 'false', LOG_LEVEL: 'warn' },
      120_000,
      { built: true },
    );
    const health = await (await fetch(`${cloud.url}/healthz`)).json();
    expect(health).toMatchObject({
      status: 'ok',
      version,
      database: { mode: 'embedded', reachable: true, timescaledb: true },
    });
    // The label renderer starts this worker on its first barcode; it must be beside the bundle.
    const worker = pathToFileURL(join(cloudDir, 'dist/bin/barcode-worker.mjs')).href;
    await expect(import(worker)).resolves.toBeDefined();
  }, 180_000);
});
