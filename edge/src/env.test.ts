import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EdgeEnvError, loadEdgeEnv } from './env';

const context = { cwd: '/srv/plant-a', hostname: 'gateway-7' };

function problemsOf(source: Record<string, string>): string[] {
  try {
    loadEdgeEnv(source, context);
  } catch (err) {
    if (err instanceof EdgeEnvError) return err.problems;
    throw err;
  }
  throw new Error('expected the environment to be rejected');
}

describe('loadEdgeEnv', () => {
  it('runs with no configuration at all', () => {
    expect(loadEdgeEnv({}, context)).toEqual({
      cloudUrl: 'http://127.0.0.1:3000',
      apiKey: undefined,
      name: 'gateway-7',
      statusHost: '127.0.0.1',
      statusPort: 8090,
      dataDir: resolve('/srv/plant-a/.plantline/edge'),
      logLevel: 'info',
      mqttHost: '127.0.0.1',
      mqttPort: 1883,
      mqttUsername: undefined,
      mqttPassword: undefined,
      mqttAllowAnonymous: false,
      brokerUrl: undefined,
      brokerClientId: 'plantline-edge-gateway-7',
      outboxMaxBytes: 2 * 1024 ** 3,
      sparkplugMapping: undefined,
    });
  });

  it('resolves the Sparkplug mapping file against the working directory', () => {
    expect(loadEdgeEnv({ EDGE_SPARKPLUG_MAPPING: 'sparkplug.json' }, context).sparkplugMapping).toBe(
      resolve('/srv/plant-a/sparkplug.json'),
    );
    expect(loadEdgeEnv({ EDGE_SPARKPLUG_MAPPING: '' }, context).sparkplugMapping).toBeUndefined();
  });

  it('reads the MQTT and outbox settings', () => {
    const env = loadEdgeEnv(
      {
        EDGE_BROKER_URL: 'mqtt://broker.plant.local:1883',
        EDGE_MQTT_USERNAME: 'edge',
        EDGE_MQTT_PASSWORD: 'secret',
        EDGE_OUTBOX_MAX_BYTES: '104857600',
        EDGE_NAME: 'press line #2',
      },
      context,
    );
    expect(env).toMatchObject({
      brokerUrl: 'mqtt://broker.plant.local:1883',
      mqttUsername: 'edge',
      brokerClientId: 'plantline-edge-press-line--2',
      outboxMaxBytes: 104_857_600,
    });
    expect(problemsOf({ EDGE_BROKER_URL: 'http://x' })[0]).toMatch(/^EDGE_BROKER_URL: must be an MQTT URL/);
    expect(problemsOf({ EDGE_MQTT_USERNAME: 'edge' })).toEqual([
      'EDGE_MQTT_USERNAME and EDGE_MQTT_PASSWORD: set both or neither',
    ]);
    expect(loadEdgeEnv({ EDGE_MQTT_ALLOW_ANONYMOUS: 'true' }, context).mqttAllowAnonymous).toBe(true);
    expect(problemsOf({ EDGE_MQTT_ALLOW_ANONYMOUS: 'yes' })).toEqual([
      'EDGE_MQTT_ALLOW_ANONYMOUS: must be true or false',
    ]);
    expect(problemsOf({ EDGE_OUTBOX_MAX_BYTES: '10' })).toEqual([
      'EDGE_OUTBOX_MAX_BYTES: must be at least 1048576 (1 MiB)',
    ]);
  });

  it('reads every variable and treats empty ones as unset', () => {
    const env = loadEdgeEnv(
      {
        EDGE_CLOUD_URL: 'https://cloud.example.com/plantline/',
        EDGE_API_KEY: 'plk_abc123',
        EDGE_NAME: ' press-line ',
        EDGE_STATUS_HOST: '0.0.0.0',
        EDGE_STATUS_PORT: '9000',
        EDGE_DATA_DIR: 'data',
        LOG_LEVEL: '',
      },
      context,
    );
    expect(env).toMatchObject({
      cloudUrl: 'https://cloud.example.com/plantline',
      apiKey: 'plk_abc123',
      name: 'press-line',
      statusHost: '0.0.0.0',
      statusPort: 9000,
      dataDir: resolve('/srv/plant-a/data'),
      logLevel: 'info',
    });
  });

  it('names the variable and the bad value for a bad port', () => {
    expect(problemsOf({ EDGE_STATUS_PORT: 'eighty' })).toEqual([
      'EDGE_STATUS_PORT: must be an integer from 0 to 65535 (got "eighty")',
    ]);
    expect(problemsOf({ EDGE_STATUS_PORT: '70000' })).toEqual([
      'EDGE_STATUS_PORT: must be at most 65535 (got 70000)',
    ]);
  });

  it('reports every problem at once, in one readable message', () => {
    const source = { EDGE_CLOUD_URL: 'ftp://x', LOG_LEVEL: 'loud', EDGE_STATUS_PORT: '-1' };
    expect(() => loadEdgeEnv(source, context)).toThrowError(
      /^Invalid edge configuration:\n {2}- EDGE_CLOUD_URL/,
    );
    expect(problemsOf(source).map((problem) => problem.split(':')[0])).toEqual([
      'EDGE_CLOUD_URL',
      'EDGE_STATUS_PORT',
      'LOG_LEVEL',
    ]);
  });

  it('rejects a malformed API key without echoing it', () => {
    const [problem] = problemsOf({ EDGE_API_KEY: 'secret-value' });
    expect(problem).toMatch(/^EDGE_API_KEY: must look like plk_/);
    expect(problem).not.toContain('secret-value');
  });
});
