import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { DeadLetter } from '../dead-letter/dead-letter-store';
import type { EdgeStatus } from './edge-status';
import { escapeHtml, renderStatusPage, STATUS_PAGE_CSP } from './status-page';

const now = new Date('2026-11-24T12:00:00.000Z');
const HOSTILE = `<img src=x onerror="alert('device')">`;

function edgeStatus(overrides: Partial<EdgeStatus> = {}): EdgeStatus {
  return {
    name: 'press-shop <edge>',
    version: '0.1.0',
    startedAt: '2026-11-24T11:00:00.000Z',
    uptimeS: 3600,
    dataDir: '/data',
    cloud: {
      url: 'http://cloud:3000',
      reachable: false,
      lastCheckAt: '2026-11-24T11:59:50.000Z',
      lastError: 'connect ECONNREFUSED <b>bold</b>',
      cloudVersion: null,
      apiKeyConfigured: true,
      identity: null,
      authError: null,
    },
    broker: {
      mode: 'embedded',
      url: 'mqtt://0.0.0.0:1883',
      connected: true,
      connectedDevices: 2,
      deviceIds: ['press-1', HOSTILE],
      lastError: null,
    },
    outbox: {
      backlogEvents: 1200,
      bytes: 5 * 1024 ** 2,
      maxBytes: 2 * 1024 ** 3,
      quotaUsed: 0.85,
      quotaState: 'warning',
      oldestAppendedAt: '2026-11-24T11:30:00.000Z',
      oldestAgeS: 1800,
      segments: 1,
      appendedTotal: 1200,
      refusedTotal: 0,
      discardedOnRecovery: 0,
      error: null,
    },
    rates: { receivedPerS: 12.5, sentPerS: 0 },
    ingress: {
      receivedTotal: 1300,
      storedTotal: 1200,
      deadLetteredTotal: 1,
      refusedTotal: 0,
      suppressedTotal: 99,
    },
    deadband: {
      source: 'disk',
      syncedAt: '2026-11-24T10:00:00.000Z',
      lastError: null,
      rules: 2,
      samplesReceived: 400,
      samplesSuppressed: 300,
      messagesSuppressed: 99,
      series: 4,
      metrics: [{ name: 'spindle_temp_c', received: 400, suppressed: 300 }],
    },
    sparkplug: {
      rules: 3,
      mapping: { source: 'cloud', syncedAt: '2026-11-24T11:59:30.000Z', lastError: null },
      receivedTotal: 40,
      eventsTotal: 35,
      unmappedMetricsTotal: 2,
      malformedTotal: 0,
      droppedTotal: { 'seq-gap': 1 },
      duplicatesTotal: 0,
      rebirthRequestsTotal: 1,
      presence: [
        { group: 'Plant1', node: 'PLC-7', device: null, online: true, machines: [] },
        { group: 'Plant1', node: 'PLC-7', device: HOSTILE, online: false, machines: ['RIV/L1/M1'] },
      ],
    },
    deadLetters: {
      count: 1,
      sinceStart: 1,
      lastReason: 'payload is not JSON',
      lastAt: '2026-11-24T11:59:00.000Z',
      file: '/data/dead-letters.jsonl',
    },
    ...overrides,
  };
}

const letter: DeadLetter = {
  at: '2026-11-24T11:59:00.000Z',
  source: 'device',
  topic: `plantline/v1/<script>alert('topic')</script>/L1/M1/count`,
  reason: `plant code "<svg onload=alert('reason')>" must be 1–32 of A–Z a–z 0–9 _ -`,
  payload: `</pre></td></tr></table><script>alert('payload')</script>&amp;`,
  payloadBytes: 62,
};

describe('renderStatusPage', () => {
  const page = renderStatusPage(edgeStatus(), [letter], now);

  it('shows what an operator needs without the cloud', () => {
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).toContain('UNREACHABLE: connect ECONNREFUSED &#60;b&#62;bold&#60;/b&#62;');
    expect(page).toContain('1200 event(s)');
    expect(page).toContain('30m 0s');
    expect(page).toContain('5.0 MiB of 2.00 GiB (85 %) — above 80 %');
    expect(page).toContain('12.5/s received, 0/s sent');
    expect(page).toContain('300 of 400 telemetry value(s) suppressed (75 %)');
    expect(page).toContain('<li>press-1</li>');
    expect(page).toContain('62 byte(s)');
    expect(page).toContain('3 from the cloud');
    expect(page).toContain('40 message(s) → 35 event(s), 1 dropped, 1 rebirth request(s)');
    expect(page).toContain('<td class="mono">Plant1/PLC-7</td><td class="ok">online</td>');
    expect(page).toContain('<td class="bad">offline</td><td class="mono">RIV/L1/M1</td>');
  });

  it('escapes everything that comes from devices, topics, payloads and errors', () => {
    // The only tags are the page's own: one script (its refresh) and no element a value brought in.
    expect(page.match(/<script/g)).toHaveLength(1);
    expect(page).not.toMatch(/<img|<svg|<b>/);
    expect(page).not.toMatch(/<[^>]*\bon\w+=/);
    expect(page).toContain(escapeHtml(HOSTILE));
    expect(page).toContain(escapeHtml(letter.topic));
    expect(page).toContain(escapeHtml(letter.reason));
    expect(page).toContain(`<pre>${escapeHtml(letter.payload)}</pre>`);
    expect(page).toContain('press-shop &#60;edge&#62;');
    expect(escapeHtml(`&<>"'`)).toBe('&#38;&#60;&#62;&#34;&#39;');
  });

  it('allows exactly its own style and script by hash, and nothing from elsewhere', () => {
    const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
    const script = /<script>([\s\S]*?)<\/script>/.exec(page)![1]!;
    const style = /<style>([\s\S]*?)<\/style>/.exec(page)![1]!;
    expect(STATUS_PAGE_CSP).toContain(`script-src ${hash(script)}`);
    expect(STATUS_PAGE_CSP).toContain(`style-src ${hash(style)}`);
    expect(STATUS_PAGE_CSP).toMatch(/^default-src 'none'/);
    expect(page).not.toMatch(/<[^>]*\b(src|href)=/);
  });

  it('cuts long payloads and reads well without dead letters, deadbands or a broker', () => {
    const long = renderStatusPage(edgeStatus(), [{ ...letter, payload: 'x'.repeat(4096) }], now);
    expect(long).toContain(`${'x'.repeat(1024)}…</pre>`);
    expect(long).not.toContain('x'.repeat(1025));
    const bare = renderStatusPage(
      edgeStatus({ broker: undefined, deadband: undefined, outbox: undefined }),
      [],
      now,
    );
    expect(bare).toContain('Dead letters');
    expect(bare).not.toContain('Telemetry deadbands');
    expect(bare).not.toContain('undefined');
    expect(bare).not.toContain('null');
  });
});
