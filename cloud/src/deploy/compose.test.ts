import { readFileSync } from 'node:fs';
import { edgeEnvKeys, loadEdgeEnv } from '@plantline/edge';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cloudEnvKeys, loadCloudEnv } from '../env.js';

/*
 * No Docker engine runs here, so the deployment is checked by parsing: the
 * compose file is valid YAML of the expected shape, every variable it gives a service is one that
 * service reads, and the values it passes pass the services' own validation.
 */
const composeDir = new URL('../../../compose/', import.meta.url);
const compose = parse(readFileSync(new URL('docker-compose.yml', composeDir), 'utf8')) as {
  services: Record<
    string,
    { environment?: Record<string, string>; command?: string[]; build?: { dockerfile: string } }
  >;
};

/** Compose interpolation, with the values an operator's .env gives for the required variables. */
function interpolate(value: string): string {
  const operatorEnv: Record<string, string> = {
    POSTGRES_PASSWORD: 'owner-secret',
    PLANTLINE_APP_PASSWORD: 'app-secret-123',
  };
  return String(value).replace(
    /\$\{(\w+)(?::([-?])([^}]*))?\}/g,
    (_, name: string, operator?: string, word?: string) => {
      const given = operatorEnv[name];
      if (given !== undefined) return given;
      if (operator === '?') throw new Error(`compose requires ${name}: ${word}`);
      return word ?? '';
    },
  );
}

function environmentOf(service: string): Record<string, string> {
  const environment = compose.services[service]?.environment ?? {};
  return Object.fromEntries(Object.entries(environment).map(([k, v]) => [k, interpolate(v)]));
}

describe('compose deployment', () => {
  it('has the database, cloud and edge services, and an optional plant broker', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['cloud', 'edge', 'mosquitto', 'timescaledb']);
  });

  it('gives the cloud only variables it reads, with values it accepts', () => {
    const environment = environmentOf('cloud');
    expect(Object.keys(environment).filter((k) => !cloudEnvKeys.includes(k))).toEqual([]);
    const env = loadCloudEnv(environment);
    expect(env.DATABASE_URL).toBe('postgres://plantline_owner:owner-secret@timescaledb:5432/plantline');
    expect(env.HOST).toBe('0.0.0.0');
    // Optional settings left empty by the operator are unset, not invalid.
    expect(env.SMTP_URL).toBeUndefined();
    expect(env.AUDIT_SIGNING_KEY).toBeUndefined();
  });

  it('gives the edge only variables it reads, with values it accepts', () => {
    const environment = environmentOf('edge');
    expect(Object.keys(environment).filter((k) => !edgeEnvKeys.includes(k))).toEqual([]);
    const env = loadEdgeEnv(environment);
    expect(env.cloudUrl).toBe('http://cloud:3000');
  });

  it('builds both services from the Dockerfile with the pinned pnpm', () => {
    const dockerfile = readFileSync(new URL('Dockerfile', composeDir), 'utf8');
    const rootPackage = JSON.parse(readFileSync(new URL('../package.json', composeDir), 'utf8')) as {
      packageManager: string;
    };
    expect(dockerfile).toContain(`npm install -g ${rootPackage.packageManager}`);
    for (const service of ['cloud', 'edge']) {
      expect(compose.services[service]?.build?.dockerfile).toBe('compose/Dockerfile');
    }
  });
});
