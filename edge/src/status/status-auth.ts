import { createHash, timingSafeEqual } from 'node:crypto';
import type { EdgeEnv } from '../env';

/*
 * Who may read the edge's status port (docs/device-integration.md, "The edge's own page"). The port
 * shows device names, dead letters with their payloads and the cloud link, so once the edge has
 * credentials of its own it asks for them: its local login (EDGE_MQTT_USERNAME / EDGE_MQTT_PASSWORD)
 * by HTTP Basic, or its API key (EDGE_API_KEY) as a Bearer token or as the Basic password under any
 * user name — a browser can only ask for a user and a password (RFC 7617). An edge with neither has
 * nothing to check against and stays open, as before. /healthz is always open for supervisors.
 */

export interface StatusCredentials {
  login: { username: string; password: string } | undefined;
  apiKey: string | undefined;
}

export const STATUS_REALM = 'Plantline edge';

export class StatusAuth {
  readonly #login: { username: Buffer; password: Buffer } | undefined;
  readonly #apiKey: Buffer | undefined;

  constructor(credentials: StatusCredentials) {
    this.#login = credentials.login && {
      username: digest(credentials.login.username),
      password: digest(credentials.login.password),
    };
    this.#apiKey = credentials.apiKey === undefined ? undefined : digest(credentials.apiKey);
  }

  /** False when anyone may read the port: the edge has no credentials to check against. */
  get required(): boolean {
    return this.#login !== undefined || this.#apiKey !== undefined;
  }

  /** Whether a request with this Authorization header may read the port. */
  allows(authorization: string | undefined): boolean {
    if (!this.required) return true;
    if (authorization === undefined) return false;
    const [scheme, value = ''] = authorization.trim().split(/\s+/, 2);
    switch (scheme?.toLowerCase()) {
      case 'bearer':
        return this.#apiKey !== undefined && same(digest(value), this.#apiKey);
      case 'basic': {
        const decoded = Buffer.from(value, 'base64').toString('utf8');
        const colon = decoded.indexOf(':');
        if (colon < 0) return false;
        const username = digest(decoded.slice(0, colon));
        const password = digest(decoded.slice(colon + 1));
        // Every comparison runs, so how long the answer takes says nothing about which part matched.
        const login = this.#login;
        const userMatches = login !== undefined && same(username, login.username);
        const passwordMatches = login !== undefined && same(password, login.password);
        const keyMatches = this.#apiKey !== undefined && same(password, this.#apiKey);
        return (userMatches && passwordMatches) || keyMatches;
      }
      default:
        return false;
    }
  }
}

/** Equal-length digests, so timingSafeEqual compares secrets of any length in constant time. */
function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

function same(a: Buffer, b: Buffer): boolean {
  return timingSafeEqual(a, b);
}

/** What the status port asks for: the edge's own login and its API key, as configured. */
export function statusCredentials(
  env: Pick<EdgeEnv, 'mqttUsername' | 'mqttPassword' | 'apiKey'>,
): StatusCredentials {
  return {
    login:
      env.mqttUsername !== undefined && env.mqttPassword !== undefined
        ? { username: env.mqttUsername, password: env.mqttPassword }
        : undefined,
    apiKey: env.apiKey,
  };
}

/** The Authorization header a client of the port sends with the edge's own settings, if any are set. */
export function statusAuthorization(credentials: StatusCredentials): string | undefined {
  if (credentials.apiKey !== undefined) return `Bearer ${credentials.apiKey}`;
  if (credentials.login === undefined) return undefined;
  const { username, password } = credentials.login;
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}
