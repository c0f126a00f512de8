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

function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
  return `${Math.floor(s / 86_400)}d ${Math.floor((s % 86_400) / 3600)}h`;
}
