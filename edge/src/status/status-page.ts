import { createHash } from 'node:crypto';
import type { DeadLetter } from '../dead-letter/dead-letter-store';
import type { EdgeStatus } from './edge-status';
import { formatBytes, formatDuration, savedPercent } from './format-status';

/*
 * The edge's own page on its status port (docs/device-integration.md, "The edge's own page"): what an
 * operator at the plant needs without the cloud — devices, backlog and its age, rates, the cloud link,
 * the deadbands' saving and the last dead letters. One self-contained document: no external assets, no
 * build step. It refreshes itself by fetching the page again and swapping its <main>, so there is one
 * renderer, this one. Everything that comes from outside (device names, topics, reasons, payloads,
 * error messages) goes through text(), and the Content-Security-Policy allows only the page's own
 * style and script by hash, so an injected tag could neither render nor run.
 */

const STYLE = `
:root { color-scheme: light; font-family: system-ui, sans-serif; color: #1b2733; background: #eef2f6; }
body { margin: 0; }
main { max-width: 72rem; margin: 0 auto; padding: 1rem 1.25rem 3rem; }
h1 { font-size: 1.5rem; margin: 0.5rem 0 0.25rem; }
h2 { font-size: 1.125rem; margin: 0 0 0.5rem; }
section { background: #fff; border: 1px solid #d5dde6; border-radius: 6px; padding: 0.75rem 1rem; margin-top: 1rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; margin: 0; }
dt { color: #4c5d6e; }
dd { margin: 0; overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; font-size: 0.875rem; }
th, td { text-align: left; vertical-align: top; padding: 0.3rem 0.5rem; border-bottom: 1px solid #e3e9ef; }
table.letters td:last-child { min-width: 18rem; }
pre { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; max-height: 8rem; overflow: auto; }
.mono, pre { font-family: ui-monospace, monospace; }
.muted { color: #4c5d6e; }
.ok { color: #17663a; }
.warn { color: #8a5a00; font-weight: 600; }
.bad { color: #a3261c; font-weight: 600; }
`;

const SCRIPT = `(() => {
  const every = 5000;
  async function refresh() {
    try {
      const response = await fetch(location.pathname, { cache: 'no-store', headers: { accept: 'text/html' } });
      if (!response.ok) throw new Error('HTTP ' + response.status);
      const page = new DOMParser().parseFromString(await response.text(), 'text/html');
      const next = page.getElementById('edge-page');
      const current = document.getElementById('edge-page');
      if (next && current) current.replaceWith(document.adoptNode(next));
    } catch (error) {
      const note = document.getElementById('page-state');
      if (note) {
        note.textContent = 'The edge is not answering (' + error.message + '); this is what it said last.';
        note.className = 'bad';
      }
    }
    setTimeout(refresh, every);
  }
  setTimeout(refresh, every);
})();`;

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** Only the page's own style and script, and fetches of the page itself (CSP Level 3, hash-source). */
export const STATUS_PAGE_CSP = [
  "default-src 'none'",
  `style-src ${sha256(STYLE)}`,
  `script-src ${sha256(SCRIPT)}`,
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Shown per dead letter; the store keeps up to 4 KiB (dead-letter-store.ts). */
const PAYLOAD_SHOWN = 1024;

/** HTML text and attribute values: the five characters that can end or open markup. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Markup built here from fixed strings and escaped values; a plain string is always escaped. */
class Html {
  constructor(readonly markup: string) {}
}

type Part = Html | string | number | null | undefined | false | readonly Part[];

function text(part: Part): string {
  if (part === null || part === undefined || part === false) return '';
  if (part instanceof Html) return part.markup;
  if (Array.isArray(part)) return part.map(text).join('');
  return escapeHtml(String(part));
}

/** A tagged template whose interpolations are escaped unless they are Html already. */
function html(strings: TemplateStringsArray, ...parts: Part[]): Html {
  return new Html(strings.reduce((out, s, i) => out + s + (i < parts.length ? text(parts[i]) : ''), ''));
}

function entry(term: string, value: Part, tone?: 'ok' | 'warn' | 'bad' | 'muted'): Html {
  return html`<dt>${term}</dt><dd${tone ? new Html(` class="${tone}"`) : ''}>${value}</dd>`;
}

function ago(iso: string | null, now: Date): string {
  if (iso === null) return 'never';
  return `${formatDuration((now.getTime() - Date.parse(iso)) / 1000)} ago`;
}

function cloudSection(status: EdgeStatus, now: Date): Html {
  const { cloud, uplink } = status;
  const reachable =
    cloud.lastCheckAt === null
      ? entry('State', 'not checked yet', 'muted')
      : cloud.reachable
        ? entry(
            'State',
            `reachable, cloud v${cloud.cloudVersion ?? '?'} (checked ${ago(cloud.lastCheckAt, now)})`,
            'ok',
          )
        : entry(
            'State',
            `UNREACHABLE: ${cloud.lastError ?? 'unknown error'} (checked ${ago(cloud.lastCheckAt, now)})`,
            'bad',
          );
  const identity = !cloud.apiKeyConfigured
    ? entry('Identity', 'no API key configured (EDGE_API_KEY)', 'warn')
    : cloud.identity
      ? entry(
          'Identity',
          `key “${cloud.identity.keyName}” of ${cloud.identity.tenantName}, plants ${cloud.identity.plants.map((p) => p.code).join(', ') || 'none'}`,
        )
      : entry(
          'Identity',
          cloud.authError ? `NOT CONFIRMED: ${cloud.authError}` : 'not confirmed yet',
          'warn',
        );
  return html`<section aria-labelledby="cloud-title"><h2 id="cloud-title">Cloud link</h2><dl>
${entry('Cloud', cloud.url)}${reachable}${identity}
${uplink && entry('Uplink', `${uplink.state}, ${uplink.sentTotal} event(s) sent since start`, uplink.state === 'idle' || uplink.state === 'sending' ? 'ok' : 'warn')}
${uplink && entry('Last delivery', ago(uplink.lastSuccessAt, now))}
${uplink?.lastError && entry('Last error', uplink.lastError, 'bad')}
</dl></section>`;
}

function devicesSection(status: EdgeStatus): Html {
  const { broker, deviceCredentials } = status;
  if (!broker) return html``;
  const connection =
    broker.mode === 'embedded'
      ? entry('Connected devices', broker.connectedDevices ?? 0)
      : entry(
          'Plant broker',
          broker.connected ? 'connected' : `DISCONNECTED${broker.lastError ? `: ${broker.lastError}` : ''}`,
          broker.connected ? 'ok' : 'bad',
        );
  const ids = broker.deviceIds ?? [];
  return html`<section aria-labelledby="devices-title"><h2 id="devices-title">Devices</h2><dl>
${entry('Broker', `${broker.mode} ${broker.url ?? 'not started'}`)}${connection}
${deviceCredentials && entry('Device logins', describeLogins(deviceCredentials))}
</dl>${ids.length > 0 && html`<ul class="mono">${ids.map((id) => html`<li>${id}</li>`)}</ul>`}</section>`;
}

function describeLogins(logins: NonNullable<EdgeStatus['deviceCredentials']>): string {
  const from =
    logins.source === 'none' ? 'none synced yet' : `${logins.credentials} from the ${logins.source}`;
  return logins.lastError ? `${from} (last sync error: ${logins.lastError})` : from;
}

function backlogSection(status: EdgeStatus): Html {
  const { outbox, uplink, rates, ingress } = status;
  if (!outbox) return html``;
  const quotaTone =
    outbox.quotaState === 'full' ? 'bad' : outbox.quotaState === 'warning' ? 'warn' : undefined;
  const quotaNote =
    outbox.quotaState === 'full'
      ? ' — FULL, devices are not acknowledged'
      : outbox.quotaState === 'warning'
        ? ' — above 80 %'
        : '';
  const etaS = uplink?.etaS ?? null;
  const eta = etaS === null ? 'not draining' : etaS === 0 ? 'caught up' : `~${formatDuration(etaS)}`;
  return html`<section aria-labelledby="backlog-title"><h2 id="backlog-title">Backlog and rates</h2><dl>
${entry('Waiting for the cloud', `${outbox.backlogEvents} event(s)`, outbox.backlogEvents > 0 ? 'warn' : 'ok')}
${entry('Oldest waiting', outbox.oldestAgeS === null ? '—' : formatDuration(outbox.oldestAgeS))}
${entry('Outbox', `${formatBytes(outbox.bytes)} of ${formatBytes(outbox.maxBytes)} (${Math.round(outbox.quotaUsed * 100)} %)${quotaNote}`, quotaTone)}
${outbox.error && entry('Outbox failing', `${outbox.error} (restart the edge)`, 'bad')}
${entry('Time to drain', eta)}
${rates && entry('Rates', `${rates.receivedPerS}/s received, ${rates.sentPerS}/s sent`)}
${ingress && entry('Since start', `${ingress.receivedTotal} received, ${ingress.storedTotal} stored, ${ingress.deadLetteredTotal} dead-lettered, ${ingress.refusedTotal} refused, ${ingress.suppressedTotal ?? 0} suppressed by deadbands`)}
</dl></section>`;
}

function deadbandSection(status: EdgeStatus): Html {
  const { deadband } = status;
  if (!deadband) return html``;
  const source =
    deadband.source === 'none' ? 'none set' : `${deadband.rules} rule(s) from the ${deadband.source}`;
  return html`<section aria-labelledby="deadband-title"><h2 id="deadband-title">Telemetry deadbands</h2><dl>
${entry('Rules', source)}
${entry('Saved', `${deadband.samplesSuppressed} of ${deadband.samplesReceived} telemetry value(s) suppressed (${savedPercent(deadband)})`)}
${deadband.lastError && entry('Last sync error', deadband.lastError, 'warn')}
</dl>${
    deadband.metrics.length > 0 &&
    html`<table><thead><tr><th scope="col">Value</th><th scope="col">Received</th><th scope="col">Suppressed</th></tr></thead><tbody>${deadband.metrics.map(
      (m) => html`<tr><td class="mono">${m.name}</td><td>${m.received}</td><td>${m.suppressed}</td></tr>`,
    )}</tbody></table>`
  }</section>`;
}

function sparkplugSection(status: EdgeStatus): Html {
  const { sparkplug } = status;
  if (!sparkplug || (sparkplug.rules === 0 && sparkplug.receivedTotal === 0)) return html``;
  const source = sparkplug.mapping?.source;
  const rules = `${sparkplug.rules}${source === undefined || source === 'none' ? '' : ` from the ${source}`}`;
  const dropped = Object.values(sparkplug.droppedTotal).reduce((sum, n) => sum + n, 0);
  return html`<section aria-labelledby="sparkplug-title"><h2 id="sparkplug-title">Sparkplug B</h2><dl>
${entry('Rules', rules)}
${sparkplug.mapping?.lastError && entry('Last sync error', sparkplug.mapping.lastError, 'warn')}
${entry('Since start', `${sparkplug.receivedTotal} message(s) → ${sparkplug.eventsTotal} event(s), ${dropped} dropped, ${sparkplug.rebirthRequestsTotal} rebirth request(s), ${sparkplug.unmappedMetricsTotal} unmapped metric(s)`)}
</dl>${
    sparkplug.presence.length > 0 &&
    html`<table><thead><tr><th scope="col">Group / node / device</th><th scope="col">State</th><th scope="col">Machines</th></tr></thead><tbody>${sparkplug.presence.map(
      (p) =>
        html`<tr><td class="mono">${[p.group, p.node, p.device].filter((part) => part !== null).join('/')}</td><td class="${p.online ? 'ok' : 'bad'}">${p.online ? 'online' : 'offline'}</td><td class="mono">${p.machines.join(', ') || '—'}</td></tr>`,
    )}</tbody></table>`
  }</section>`;
}

function deadLettersSection(status: EdgeStatus, letters: readonly DeadLetter[]): Html {
  const count = status.deadLetters?.count ?? letters.length;
  const rows = letters.map((letter) => {
    const shown =
      letter.payload.length > PAYLOAD_SHOWN ? `${letter.payload.slice(0, PAYLOAD_SHOWN)}…` : letter.payload;
    return html`<tr><td>${letter.at}</td><td>${letter.source}</td><td class="mono">${letter.topic}</td><td>${letter.reason}</td><td><pre>${shown}</pre><span class="muted">${letter.payloadBytes} byte(s)</span></td></tr>`;
  });
  return html`<section aria-labelledby="dead-title"><h2 id="dead-title">Dead letters</h2>
<p>${count} kept in ${status.deadLetters?.file ?? 'the data folder'}${letters.length > 0 ? `; the newest ${letters.length}:` : '.'}</p>
${letters.length > 0 && html`<table class="letters"><thead><tr><th scope="col">Time</th><th scope="col">From</th><th scope="col">Topic</th><th scope="col">Reason</th><th scope="col">Payload</th></tr></thead><tbody>${rows}</tbody></table>`}
</section>`;
}

function printingSection(status: EdgeStatus): Html {
  const jobs = status.printJobs;
  if (!jobs) return html``;
  return html`<section aria-labelledby="printing-title"><h2 id="printing-title">Label printing</h2><dl>
${entry('State', `${jobs.state}, ${jobs.printedTotal} printed, ${jobs.failedTotal} failed`)}
${jobs.lastError && entry('Last error', jobs.lastError, 'bad')}
</dl></section>`;
}

/** The whole page for one moment of the edge's status. */
export function renderStatusPage(status: EdgeStatus, deadLetters: readonly DeadLetter[], now: Date): string {
  const page = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${status.name} · Plantline edge</title><style>${new Html(STYLE)}</style></head>
<body><main id="edge-page">
<h1>Edge ${status.name}</h1>
<p class="muted">v${status.version}, up ${formatDuration(status.uptimeS)}; data in <span class="mono">${status.dataDir}</span></p>
<p id="page-state" class="muted">As of ${now.toISOString()}; refreshes every 5 s.</p>
${cloudSection(status, now)}${devicesSection(status)}${backlogSection(status)}${deadbandSection(status)}${sparkplugSection(status)}${printingSection(status)}${deadLettersSection(status, deadLetters)}
</main><script>${new Html(SCRIPT)}</script></body></html>
`;
  return page.markup;
}
