import { existsSync } from 'node:fs';
import { loadChromium } from '../../platform/index.js';

/*
 * A dashboard as a PDF that looks like the screen (docs/dashboards.md, "Snapshot PDF"): Debian's
 * Chromium, driven by playwright-core, opens the dashboard's kiosk page on this cloud with a session
 * made for this one snapshot, waits until every widget shows its first data, and prints it. A
 * browser is never downloaded: without Chromium at the configured path the snapshot is refused.
 */

/** Debian's package installs it here (`apt-get install chromium`). */
export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';

/** The address variables a snapshot passes on to the page (docs/dashboards.md, "Variables"). */
export const SNAPSHOT_VARIABLES = ['plant', 'line', 'machine', 'range', 'shift'] as const;

/** How long the widgets may take to show their first data before the snapshot gives up. */
const READY_TIMEOUT_MS = 45_000;

/** Run in the page: every widget marks itself once it shows its first data (web/src/lib/dashboards/ready.ts). */
const EVERY_WIDGET_READY = `(() => {
  const widgets = [...document.querySelectorAll('[data-widget]')];
  return widgets.length > 0 && widgets.every((w) => w.hasAttribute('data-widget-ready'));
})()`;

/**
 * How many snapshots one cloud prints at once: each is a Chromium of a few hundred MB, so a click
 * repeated, or many people at the start of a shift meeting, must not start a browser each.
 */
export class SnapshotSlots {
  #taken = 0;
  constructor(readonly size = 2) {}

  /** A slot and the function that gives it back, or null when all are taken. */
  take(): (() => void) | null {
    if (this.#taken >= this.size) return null;
    this.#taken += 1;
    let given = false;
    return () => {
      if (given) return;
      given = true;
      this.#taken -= 1;
    };
  }
}

export interface SnapshotRequest {
  chromiumPath: string;
  /** Where the browser reaches this cloud, e.g. http://127.0.0.1:3000. */
  baseUrl: string;
  slug: string;
  variables: Partial<Record<(typeof SNAPSHOT_VARIABLES)[number], string>>;
  /** The single-purpose session's token, set as the browser's session cookie. */
  sessionToken: string;
  sessionCookie: string;
}

/** The cloud cannot make dashboard PDFs here: a setup problem, answered 503 with how to fix it. */
export class ChromiumMissing extends Error {
  constructor(readonly chromiumPath: string) {
    super(
      `Dashboard PDFs need Chromium: set CHROMIUM_PATH to its executable (there is none at ${chromiumPath}; on Debian, apt-get install chromium)`,
    );
    this.name = 'ChromiumMissing';
  }
}

/** The kiosk page shows one dashboard full screen without the app's navigation, which a print wants. */
export function snapshotUrl(request: Pick<SnapshotRequest, 'baseUrl' | 'slug' | 'variables'>): string {
  const query = new URLSearchParams({ d: request.slug, every: '3600' });
  for (const name of SNAPSHOT_VARIABLES) {
    const value = request.variables[name];
    if (value !== undefined && value !== '') query.set(name, value);
  }
  return `${request.baseUrl}/dashboards/kiosk?${query.toString()}`;
}

/** Landscape A4 with background colours, as the screen shows them. */
export async function renderDashboardPdf(request: SnapshotRequest): Promise<Buffer> {
  if (!existsSync(request.chromiumPath)) throw new ChromiumMissing(request.chromiumPath);
  const chromium = await loadChromium();
  const browser = await chromium.launch({
    executablePath: request.chromiumPath,
    // A server has no display and often no sandbox support; the network beyond this cloud is not needed.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    // 1400 px shows the 24-column grid (one column below about 700 px: docs/dashboards.md, "The model").
    const context = await browser.newContext({ viewport: { width: 1400, height: 990 } });
    await context.addCookies([
      { name: request.sessionCookie, value: request.sessionToken, url: request.baseUrl, httpOnly: true },
    ]);
    const page = await context.newPage();
    await page.goto(snapshotUrl(request));
    if (new URL(page.url()).pathname === '/login') throw new Error('The snapshot session was not accepted');
    await page.locator('[data-widget]').first().waitFor({ timeout: READY_TIMEOUT_MS });
    // Every widget marks itself once it shows its first data (web/src/lib/dashboards/ready.ts).
    await page.waitForFunction(EVERY_WIDGET_READY, undefined, { timeout: READY_TIMEOUT_MS });
    await page.emulateMedia({ media: 'print' });
    return await page.pdf({
      format: 'A4',
      landscape: true,
      printBackground: true,
      margin: { top: '8mm', bottom: '8mm', left: '8mm', right: '8mm' },
    });
  } finally {
    await browser.close();
  }
}
