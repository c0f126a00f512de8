import { describe, expect, it } from 'vitest';
import {
  ADMIN_EMAIL,
  DEMO_PASSWORD,
  hasChromium,
  pushEvent,
  screenshotDir,
  signIn,
  useUiStack,
} from './harness';

describe.runIf(hasChromium)('live events and session expiry in the web UI', () => {
  const ui = useUiStack();

  it('shows an event sent by an edge node live, without a reload', async () => {
    const key = ui.cloud.demoEdgeKey();
    await pushEvent(ui.cloud.url, key, {
      plant: 'RIV',
      line: 'L1',
      machine: 'M1',
      kind: 'count',
      payload: { good: 12, scrap: 1, product: 'P-100' },
    });

    const context = await ui.browser.newContext({ viewport: { width: 1280, height: 800 } });
    // Lets the test cut the page's WebSocket and keep it from reconnecting for a while, as a network
    // outage or a cloud restart would.
    await context.addInitScript(() => {
      const Native = window.WebSocket;
      const state = { blocked: false, sockets: [] as WebSocket[] };
      Object.assign(window, { __ws: state });
      window.WebSocket = class extends Native {
        constructor(url: string | URL, protocols?: string | string[]) {
          super(state.blocked ? 'ws://127.0.0.1:9/' : url, protocols);
          state.sockets.push(this);
        }
      };
    });
    const page = await context.newPage();
    await page.goto(`${ui.cloud.url}/events`);
    await signIn(page, ADMIN_EMAIL, DEMO_PASSWORD);
    await page.waitForURL(`${ui.cloud.url}/events`);
    // The stored event, with names resolved from master data.
    const stored = page.getByRole('row', { name: /12 good · 1 scrap · product P-100/ });
    await stored.waitFor();
    expect(await stored.textContent()).toContain('L1 machine 1');
    await page.locator('[data-status="connected"]').waitFor();

    let navigations = 0;
    page.on('framenavigated', () => navigations++);
    await pushEvent(ui.cloud.url, key, {
      plant: 'RIV',
      line: 'L2',
      machine: 'M3',
      kind: 'state',
      payload: { state: 'DOWN', reason: 'JAM' },
    });
    const live = page.getByRole('row', { name: /DOWN · reason JAM/ });
    await live.waitFor({ timeout: 10_000 });
    expect(await live.textContent()).toContain('L2 machine 3');
    expect(navigations).toBe(0);
    await page.getByText('1 new since you opened this view').waitFor();
    // Newest first.
    expect(await page.locator('tbody tr').first().textContent()).toContain('DOWN');
    await page.screenshot({ path: `${screenshotDir}/events-live.png`, fullPage: true });

    // The connection drops and stays away for a while; an event stored meanwhile arrives after the
    // automatic reconnect, because the stream resumes from the last batch the page received.
    await page.evaluate(() => {
      const ws = (window as unknown as { __ws: { blocked: boolean; sockets: WebSocket[] } }).__ws;
      ws.blocked = true;
      for (const socket of ws.sockets) socket.close();
    });
    await page.locator('[data-status="reconnecting"], [data-status="offline"]').first().waitFor();
    await pushEvent(ui.cloud.url, key, {
      plant: 'RIV',
      line: 'L1',
      machine: 'M2',
      kind: 'state',
      payload: { state: 'SETUP' },
    });
    await page.screenshot({ path: `${screenshotDir}/events-reconnecting.png` });
    await page.evaluate(() => {
      (window as unknown as { __ws: { blocked: boolean } }).__ws.blocked = false;
    });
    await page.locator('[data-status="connected"]').waitFor({ timeout: 20_000 });
    await page.getByRole('row', { name: /SETUP/ }).waitFor({ timeout: 10_000 });
    expect(navigations).toBe(0);

    // The connection indicator follows the network, and the page carries on when it is back.
    await page.context().setOffline(true);
    await page.locator('[data-status="offline"]').getByText('Offline — retrying').waitFor();
    await page.context().setOffline(false);
    await page.locator('[data-status="connected"]').getByText('Live').waitFor();

    // Paused, the table holds still; resumed, what arrived meanwhile is shown.
    await page.getByRole('button', { name: 'Pause live updates' }).click();
    await pushEvent(ui.cloud.url, key, {
      plant: 'RIV',
      line: 'L1',
      machine: 'M4',
      kind: 'telemetry',
      payload: { values: { spindle_temp_c: 61.5 } },
    });
    await page.getByRole('button', { name: 'Resume live updates (1 waiting)' }).click();
    await page.getByRole('row', { name: /spindle_temp_c 61\.5/ }).waitFor();

    // A filter applies to live events too: only scans of machine L1/M1 now.
    await page.getByLabel('Line', { exact: true }).selectOption({ label: 'L1 · Line 1' });
    await page.getByLabel('Machine', { exact: true }).selectOption({ label: 'M1 · L1 machine 1' });
    for (const kind of ['Machine state', 'Count', 'Telemetry']) await page.getByLabel(kind).uncheck();
    await page.waitForURL(/kind=scan/);
    await page.getByText('No events match this filter yet').waitFor();
    await page.locator('[data-status="connected"]').waitFor();
    await pushEvent(ui.cloud.url, key, {
      plant: 'RIV',
      line: 'L2',
      machine: 'M3',
      kind: 'scan',
      payload: { code: 'OTHER-1' },
    });
    await pushEvent(ui.cloud.url, key, {
      plant: 'RIV',
      line: 'L1',
      machine: 'M1',
      kind: 'scan',
      payload: { code: 'LOT-42', action: 'pick' },
    });
    await page.getByRole('row', { name: /pick LOT-42 \(qr\)/ }).waitFor({ timeout: 10_000 });
    expect(await page.getByText('OTHER-1').count()).toBe(0);

    // Tablet width: the table scrolls inside its panel, the page does not widen.
    await page.setViewportSize({ width: 768, height: 1024 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${screenshotDir}/events-tablet.png`, fullPage: true });
  });

  it('sends the user to sign-in when the session ends, and back to the page afterwards', async () => {
    const context = await ui.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${ui.cloud.url}/events?kind=state`);
    await signIn(page, ADMIN_EMAIL, DEMO_PASSWORD);
    await page.waitForURL(`${ui.cloud.url}/events?kind=state`);
    await page.locator('[data-status="connected"]').waitFor();

    // Signed out in another tab: the open page notices by itself (the session watch over the WebSocket).
    const other = await context.newPage();
    await other.goto(`${ui.cloud.url}/`);
    await other.getByRole('button', { name: 'Sign out' }).click();
    await other.waitForURL(/\/login/);
    await page.waitForURL(/\/login\?redirectTo=%2Fevents%3Fkind%3Dstate&expired=1/, { timeout: 30_000 });
    await page.getByText('Your session has ended').waitFor();
    await page.screenshot({ path: `${screenshotDir}/session-expired.png` });
    await signIn(page, ADMIN_EMAIL, DEMO_PASSWORD);
    await page.waitForURL(`${ui.cloud.url}/events?kind=state`);
    expect(await page.getByLabel('Count').isChecked()).toBe(false);

    // The session is gone when a form is submitted: the submit itself sends the user to sign-in.
    await page.goto(`${ui.cloud.url}/admin/users`);
    await page.getByRole('button', { name: 'New user' }).click();
    await page.getByLabel('Display name').fill('Late Larry');
    await page.getByLabel('Email').fill('larry@demo.plantline.local');
    await page.getByLabel('Initial password').fill('larry-password-1234');
    await context.clearCookies();
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.waitForURL(/\/login\?redirectTo=%2Fadmin%2Fusers&expired=1/);
    await signIn(page, ADMIN_EMAIL, DEMO_PASSWORD);
    await page.waitForURL(`${ui.cloud.url}/admin/users`);
    await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
    // The new session carries the live connection again.
    await page.locator('[data-status="connected"]').waitFor();
  });
});
