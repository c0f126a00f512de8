import { existsSync } from 'node:fs';
import type { LaunchOptions } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`); a downloaded browser is never used. */
export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

export const chromiumLaunchOptions: LaunchOptions = {
  executablePath: CHROMIUM,
  // This machine's network is closed: without these Chromium keeps trying Google's hosts.
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};
