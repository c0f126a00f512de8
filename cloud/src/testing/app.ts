import { afterAll, beforeAll } from 'vitest';
import { type ApiClient, apiClient, signIn } from './api.js';
import type { TestDatabase, TestEngine } from './engines.js';
import { startTestServer, type TestServerOptions } from './server.js';
import { createTwoTenants } from './tenants.js';

/*
 * What most API tests start from, in one call: a fresh database on the engine, two tenants with two
 * plants each, the real server over it, and both tenants' administrators signed in. Call useTestApp at
 * the top of a describe block; its fields are there from the block's own beforeAll on, and the server
 * and database go after its last test.
 */

export type Tenants = Awaited<ReturnType<typeof createTwoTenants>>;
export type TestServer = Awaited<ReturnType<typeof startTestServer>>;
export type SignedIn = Awaited<ReturnType<typeof signIn>>;

export interface TestApp {
  readonly database: TestDatabase;
  readonly tenants: Tenants;
  readonly server: TestServer;
  /** Tenant A's administrator, signed in. */
  readonly admin: SignedIn;
  /** Tenant B's administrator, signed in. */
  readonly adminB: SignedIn;
  /** A line of `plantId` created by its tenant's administrator (A's unless `as` says otherwise). */
  line(plantId: string, code: string, options?: { name?: string; as?: ApiClient }): Promise<string>;
  /** A machine on `lineId`, created like line(). */
  machine(lineId: string, code: string, options?: { name?: string; as?: ApiClient }): Promise<string>;
  /** A client with a new API key of tenant A that may push events of `plantIds`, as an edge does. */
  edge(plantIds: readonly string[]): Promise<ApiClient & { key: string }>;
}

export function useTestApp(engine: TestEngine, options: TestServerOptions = {}): TestApp {
  type Parts = Pick<TestApp, 'database' | 'tenants' | 'server' | 'admin' | 'adminB'>;
  const state: { -readonly [K in keyof Parts]?: Parts[K] } = {};
  const ready = <K extends keyof Parts>(key: K): Parts[K] => {
    const value = state[key];
    if (value === undefined) throw new Error(`the test app's ${key} is used before its beforeAll ran`);
    return value as Parts[K];
  };

  beforeAll(async () => {
    state.database = await engine.create();
    state.tenants = await createTwoTenants(state.database.db);
    state.server = await startTestServer(state.database.db, options);
    state.admin = await signIn(state.server.url, state.tenants.a.adminEmail);
    state.adminB = await signIn(state.server.url, state.tenants.b.adminEmail);
  }, 120_000);

  afterAll(async () => {
    await state.server?.close();
    await state.database?.drop();
  });

  return {
    get database() {
      return ready('database');
    },
    get tenants() {
      return ready('tenants');
    },
    get server() {
      return ready('server');
    },
    get admin() {
      return ready('admin');
    },
    get adminB() {
      return ready('adminB');
    },
    async line(plantId, code, { name = code, as = ready('admin') } = {}) {
      return (await as.trpc.masterdata.lines.create.mutate({ plantId, code, name })).id;
    },
    async machine(lineId, code, { name = code, as = ready('admin') } = {}) {
      return (await as.trpc.masterdata.machines.create.mutate({ lineId, code, name })).id;
    },
    async edge(plantIds) {
      const { key } = await ready('admin').trpc.apiKeys.create.mutate({
        name: 'edge',
        scopes: ['ingest.write'],
        plantIds: [...plantIds],
      });
      return { ...apiClient(ready('server').url, { apiKey: key }), key };
    },
  };
}
