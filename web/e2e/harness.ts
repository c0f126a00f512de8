import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCloudEnv, type RunningCloud, startCloud } from '@plantline/cloud/app';
import pino from 'pino';
import { type Browser, chromium } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`); a downloaded browser is never used. */
export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
if (!hasChromium && process.env.CI) throw new Error(`${CHROMIUM} is missing; .ci/run installs it`);
if (!hasChromium)
  process.stderr.write(`Browser tests not run: install Chromium (apt-get install chromium).\n`);

export const screenshotDir = new URL('../test-results/', import.meta.url).pathname;

export const DEMO_PASSWORD = 'browser-test-password';

/** A real cloud (embedded database in memory) serving the built web UI on an ephemeral port. */
export async function startCloudWithUi(): Promise<RunningCloud & { cleanup(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'plantline-e2e-'));
  const env = loadCloudEnv({
    PORT: '0',
    PLANTLINE_DATA_DIR: dataDir,
    DEMO_ADMIN_PASSWORD: DEMO_PASSWORD,
    LOG_LEVEL: 'silent',
  });
  const cloud = await startCloud(env, { inMemory: true, log: pino({ level: 'silent' }) });
  return {
    ...cloud,
    cleanup: async () => {
      await cloud.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launchChromium(): Promise<Browser> {
  mkdirSync(screenshotDir, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    // This machine's network is closed: without these Chromium keeps trying Google's hosts.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
