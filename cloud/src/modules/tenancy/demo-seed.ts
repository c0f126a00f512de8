import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { allPermissions } from '@plantline/schema';
import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Database } from '../../db/index.js';
import { rows } from '../../db/index.js';
import { createDeviceCredential } from '../devices/index.js';
import { createApiKey, randomToken } from '../identity/index.js';
import { createLine, createMachine, createStation } from '../masterdata/index.js';
import { seedDemoProduction } from '../production/index.js';
import { seedDemoQuality } from '../quality/index.js';
import { createTenant } from './tenants.js';

export interface DemoCredentials {
  email: string;
  password: string;
}

const DEMO_TENANT = {
  name: 'Demo Manufacturing',
  slug: 'demo',
  plants: [
    { code: 'RIV', name: 'Riverside Assembly', timezone: 'Europe/Berlin' },
    { code: 'LAK', name: 'Lakeside Machining', timezone: 'America/Chicago' },
  ],
};

export const DEMO_DEVICE_USERNAME = 'demo-simulator';
/** Where the simulator's device login is kept for `pnpm start` (stack/main.ts). */
export const DEMO_DEVICE_FILE = 'demo-device.json';

/** The plant `pnpm start`'s simulator drives, whose shift calendar its breaks follow. */
export const demoSimulatedPlant = DEMO_TENANT.plants[0]!;

/**
 * First start: an empty database gets the demo tenant, two plants and an administrator. The
 * password is generated (a fixed one would be an open door on a real deployment) unless
 * DEMO_ADMIN_PASSWORD sets it, and kept in the data folder, readable by its owner only, so each
 * start can print it until the administrator deletes the file.
 */
export async function seedDemoTenant(
  db: Database,
  options: { dataDir: string; email: string; password: string | undefined; log: Logger },
): Promise<DemoCredentials | null> {
  const credentialsFile = join(options.dataDir, 'demo-credentials.json');
  const [{ count } = { count: 0 }] = await db.ownerTransact(null, (tx) =>
    rows<{ count: number }>(tx, sql`select count(*)::int as count from tenants`),
  );
  if (count > 0) return readCredentials(credentialsFile);

  const credentials = { email: options.email, password: options.password ?? randomToken(12) };
  let created: Awaited<ReturnType<typeof createTenant>>;
  try {
    created = await createTenant(db, {
      ...DEMO_TENANT,
      admin: { email: credentials.email, displayName: 'Demo Administrator', password: credentials.password },
    });
  } catch (error) {
    // Another process starting against the same server seeded it first.
    if ((error as { cause?: { code?: string } }).cause?.code === '23505')
      return readCredentials(credentialsFile);
    throw error;
  }
  await seedDemoMasterData(db, created.tenantId, created.plantIds);
  writeFileSync(credentialsFile, JSON.stringify(credentials, null, 2), { mode: 0o600 });
  chmodSync(credentialsFile, 0o600);
  // The demo stack's edge enrols with this key (stack/main.ts); it sends for the first plant only.
  const admin = {
    kind: 'user' as const,
    tenantId: created.tenantId,
    userId: created.adminUserId,
    apiKeyId: null,
    sessionId: null,
    permissions: new Set(allPermissions),
    plantIds: 'all' as const,
  };
  const edgeKey = await db.ownerTransact({ tenantId: created.tenantId, plantIds: 'all' }, (tx) =>
    createApiKey(tx, admin, {
      name: 'Demo edge (Riverside Assembly)',
      scopes: ['ingest.write'],
      plantIds: created.plantIds.slice(0, 1),
    }),
  );
  writeFileSync(join(options.dataDir, 'demo-edge.key'), edgeKey.key, { mode: 0o600 });
  // The simulator's MQTT login on the demo edge: devices are refused without one (edge README).
  const device = await db.ownerTransact({ tenantId: created.tenantId, plantIds: 'all' }, (tx) =>
    createDeviceCredential(tx, admin, { username: DEMO_DEVICE_USERNAME, plantId: created.plantIds[0]! }),
  );
  writeFileSync(
    join(options.dataDir, DEMO_DEVICE_FILE),
    JSON.stringify({ username: device.username, password: device.password }),
    { mode: 0o600 },
  );
  options.log.info({ tenant: DEMO_TENANT.name, plants: DEMO_TENANT.plants.length }, 'demo tenant created');
  return credentials;
}

/**
 * Lines, machines and stations for each demo plant, so the simulator's topics
 * (plantline/v1/{plant}/{line}/{machine}/{kind}) resolve at once: lines L1, L2 with machines M1–M5
 * each, and stations S1, S2. Then the KPI master data matching the simulator: reasons, products,
 * cycle times, shifts (past 30 days and 8 weeks ahead), defect codes, a routing and a plan.
 */
export const DEMO_LINES = ['L1', 'L2'] as const;
export const DEMO_MACHINES = ['M1', 'M2', 'M3', 'M4', 'M5'] as const;
export const DEMO_STATIONS = ['S1', 'S2'] as const;

async function seedDemoMasterData(db: Database, tenantId: string, plantIds: readonly string[]) {
  await db.ownerTransact({ tenantId, plantIds: 'all' }, async (tx) => {
    for (const plantId of plantIds) {
      for (const lineCode of DEMO_LINES) {
        const line = await createLine(tx, tenantId, {
          plantId,
          code: lineCode,
          name: `Line ${lineCode.slice(1)}`,
        });
        for (const code of DEMO_MACHINES) {
          await createMachine(tx, tenantId, {
            lineId: line.id,
            code,
            name: `${lineCode} machine ${code.slice(1)}`,
          });
        }
      }
      for (const code of DEMO_STATIONS) {
        await createStation(tx, tenantId, { plantId, code, name: `Station ${code.slice(1)}` });
      }
    }
    // What the KPI engine needs for the simulator's plant (issue 4 §1, §4).
    const routing = await seedDemoProduction(tx, tenantId, plantIds);
    await seedDemoQuality(tx, tenantId, routing);
  });
}

function readCredentials(file: string): DemoCredentials | null {
  if (!existsSync(file)) return null;
  return JSON.parse(readFileSync(file, 'utf8')) as DemoCredentials;
}
