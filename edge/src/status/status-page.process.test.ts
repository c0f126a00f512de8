import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectAsync, type MqttClient } from 'mqtt';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EdgeProcess, runToExit, startEdgeProcess, stopEdgeProcess } from '../testing/edge-process';
import { closedPort } from '../testing/ports';
import { waitFor } from '../testing/wait-for';
import { escapeHtml } from './status-page';

/*
 * The edge's own page, served by a real edge process with no cloud at all: refused without the edge's
 * credentials and shown with them, with a device name, a topic and a payload that try to inject markup
 * shown as text — over HTTP, and in Debian's Chromium where it runs its refresh under its CSP.
 */
const LOGIN = { username: 'edge-admin', password: 'correct horse battery' };
const API_KEY = 'plk_status_page_test';
const DEVICE = `<img src=x onerror="alert('device')">`;
const TOPIC = `plantline/v1/<script>alert('topic')</script>/L1/M1/count`;
const PAYLOAD = `</pre></td><script>alert('payload')</script><b>bold</b>`;
const CHROMIUM = '/usr/bin/chromium';

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;

describe('the edge page (edge process)', () => {
  let dataDir: string;
  let edge: EdgeProcess;
  let base: string;
  let device: MqttClient;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'plantline-edge-page-'));
    edge = await startEdgeProcess({
      EDGE_NAME: 'page-test-edge',
      EDGE_STATUS_PORT: '0',
      EDGE_MQTT_PORT: '0',
      EDGE_CLOUD_URL: `http://127.0.0.1:${await closedPort()}`,
      EDGE_API_KEY: API_KEY,
      EDGE_MQTT_USERNAME: LOGIN.username,
      EDGE_MQTT_PASSWORD: LOGIN.password,
      EDGE_DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
    });
    base = edge.statusUrl.replace(/\/status$/, '');
    // The local login lets a device in too (docs/device-integration.md, "Device logins").
    device = await connectAsync(edge.mqttUrl!, { ...LOGIN, clientId: DEVICE, reconnectPeriod: 0 });
    await device.publishAsync(TOPIC, '{"good":1}', { qos: 1 });
    await device.publishAsync('plantline/v1/RIV/L1/M1/count', PAYLOAD, { qos: 1 });
  });

  afterAll(async () => {
    await device?.endAsync(true);
    if (edge) await stopEdgeProcess(edge);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const get = (path: string, authorization?: string) =>
    fetch(`${base}${path}`, authorization ? { headers: { authorization } } : {});

  it('refuses the page and the status without the edge’s credentials, and keeps /healthz open', async () => {
    for (const path of ['/', '/status']) {
      const refused = await get(path);
      expect(refused.status).toBe(401);
      expect(refused.headers.get('www-authenticate')).toBe('Basic realm="Plantline edge", charset="UTF-8"');
      expect(await refused.text()).not.toContain('page-test-edge');
      expect((await get(path, basic(LOGIN.username, 'wrong'))).status).toBe(401);
      expect((await get(path, basic('anyone', 'plk_wrong'))).status).toBe(401);
      expect((await get(path, 'Bearer plk_wrong')).status).toBe(401);
    }
    expect((await get('/healthz')).status).toBe(200);
  });

  it('serves the page with the local login or the API key, hostile input shown as text', async () => {
    const response = await get('/', basic(LOGIN.username, LOGIN.password));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toMatch(
      /^default-src 'none'; style-src 'sha256-/,
    );
    const page = await response.text();
    expect(page).toContain('Edge page-test-edge');
    expect(page).toContain(escapeHtml(DEVICE));
    expect(page).toContain(escapeHtml(TOPIC));
    expect(page).toContain(escapeHtml(PAYLOAD));
    expect(page).toContain('UNREACHABLE');
    expect(page.match(/<script/g)).toHaveLength(1);
    expect(page).not.toMatch(/<img|<b>/);

    expect((await get('/', basic('anyone', API_KEY))).status).toBe(200);
    const status = await get('/status', `Bearer ${API_KEY}`);
    expect(status.status).toBe(200);
    expect(await status.json()).toMatchObject({ name: 'page-test-edge', deadLetters: { count: 2 } });
  });

  it('lets the CLI in with the credentials of its environment, and says what is missing without', async () => {
    const without = await runToExit('src/cli.ts', ['status', '--url', edge.statusUrl]);
    expect(without.code).toBe(1);
    expect(without.stderr).toContain('asks for its credentials');
    const withKey = await runToExit('src/cli.ts', ['status', '--url', edge.statusUrl], {
      EDGE_API_KEY: API_KEY,
    });
    expect(withKey.code).toBe(0);
    expect(withKey.stdout).toContain('page-test-edge');
    const withLogin = await runToExit('src/cli.ts', ['status', '--url', edge.statusUrl], {
      EDGE_MQTT_USERNAME: LOGIN.username,
      EDGE_MQTT_PASSWORD: LOGIN.password,
    });
    expect(withLogin.code).toBe(0);
  });

  it.runIf(existsSync(CHROMIUM))(
    'runs in a browser under its CSP, refreshing itself, running nothing injected',
    async () => {
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
        ],
      });
      try {
        const context = await browser.newContext({ httpCredentials: LOGIN });
        const page = await context.newPage();
        const dialogs: string[] = [];
        const problems: string[] = [];
        page.on('dialog', (dialog) => {
          dialogs.push(dialog.message());
          void dialog.dismiss();
        });
        page.on('console', (message) => {
          if (message.type() === 'error') problems.push(message.text());
        });
        page.on('pageerror', (error) => problems.push(error.message));
        expect((await page.goto(`${base}/`))?.status()).toBe(200);
        expect(await page.locator('h1').textContent()).toBe('Edge page-test-edge');
        expect(await page.getByRole('listitem').filter({ hasText: DEVICE }).count()).toBe(1);
        expect(await page.locator('pre').filter({ hasText: PAYLOAD }).count()).toBe(1);
        expect(await page.locator('img, b, main script').count()).toBe(0);

        // A new dead letter appears without a reload: the page fetched itself again.
        await device.publishAsync('plantline/v1/RIV/L1/M1/state', `{"state":"<i>x</i>"`, { qos: 1 });
        await page.locator('pre').filter({ hasText: '{"state":"<i>x</i>"' }).waitFor({ timeout: 15_000 });
        expect(await page.locator('i').count()).toBe(0);
        expect(dialogs).toEqual([]);
        expect(problems).toEqual([]);
      } finally {
        await browser.close();
      }
    },
  );

  it('keeps its page after the edge restarts, from the dead letters on disk', async () => {
    await stopEdgeProcess(edge);
    await device.endAsync(true);
    edge = await startEdgeProcess({
      EDGE_NAME: 'page-test-edge',
      EDGE_STATUS_PORT: '0',
      EDGE_MQTT_PORT: '0',
      EDGE_CLOUD_URL: `http://127.0.0.1:${await closedPort()}`,
      EDGE_API_KEY: API_KEY,
      EDGE_DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
    });
    base = edge.statusUrl.replace(/\/status$/, '');
    const page = await waitFor(async () => {
      const response = await get('/', `Bearer ${API_KEY}`);
      return response.ok ? response.text() : undefined;
    });
    expect(page).toContain(escapeHtml(TOPIC));
    expect(page).toContain(escapeHtml(PAYLOAD));
  });
});
