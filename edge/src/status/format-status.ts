import type { EdgeStatus } from './edge-status';

/** The few lines an operator needs at a glance; `--json` has the rest. */
export function formatStatus(status: EdgeStatus, url: string, now: Date): string {
  const { cloud } = status;
  const lines = [
    `edge      ${status.name} (v${status.version}), up ${formatDuration(status.uptimeS)}`,
    `status    ${url}`,
    `data dir  ${status.dataDir}`,
    `cloud     ${cloud.url}: ${describeReachability(status, now)}`,
    `identity  ${describeIdentity(status)}`,
    ...describeIngress(status),
  ];
  return `${lines.join('\n')}\n`;
}

function describeReachability({ cloud }: EdgeStatus, now: Date): string {
  if (cloud.lastCheckAt === null) return 'not checked yet';
  const ago = `checked ${formatDuration((now.getTime() - Date.parse(cloud.lastCheckAt)) / 1000)} ago`;
  if (cloud.reachable) return `reachable, cloud v${cloud.cloudVersion ?? '?'} (${ago})`;
  return `UNREACHABLE: ${cloud.lastError ?? 'unknown error'} (${ago})`;
}

function describeIdentity({ cloud }: EdgeStatus): string {
  if (!cloud.apiKeyConfigured) return 'no API key configured (EDGE_API_KEY)';
  const { identity, authError } = cloud;
  if (identity) {
    const plants = identity.plants.map((plant) => plant.code).join(', ') || 'no plants';
    const known = `key "${identity.keyName}" of ${identity.tenantName}, plants: ${plants}`;
    return authError ? `${known} (last check failed: ${authError})` : known;
  }
  return authError ? `NOT CONFIRMED: ${authError}` : 'not confirmed yet';
}

function describeIngress(status: EdgeStatus): string[] {
  const lines: string[] = [];
  const { broker, outbox, rates, deadLetters, uplink } = status;
  if (broker) {
    const where = broker.url ?? 'not started';
    const state =
      broker.mode === 'embedded'
        ? `${broker.connectedDevices ?? 0} device(s) connected`
        : broker.connected
          ? 'connected'
          : `DISCONNECTED${broker.lastError ? `: ${broker.lastError}` : ''}`;
    lines.push(`broker    ${broker.mode} ${where}, ${state}`);
  }
  if (outbox) {
    const quota = `${formatBytes(outbox.bytes)} of ${formatBytes(outbox.maxBytes)} (${Math.round(outbox.quotaUsed * 100)} %)`;
    const alarm =
      outbox.quotaState === 'full'
        ? ' — FULL, devices are not acknowledged'
        : outbox.quotaState === 'warning'
          ? ' — WARNING, above 80 %'
          : '';
    const age = outbox.oldestAgeS === null ? '' : `, oldest ${formatDuration(outbox.oldestAgeS)} old`;
    lines.push(`outbox    ${outbox.backlogEvents} event(s) waiting${age}; ${quota}${alarm}`);
    if (outbox.error) lines.push(`          FAILING: ${outbox.error} (restart the edge)`);
  }
  if (rates) lines.push(`rates     ${rates.receivedPerS}/s received, ${rates.sentPerS}/s sent`);
  if (status.deadband) lines.push(`deadband  ${describeDeadband(status.deadband)}`);
  if (status.sparkplug) lines.push(`sparkplug ${describeSparkplug(status.sparkplug)}`);
  if (uplink) {
    const eta =
      uplink.etaS === null
        ? 'not draining'
        : uplink.etaS === 0
          ? 'caught up'
          : `~${formatDuration(uplink.etaS)} to drain`;
    const error = uplink.lastError ? ` (last error: ${uplink.lastError})` : '';
    lines.push(`uplink    ${uplink.state}, ${uplink.sentTotal} sent, ${eta}${error}`);
  }
  if (status.printJobs) {
    const { state, printedTotal, failedTotal, lastError } = status.printJobs;
    const error = lastError ? ` (last error: ${lastError})` : '';
    lines.push(`printing  ${state}, ${printedTotal} printed, ${failedTotal} failed${error}`);
  }
  if (deadLetters) {
    const last = deadLetters.lastReason ? `, last: ${deadLetters.lastReason}` : '';
    lines.push(`dead      ${deadLetters.count} dead letter(s)${last} (${deadLetters.file})`);
  }
  return lines;
}

export function describeSparkplug(sparkplug: NonNullable<EdgeStatus['sparkplug']>): string {
  const { rules, receivedTotal, eventsTotal, unmappedMetricsTotal, rebirthRequestsTotal, presence } =
    sparkplug;
  const dropped = Object.values(sparkplug.droppedTotal).reduce((sum, n) => sum + n, 0);
  const online = presence.filter((entry) => entry.online).length;
  const source = sparkplug.mapping?.source;
  const from = source === undefined || source === 'none' ? '' : ` from the ${source}`;
  const failed = sparkplug.mapping?.lastError ? ` (last sync failed: ${sparkplug.mapping.lastError})` : '';
  return (
    `${rules} rule(s)${from}${failed}, ${receivedTotal} message(s) → ${eventsTotal} event(s), ${dropped} dropped, ` +
    `${rebirthRequestsTotal} rebirth request(s), ${unmappedMetricsTotal} unmapped metric(s), ` +
    `${online} of ${presence.length} node(s)/device(s) online`
  );
}

function describeDeadband(deadband: NonNullable<EdgeStatus['deadband']>): string {
  const { rules, source, samplesReceived, samplesSuppressed, lastError } = deadband;
  const from = source === 'none' ? 'none set' : `${rules} rule(s) from the ${source}`;
  const saved = `${samplesSuppressed} of ${samplesReceived} telemetry value(s) suppressed (${savedPercent(deadband)})`;
  return `${from}; ${saved}${lastError ? ` (last sync error: ${lastError})` : ''}`;
}

/** The share of telemetry values the deadbands kept off the outbox and the uplink. */
export function savedPercent({
  samplesReceived,
  samplesSuppressed,
}: NonNullable<EdgeStatus['deadband']>): string {
  if (samplesReceived === 0) return '0 %';
  return `${Math.round((samplesSuppressed / samplesReceived) * 1000) / 10} %`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
  return `${Math.floor(s / 86_400)}d ${Math.floor((s % 86_400) / 3600)}h`;
}
