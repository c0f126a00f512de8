import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { edgeEnvKeys, loadEdgeEnv } from '@plantline/edge';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cloudEnvKeys, loadCloudEnv } from '../env.js';

/*
 * No Docker engine runs here, so the deployment is checked by parsing: the
 * compose files are valid YAML of the expected shape, every variable it gives a service is one that
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
function interpolate(value: string, given: Record<string, string> = {}): string {
  const operatorEnv: Record<string, string> = {
    POSTGRES_PASSWORD: 'owner-secret',
    PLANTLINE_APP_PASSWORD: 'app-secret-123',
    ...given,
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

/*
 * The scaled-out deployment (docker-compose.scale.yml, docs/sizing.md): two cloud instances over one
 * database behind nginx. What makes two instances one service is checked here: the same database,
 * signing key and report folder, their own data folders, a balancer that reaches both and carries
 * WebSockets and edge batches, and an edge that goes through it.
 */
describe('scaled-out compose deployment', () => {
  const scaled = parse(readFileSync(new URL('docker-compose.scale.yml', composeDir), 'utf8'), {
    merge: true,
  }) as {
    services: Record<string, { environment?: Record<string, string>; volumes?: string[] }>;
  };
  const nginx = readFileSync(new URL('nginx-scale.conf', composeDir), 'utf8');
  const signingKey = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' });
  const operatorEnv = { AUDIT_SIGNING_KEY: String(signingKey) };
  const clouds = ['cloud-1', 'cloud-2'];
  const environmentOfScaled = (service: string) =>
    Object.fromEntries(
      Object.entries(scaled.services[service]?.environment ?? {}).map(([k, v]) => [
        k,
        interpolate(v, operatorEnv),
      ]),
    );

  it('has the database, two cloud instances, a balancer, the edge and a plant broker', () => {
    expect(Object.keys(scaled.services).sort()).toEqual([
      'balancer',
      'cloud-1',
      'cloud-2',
      'edge',
      'mosquitto',
      'timescaledb',
    ]);
  });

  it('runs both instances on one database, signing key and report folder, each with its own data folder', () => {
    const envs = clouds.map((service) => {
      const environment = environmentOfScaled(service);
      expect(Object.keys(environment).filter((k) => !cloudEnvKeys.includes(k))).toEqual([]);
      return loadCloudEnv(environment);
    });
    for (const env of envs) {
      expect(env.DATABASE_URL).toBe('postgres://plantline_owner:owner-secret@timescaledb:5432/plantline');
      expect(env.AUDIT_SIGNING_KEY).toBeDefined();
      expect(env.DEMO_SEED).toBe(false);
      expect(env.TRUST_PROXY).toBe(true);
      expect(env.REPORTS_DIR).toBe('/reports');
    }
    const volumes = clouds.map((service) => scaled.services[service]?.volumes ?? []);
    expect(volumes.map((v) => v.filter((mount) => mount.endsWith(':/reports')))).toEqual([
      ['reports:/reports'],
      ['reports:/reports'],
    ]);
    const dataVolumes = volumes.map((v) => v.find((mount) => mount.endsWith(':/data')));
    expect(new Set(dataVolumes).size).toBe(2);
    // Without the key an operator is stopped by compose itself, not by two chains signed apart.
    expect(() => interpolate(scaled.services['cloud-1']!.environment!.AUDIT_SIGNING_KEY!)).toThrow(
      'compose requires AUDIT_SIGNING_KEY',
    );
  });

  it('balances over both instances, carrying WebSockets and whole edge batches', () => {
    for (const service of clouds) {
      const port = environmentOfScaled(service).PORT;
      expect(nginx).toMatch(new RegExp(`server ${service}:${port}\\b`));
    }
    expect(nginx).toContain('proxy_set_header Upgrade $http_upgrade;');
    expect(nginx).toContain('proxy_set_header Connection $connection_upgrade;');
    const bodyLimit = /client_max_body_size (\d+)m;/.exec(nginx);
    const cloudLimit = loadCloudEnv(environmentOfScaled('cloud-1')).MAX_BODY_BYTES;
    expect(Number(bodyLimit?.[1]) * 1024 * 1024).toBeGreaterThanOrEqual(cloudLimit);
    expect(scaled.services.balancer?.volumes).toContain('./nginx-scale.conf:/etc/nginx/nginx.conf:ro');
  });

  it('sends the edge through the balancer, listening on the plant broker', () => {
    const environment = environmentOfScaled('edge');
    expect(Object.keys(environment).filter((k) => !edgeEnvKeys.includes(k))).toEqual([]);
    const env = loadEdgeEnv(environment);
    const listen = /listen (\d+);/.exec(nginx)?.[1];
    expect(env.cloudUrl).toBe(`http://balancer:${listen}`);
    expect(env.brokerUrl).toBe('mqtt://mosquitto:1883');
  });
});
