import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { allPermissions, DEMO_HISTORY_FILE, DEMO_PLANTS, type DemoHistoryProgress } from '@plantline/schema';
import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Database } from '../../db/index.js';
import { rows } from '../../db/index.js';
import type { EventBus } from '../../platform/index.js';
import { seedDemoChangeOrder } from '../change-orders/index.js';
import { createDeviceCredential } from '../devices/index.js';
import { createApiKey, randomToken } from '../identity/index.js';
import { createLine, createMachine, createStation } from '../masterdata/index.js';
import { seedDemoMaterials } from '../materials/index.js';
import { notifyNow } from '../notifications/index.js';
import { seedDemoProduction } from '../production/index.js';
import { seedDemoQuality } from '../quality/index.js';
import { createTenant } from '../tenancy/index.js';
import { installDefaultWorkflows, type WorkflowEntities } from '../workflow/index.js';
import { seedDemoLogistics } from './demo-logistics.js';
import { seedDemoNcrs } from './demo-ncrs.js';
import { createDemoPeople, DEMO_PEOPLE, type DemoAppDeps, DemoDesk, demoPerson } from './demo-people.js';
import { seedDemoPrinters } from './demo-printers.js';
import { seedDemoShipments } from './demo-shipments.js';
import { seedDemoTransfers } from './demo-transfers.js';

export interface DemoCredentials {
  email: string;
  password: string;
  /** The demo's people, who sign in with the same password (demo-people.ts). */
  people: { email: string; displayName: string; part: string }[];
}

/**
 * Where the demo plants ship from, as their labels print it: made-up addresses in their time zones'
 * countries, and GLNs under the demo's GS1 company prefix (DEMO_GS1_PREFIX in demo-shipments.ts), check digits worked by
 * the GS1 rule (demo-seed.test.ts checks them).
 */
export const DEMO_PLANT_ADDRESSES: Readonly<
  Record<string, { street: string; postalCode: string; city: string; country: string; gln: string }>
> = {
  RIV: {
    street: 'Am Flusshafen 12',
    postalCode: '68159',
    city: 'Mannheim',
    country: 'DE',
    gln: '9521234000013',
  },
  LAK: {
    street: '4100 Lakeshore Drive',
    postalCode: '53403',
    city: 'Racine, WI',
    country: 'US',
    gln: '9521234000020',
  },
};

/** The demo plants (schema's demo-plant.ts), which `pnpm start`'s simulators drive. */
const DEMO_TENANT = {
  name: 'Demo Manufacturing',
  slug: 'demo',
  plants: DEMO_PLANTS.map(({ code, name, timezone }) => ({
    code,
    name,
    timezone,
    ...DEMO_PLANT_ADDRESSES[code],
  })),
};

/** The simulators' MQTT logins on the demo edge, one per plant (a login covers one plant). */
export const DEMO_DEVICE_USERNAMES: Readonly<Record<string, string>> = {
  RIV: 'demo-simulator',
  LAK: 'lakeside-simulator',
};
/** Where the simulators' device logins are kept for `pnpm start` (stack/main.ts), by plant code. */
export const DEMO_DEVICE_FILE = 'demo-device.json';
export type DemoDeviceLogins = Record<string, { username: string; password: string }>;

/**
 * First start: an empty database gets the demo tenant, two plants, an administrator and the demo's
 * people, who share the administrator's password. The password is generated (a fixed one would be an
 * open door on a real deployment) unless DEMO_ADMIN_PASSWORD sets it, and kept in the data folder,
 * readable by its owner only, so each start can print it until the administrator deletes the file.
 */
export async function seedDemoTenant(
  db: Database,
  options: {
    dataDir: string;
    email: string;
    password: string | undefined;
    /** Days of history the demo stack backfills on first start (0: none; docs/demo.md). */
    historyDays?: number;
    log: Logger;
    /** Where the welcome notification goes out; without it the demo starts with an empty inbox. */
    notifications?: { bus: EventBus; email: { readonly enabled: boolean } | null };
    /** The app's record types: the demo tenant gets the default workflows of those it has. */
    workflowEntities?: WorkflowEntities;
    /**
     * The app's parts the demo's people sign in and act with (a procedure's `ctx.deps`): with them the
     * demo's records start their workflows and are taken along them; without them the demo has no
     * NCRs and its change order no workflow (docs/demo.md, "People").
     */
    app?: DemoAppDeps;
  },
): Promise<DemoCredentials | null> {
  const credentialsFile = join(options.dataDir, 'demo-credentials.json');
  const [{ count } = { count: 0 }] = await db.ownerTransact(null, (tx) =>
    rows<{ count: number }>(tx, sql`select count(*)::int as count from tenants`),
  );
  if (count > 0) {
    if (options.workflowEntities !== undefined) await upgradeDemoWorkflows(db, options.workflowEntities);
    return readCredentials(credentialsFile);
  }

  const password = options.password ?? randomToken(12);
  const credentials: DemoCredentials = {
    email: options.email,
    password,
    people: DEMO_PEOPLE.map(({ email, displayName, part }) => ({ email, displayName, part })),
  };
  let created: Awaited<ReturnType<typeof createTenant>>;
  try {
    created = await createTenant(
      db,
      {
        ...DEMO_TENANT,
        admin: {
          email: credentials.email,
          displayName: 'Demo Administrator',
          password: credentials.password,
        },
      },
      options.workflowEntities === undefined ? {} : { workflowEntities: options.workflowEntities },
    );
  } catch (error) {
    // Another process starting against the same server seeded it first.
    if ((error as { cause?: { code?: string } }).cause?.code === '23505')
      return readCredentials(credentialsFile);
    throw error;
  }
  await seedDemoMasterData(db, created.tenantId, created.plantIds);
  await seedDemoPrinters(db, created.tenantId, created.plantIds);
  await seedDemoLogistics(db, created);
  // The demo stack's edge enrols with this key (stack/main.ts) and sends for both plants.
  const admin = {
    kind: 'user' as const,
    tenantId: created.tenantId,
    userId: created.adminUserId,
    apiKeyId: null,
    sessionId: null,
    permissions: new Set(allPermissions),
    plantIds: 'all' as const,
  };
  const scope = { tenantId: created.tenantId, plantIds: 'all' as const };
  const plantIds = Object.fromEntries(DEMO_TENANT.plants.map((p, i) => [p.code, created.plantIds[i]!]));
  await createDemoPeople(db, { ...created, plantIds }, admin, password);
  await db.ownerTransact(scope, (tx) => seedDemoMaterials(tx, admin, created.plantIds));
  if (options.app === undefined) {
    await db.ownerTransact(scope, (tx) => seedDemoChangeOrder(tx, admin));
  } else {
    const desk = new DemoDesk(options.app, password);
    try {
      await seedDemoNcrs(db, desk, { tenantId: created.tenantId, plantId: plantIds.RIV! });
      await seedChangeBoard(desk, credentials.email);
    } finally {
      await desk.close();
    }
  }
  if (options.app !== undefined) {
    await seedDemoShipments(db, options.app, created);
    await seedDemoTransfers(db, options.app, created);
  }
  writeFileSync(credentialsFile, JSON.stringify(credentials, null, 2), { mode: 0o600 });
  chmodSync(credentialsFile, 0o600);
  const edgeKey = await db.ownerTransact(scope, (tx) =>
    createApiKey(tx, admin, {
      name: 'Demo edge (both demo plants)',
      scopes: ['ingest.write'],
      plantIds: created.plantIds,
    }),
  );
  writeFileSync(join(options.dataDir, 'demo-edge.key'), edgeKey.key, { mode: 0o600 });
  // The simulators' MQTT logins on the demo edge: devices are refused without one
  // (docs/device-integration.md, "Device logins").
  const logins: DemoDeviceLogins = {};
  for (const [index, plant] of DEMO_TENANT.plants.entries()) {
    const username = DEMO_DEVICE_USERNAMES[plant.code]!;
    const device = await db.ownerTransact(scope, (tx) =>
      createDeviceCredential(tx, admin, { username, plantId: created.plantIds[index]! }),
    );
    logins[plant.code] = { username: device.username, password: device.password };
  }
  writeFileSync(join(options.dataDir, DEMO_DEVICE_FILE), JSON.stringify(logins), { mode: 0o600 });
  const historyDays = options.historyDays ?? 0;
  if (historyDays > 0) {
    const plan: DemoHistoryProgress = {
      state: 'pending',
      tenantId: created.tenantId,
      days: historyDays,
      from: null,
      to: null,
      eventsTotal: 0,
      eventsDone: 0,
      chunksDone: 0,
      eventsInDoneChunks: 0,
    };
    writeFileSync(join(options.dataDir, DEMO_HISTORY_FILE), JSON.stringify(plan));
  }
  if (options.notifications !== undefined) {
    // The bell is the first thing to show something on a new install: a welcome that says where to look.
    await notifyNow({ db, ...options.notifications }, scope, {
      to: { userIds: [created.adminUserId] },
      kind: 'demo.welcome',
      title: 'Welcome to Plantline: two demo plants are running',
      body:
        'Riverside and Lakeside send live machine events. Open the KPI board, search any record ' +
        'from the box at the top (try an order number), and see every change in Administration → Audit trail.',
      link: '/board',
    });
  }
  options.log.info({ tenant: DEMO_TENANT.name, plants: DEMO_TENANT.plants.length }, 'demo tenant created');
  return credentials;
}

/**
 * The demo's change order, raised by the administrator, who owns it, screened and sent to the change
 * board, where the first engineer has approved and signed: the board's second engineer and its
 * Quality member are still to vote, and the last vote implements it (the product's revision goes up;
 * docs/change-orders.md).
 */
async function seedChangeBoard(desk: DemoDesk, adminEmail: string) {
  const order = await desk.as(adminEmail, (ctx) => seedDemoChangeOrder(ctx.tx, ctx.principal, ctx.deps));
  if (order === null) return;
  const record = { entityType: 'change_order', entityId: order.id };
  await desk.act(adminEmail, record, { transition: 'submit' });
  await desk.act(adminEmail, record, { transition: 'send_to_board' });
  await desk.act(demoPerson('engineer1').email, record, {
    transition: 'approve',
    decision: 'approve',
    comment: 'The 5.0 mm wall clears the stress limit with margin; the second roughing pass fits the cycle.',
    signed: true,
  });
}

/**
 * Lines, machines and stations of each demo plant as schema's DEMO_PLANTS has them, so the
 * simulators' topics (plantline/v1/{plant}/{line}/{machine}/{kind}) resolve at once; then the KPI
 * master data matching the simulator: reasons, products, cycle times, shifts, defect codes, a
 * routing and an inspection plan.
 */
async function seedDemoMasterData(db: Database, tenantId: string, plantIds: readonly string[]) {
  await db.ownerTransact({ tenantId, plantIds: 'all' }, async (tx) => {
    for (const [index, plant] of DEMO_PLANTS.entries()) {
      const plantId = plantIds[index]!;
      for (const demoLine of plant.lines) {
        const line = await createLine(tx, tenantId, { plantId, code: demoLine.code, name: demoLine.name });
        for (const machine of demoLine.machines)
          await createMachine(tx, tenantId, { lineId: line.id, code: machine.code, name: machine.name });
      }
      const names = ['Packing', 'Shipping'];
      for (const [n, code] of plant.stations.entries())
        await createStation(tx, tenantId, { plantId, code, name: names[n] ?? `Station ${code}` });
    }
    const routing = await seedDemoProduction(tx, tenantId, plantIds);
    await seedDemoQuality(tx, tenantId, routing);
  });
}

/**
 * A demo database made before a record type had its default workflow gets it on the next start
 * (installDefaultWorkflows leaves types that have one alone), so the demo shows every process.
 */
async function upgradeDemoWorkflows(db: Database, entities: WorkflowEntities) {
  const [demo] = await db.ownerTransact(null, (tx) =>
    rows<{ id: string }>(tx, sql`select id from tenants where slug = ${DEMO_TENANT.slug}`),
  );
  if (demo === undefined) return;
  const scope = { tenantId: demo.id, plantIds: 'all' as const };
  await db.ownerTransact(scope, (tx) => installDefaultWorkflows(tx, scope, entities));
}

function readCredentials(file: string): DemoCredentials | null {
  if (!existsSync(file)) return null;
  const stored = JSON.parse(readFileSync(file, 'utf8')) as Omit<DemoCredentials, 'people'> &
    Partial<Pick<DemoCredentials, 'people'>>;
  // A data folder seeded before the demo had its people keeps a file without them.
  return { ...stored, people: stored.people ?? [] };
}
