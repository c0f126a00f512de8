import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { RunningCloud } from '@plantline/cloud/app';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { CHROMIUM, chromiumLaunchOptions, hasChromium } from './chromium';
import { seededDemoCopy, startDemoCloud } from './demo-cloud';

export { CHROMIUM, hasChromium } from './chromium';
export { DEMO_PASSWORD } from './demo-cloud';

if (!hasChromium && process.env.CI) throw new Error(`${CHROMIUM} is missing; .ci/run installs it`);
if (!hasChromium)
  process.stderr.write(`Browser tests not run: install Chromium (apt-get install chromium).\n`);

export const screenshotDir = new URL('../test-results/', import.meta.url).pathname;

/**
 * A real cloud (embedded database) serving the built web UI on an ephemeral port, with a data folder
 * of its own: a copy of the run's seeded demo (global-setup.ts), database files included, so nothing
 * a file writes is seen by another.
 */
export async function startCloudWithUi(): Promise<
  RunningCloud & { cleanup(): Promise<void>; demoEdgeKey(): string }
> {
  const copy = await seededDemoCopy();
  const dataDir = copy ?? mkdtempSync(join(tmpdir(), 'plantline-e2e-'));
  const cloud = await startDemoCloud({ dataDir, onFiles: copy !== undefined });
  return {
    ...cloud,
    // The demo seed writes an edge key for the first plant (RIV) next to the data (demo-seed.ts).
    demoEdgeKey: () => readFileSync(join(dataDir, 'demo-edge.key'), 'utf8').trim(),
    cleanup: async () => {
      await cloud.stop();
      // A copy sits in a folder of its own (seededDemoCopy).
      rmSync(copy === undefined ? dataDir : dirname(dataDir), { recursive: true, force: true });
    },
  };
}

export interface UiStack {
  cloud: Awaited<ReturnType<typeof startCloudWithUi>>;
  browser: Browser;
}

/**
 * A cloud serving the UI and a browser for the tests of one describe block: started before them,
 * closed after them. The properties are set once beforeAll has run. The browser is the worker's
 * Chromium (workerChromium): the contexts the file opens, with their cookies and storage, are closed
 * after it, so the next file starts with none.
 */
export function useUiStack(): UiStack {
  const stack = {} as UiStack;
  beforeAll(async () => {
    stack.cloud = await startCloudWithUi();
    stack.browser = await workerChromium();
  });
  afterAll(async () => {
    if (stack.browser !== undefined)
      await Promise.all(stack.browser.contexts().map((context) => context.close()));
    await stack.cloud?.cleanup();
  });
  return stack;
}

let chromiumOfWorker: Promise<Browser> | undefined;
/**
 * One Chromium per test worker, started by its first file: a worker runs its files one after another
 * (vitest.e2e.config.ts), and starting Chromium was a second or more of every file. It goes when the
 * worker ends (Playwright closes the browsers it launched when their process exits).
 */
function workerChromium(): Promise<Browser> {
  mkdirSync(screenshotDir, { recursive: true });
  chromiumOfWorker ??= chromium.launch(chromiumLaunchOptions);
  return chromiumOfWorker;
}

export const ADMIN_EMAIL = 'admin@demo.plantline.local';

/** Signs in on the sign-in page the browser is on (or is sent to), then waits to leave it. */
export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.waitForURL(/\/login/);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname !== '/login');
}

/** A UUIDv7 (RFC 9562), as the edge gives each event. */
function uuidv7(ms = Date.now()): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(ms, 0, 6);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

let lastIdMs = 0;
/** Strictly increasing ids across calls, as one edge assigns them. */
function nextEventId(): string {
  lastIdMs = Math.max(lastIdMs + 1, Date.now());
  return uuidv7(lastIdMs);
}

/** Sends one event the way an edge node does: `ingest.push` with its API key. */
export async function pushEvent(
  baseUrl: string,
  key: string,
  event: { plant: string; line: string; machine: string; kind: string; payload: unknown },
): Promise<void> {
  await pushEvents(baseUrl, key, [event]);
}

/**
 * Sends a batch of events in one `ingest.push`, as an edge node flushes its outbox; `at` dates an
 * event in the past (an edge catching up), else it is dated now.
 */
export async function pushEvents(
  baseUrl: string,
  key: string,
  events: readonly {
    plant: string;
    line: string;
    machine: string;
    kind: string;
    payload: unknown;
    at?: Date;
  }[],
): Promise<void> {
  const now = new Date().toISOString();
  const envelopes = events.map(({ at, ...e }) => ({
    id: nextEventId(),
    ts: at?.toISOString() ?? now,
    receivedAt: now,
    ...e,
  }));
  const response = await fetch(`${baseUrl}/trpc/ingest.push`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ events: envelopes }),
  });
  const body = (await response.json()) as { result?: { data?: { results?: { status: string }[] } } };
  const results = body.result?.data?.results ?? [];
  if (results.length !== events.length || results.some((r) => r.status !== 'accepted')) {
    throw new Error(`ingest.push did not accept every event: ${JSON.stringify(body).slice(0, 500)}`);
  }
}

/** A tRPC call with the page's session (no transformer: plain JSON in and out). */
export async function trpcCall<T>(
  page: Page,
  path: string,
  input: unknown,
  method: 'GET' | 'POST' = 'POST',
): Promise<T> {
  const query =
    method === 'GET' && input !== undefined ? `?input=${encodeURIComponent(JSON.stringify(input))}` : '';
  const url = `/trpc/${path}${query}`;
  const response = await page.request.fetch(new URL(url, page.url()).toString(), {
    method,
    headers: { 'content-type': 'application/json' },
    data: method === 'POST' ? JSON.stringify(input) : undefined,
  });
  const body = (await response.json()) as { result?: { data: T }; error?: unknown };
  if (body.result === undefined) throw new Error(`${path}: ${JSON.stringify(body.error)}`);
  return body.result.data;
}

/**
 * Deletes the plant's planned downtimes around now. The demo calendar plans breaks every few hours
 * (a quarter of an hour to half an hour each); a test that expects a stop to count as a loss must not
 * depend on the time of day it runs at.
 */
export async function clearPlannedDowntimeNow(page: Page, plantCode: string): Promise<void> {
  const plants = await trpcCall<{ id: string; code: string }[]>(
    page,
    'tenancy.plants.list',
    undefined,
    'GET',
  );
  const plant = plants.find((p) => p.code === plantCode);
  if (plant === undefined) throw new Error(`no plant ${plantCode}`);
  const around = 15 * 60_000;
  const downtimes = await trpcCall<{ id: string }[]>(
    page,
    'production.plannedDowntimes.list',
    {
      plantId: plant.id,
      from: new Date(Date.now() - around).toISOString(),
      to: new Date(Date.now() + around).toISOString(),
    },
    'GET',
  );
  for (const downtime of downtimes)
    await trpcCall(page, 'production.plannedDowntimes.delete', { id: downtime.id });
}
