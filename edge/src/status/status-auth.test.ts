import { describe, expect, it } from 'vitest';
import { StatusAuth, statusAuthorization, statusCredentials } from './status-auth';

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
const login = { username: 'edge-admin', password: 'correct horse' };
const apiKey = 'plk_edge_secret';

describe('StatusAuth', () => {
  it('leaves the port open when the edge has no credentials of its own', () => {
    const auth = new StatusAuth({ login: undefined, apiKey: undefined });
    expect(auth.required).toBe(false);
    expect(auth.allows(undefined)).toBe(true);
    expect(auth.allows('Basic garbage')).toBe(true);
  });

  it('takes the local login by Basic, and nothing near it', () => {
    const auth = new StatusAuth({ login, apiKey: undefined });
    expect(auth.allows(basic('edge-admin', 'correct horse'))).toBe(true);
    expect(auth.allows(undefined)).toBe(false);
    expect(auth.allows(basic('edge-admin', 'correct horsE'))).toBe(false);
    expect(auth.allows(basic('edge-admin', 'correct horse '))).toBe(false);
    expect(auth.allows(basic('Edge-admin', 'correct horse'))).toBe(false);
    expect(auth.allows(basic('', 'correct horse'))).toBe(false);
    expect(auth.allows(`Basic ${Buffer.from('edge-admin').toString('base64')}`)).toBe(false);
    expect(auth.allows('Bearer correct horse')).toBe(false);
    expect(auth.allows('Digest username="edge-admin"')).toBe(false);
  });

  it('takes the API key as a Bearer token or as the Basic password under any user name', () => {
    const auth = new StatusAuth({ login, apiKey });
    expect(auth.allows(`Bearer ${apiKey}`)).toBe(true);
    expect(auth.allows(`bearer   ${apiKey}`)).toBe(true);
    expect(auth.allows(basic('anyone', apiKey))).toBe(true);
    expect(auth.allows(basic('edge-admin', 'correct horse'))).toBe(true);
    expect(auth.allows(`Bearer ${apiKey}x`)).toBe(false);
    expect(auth.allows('Bearer')).toBe(false);
    // A password that contains a colon is the part after the first one (RFC 7617 §2).
    const colon = new StatusAuth({ login: { username: 'u', password: 'a:b' }, apiKey: undefined });
    expect(colon.allows(basic('u', 'a:b'))).toBe(true);
  });

  it('is built from the edge settings, and its clients send the key first', () => {
    const env = { mqttUsername: 'edge-admin', mqttPassword: 'correct horse', apiKey };
    expect(statusCredentials(env)).toEqual({ login, apiKey });
    expect(statusCredentials({ ...env, mqttPassword: undefined }).login).toBeUndefined();
    expect(statusAuthorization(statusCredentials(env))).toBe(`Bearer ${apiKey}`);
    const withLogin = statusCredentials({ ...env, apiKey: undefined });
    expect(new StatusAuth(withLogin).allows(statusAuthorization(withLogin))).toBe(true);
    expect(statusAuthorization({ login: undefined, apiKey: undefined })).toBeUndefined();
  });
});
