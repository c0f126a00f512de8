import type { Permission } from '@plantline/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../platform/index.js';
import {
  type ApiClient,
  type ApiError,
  addUser,
  type Credentials,
  signIn,
  wsClient,
} from '../../testing/api.js';
import { type SignedIn, type TestServer, useTestApp } from '../../testing/app.js';
import { testEngines } from '../../testing/engines.js';
import { envelope } from '../../testing/events.js';
import { until } from '../../testing/until.js';
import type { LiveKpiMessage } from '../kpi/index.js';

/*
 * Running subscriptions (events.live, kpi.live, auth.watchSession) end when their caller's access
 * does — sign-out, deactivation, a revoked API key, a lost plant or permission — over the real
 * WebSocket server, and deliver nothing after (live-access.ts).
 */
describe.each(testEngines)('live subscriptions end with their access ($name engine)', (engine) => {
  const app = useTestApp(engine);
  let server: TestServer;
  let admin: SignedIn;
  let edge: ApiClient;
  let plants: { a1: string; a2: string };
  const A1 = { plant: 'A1', line: 'L1', machine: 'M1' };
  const A2 = { plant: 'A2', line: 'L1', machine: 'M1' };
  const open: (() => void)[] = [];

  beforeAll(async () => {
    ({ server, admin } = app);
    const [a1, a2] = app.tenants.a.plantIds as [string, string];
    plants = { a1, a2 };
    for (const plantId of [a1, a2]) await app.machine(await app.line(plantId, 'L1'), 'M1');
    edge = await app.edge([a1, a2]);
  });

  // Runs before the test app closes the server (after hooks run last-registered first).
  afterAll(() => {
    for (const close of open) close();
  });

  async function push(...events: ReturnType<typeof envelope>[]) {
    const { results } = await edge.trpc.ingest.push.mutate({ events });
    expect(results.filter((r) => r.status !== 'accepted')).toEqual([]);
    return events.map((e) => e.id);
  }

  /** A signed-in user of tenant A with a role of its own holding `permissions`. */
  async function user(permissions: Permission[], plantIds: string[]) {
    const role = await admin.trpc.rbac.roles.create.mutate({
      key: `r-${Math.random().toString(36).slice(2, 10)}`,
      name: 'Watcher',
      permissions,
    });
    const { id, email } = await addUser(admin, { roleIds: [role.id], plantIds });
    const session = await signIn(server.url, email);
    return { id, roleId: role.id, session };
  }

  /** Records a subscription's data and its error; `ended` waits for the error. */
  function recorder<T>() {
    const data: T[] = [];
    const errors: ApiError[] = [];
    return {
      data,
      errors,
      onData: (value: T) => data.push(value),
      onError: (error: ApiError) => errors.push(error),
      ended: async () => {
        await until(() => errors.length > 0, 'the subscription to end');
        return errors[0]!;
      },
    };
  }

  function liveEvents(credentials: Credentials, input: { plantIds?: string[] } = {}) {
    const client = wsClient(server.url, credentials);
    const record = recorder<LiveEvent>();
    const subscription = client.trpc.events.live.subscribe(input, {
      onData: (batch) => {
        for (const event of batch.data.events) record.onData(event);
      },
      onError: record.onError,
    });
    const close = () => {
      subscription.unsubscribe();
      client.close();
    };
    open.push(close);
    return { ...record, close, ids: () => record.data.map((e) => e.id) };
  }

  function liveKpi(credentials: Credentials, plantId: string) {
    const client = wsClient(server.url, credentials);
    const record = recorder<LiveKpiMessage>();
    const subscription = client.trpc.kpi.live.subscribe({ plantId }, record);
    const close = () => {
      subscription.unsubscribe();
      client.close();
    };
    open.push(close);
    return {
      ...record,
      close,
      snapshot: () => until(() => record.data.length > 0, 'the snapshot'),
    };
  }

  /**
   * Pushes an event until `sub` receives one: it is then running and listening to the bus (one
   * pushed before the subscription read where the log ends is, rightly, not sent to it).
   */
  async function flowing(sub: { ids: () => string[] }, at = A1) {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const [id] = await push(envelope(at, 'state', { state: 'RUNNING' }));
      try {
        await until(() => sub.ids().includes(id!), 'a live event', 500);
        return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
      }
    }
  }

  it('ends events.live with UNAUTHORIZED when its session signs out, and sends nothing after', async () => {
    const { session } = await user(['events.read'], [plants.a1]);
    const sub = liveEvents({ token: session.token });
    const witness = liveEvents({ token: admin.token });
    await flowing(sub);
    await flowing(witness);
    const before = sub.ids();
    await session.trpc.auth.logout.mutate();
    const error = await sub.ended();
    expect({ code: error.data?.code, message: error.message }).toEqual({
      code: 'UNAUTHORIZED',
      message: 'Your session has expired; sign in again',
    });
    const [after] = await push(envelope(A1, 'count', { good: 1 }));
    await until(() => witness.ids().includes(after!), 'the later event at a subscriber still signed in');
    expect(sub.ids()).toEqual(before);
  });

  it('ends kpi.live with UNAUTHORIZED when its session signs out, and sends nothing after', async () => {
    const { session } = await user(['kpi.read'], [plants.a1]);
    const sub = liveKpi({ token: session.token }, plants.a1);
    const witness = liveKpi({ token: admin.token }, plants.a1);
    await sub.snapshot();
    await witness.snapshot();
    await session.trpc.auth.logout.mutate();
    const error = await sub.ended();
    expect({ code: error.data?.code, message: error.message }).toEqual({
      code: 'UNAUTHORIZED',
      message: 'Your session has expired; sign in again',
    });
    const received = sub.data.length;
    const seen = witness.data.length;
    await push(envelope(A1, 'state', { state: 'DOWN' }));
    await until(() => witness.data.length > seen, 'an update at a subscriber still signed in');
    expect(sub.data).toHaveLength(received);
  });

  it('ends auth.watchSession at once when the session signs out', async () => {
    const { session } = await user([], [plants.a1]);
    const client = wsClient(server.url, { token: session.token });
    const record = recorder<{ expiresAt: string }>();
    const subscription = client.trpc.auth.watchSession.subscribe(undefined, record);
    open.push(() => {
      subscription.unsubscribe();
      client.close();
    });
    await until(() => record.data.length > 0, 'the first heartbeat');
    await session.trpc.auth.logout.mutate();
    // The heartbeat itself re-reads the session only every 15 s; the bus ends it before that.
    const error = await record.ended();
    expect(error.data?.code).toBe('UNAUTHORIZED');
    expect(record.data).toHaveLength(1);
  });

  it('ends events.live and kpi.live with UNAUTHORIZED when the user is deactivated', async () => {
    const { id, session } = await user(['events.read', 'kpi.read'], [plants.a1]);
    const events = liveEvents({ token: session.token });
    const kpi = liveKpi({ token: session.token }, plants.a1);
    await flowing(events);
    await kpi.snapshot();
    await admin.trpc.users.update.mutate({ id, isActive: false });
    for (const sub of [events, kpi]) {
      const error = await sub.ended();
      expect(error.data?.code).toBe('UNAUTHORIZED');
    }
  });

  it('ends kpi.live with FORBIDDEN when the plant is taken away, and keeps the plant still in reach', async () => {
    const { id, session } = await user(['kpi.read'], [plants.a1, plants.a2]);
    const lost = liveKpi({ token: session.token }, plants.a1);
    const kept = liveKpi({ token: session.token }, plants.a2);
    await lost.snapshot();
    await kept.snapshot();
    await admin.trpc.users.setPlants.mutate({ userId: id, plantIds: [plants.a2] });
    const error = await lost.ended();
    expect({ code: error.data?.code, message: error.message }).toEqual({
      code: 'FORBIDDEN',
      message: 'You no longer have access to this plant',
    });
    const received = kept.data.length;
    await push(envelope(A2, 'state', { state: 'DOWN' }));
    await until(() => kept.data.length > received, 'an update of the plant still in reach');
    expect(kept.errors).toEqual([]);
  });

  it('ends kpi.live with FORBIDDEN when a role change or a role edit takes kpi.read away', async () => {
    const changed = await user(['kpi.read'], [plants.a1]);
    const edited = await user(['kpi.read'], [plants.a1]);
    const otherRole = await admin.trpc.rbac.roles.create.mutate({
      key: `r-${Math.random().toString(36).slice(2, 10)}`,
      name: 'Events only',
      permissions: ['events.read'],
    });
    const byRoleChange = liveKpi({ token: changed.session.token }, plants.a1);
    const byRoleEdit = liveKpi({ token: edited.session.token }, plants.a1);
    await byRoleChange.snapshot();
    await byRoleEdit.snapshot();
    await admin.trpc.users.setRoles.mutate({ userId: changed.id, roleIds: [otherRole.id] });
    await admin.trpc.rbac.roles.update.mutate({ id: edited.roleId, permissions: ['events.read'] });
    for (const sub of [byRoleChange, byRoleEdit]) {
      const error = await sub.ended();
      expect({ code: error.data?.code, message: error.message }).toEqual({
        code: 'FORBIDDEN',
        message: 'This needs the permission kpi.read',
      });
    }
  });

  it('ends events.live with UNAUTHORIZED when its API key is revoked', async () => {
    const key = await admin.trpc.apiKeys.create.mutate({
      name: 'reader',
      scopes: ['events.read'],
      plantIds: [plants.a1],
    });
    const sub = liveEvents({ apiKey: key.key });
    await flowing(sub);
    await admin.trpc.apiKeys.revoke.mutate({ id: key.id });
    const error = await sub.ended();
    expect({ code: error.data?.code, message: error.message }).toEqual({
      code: 'UNAUTHORIZED',
      message: 'API key has been revoked',
    });
  });

  it('narrows events.live without a plant filter to the plants still in reach, and ends one naming a lost plant', async () => {
    const { id, session } = await user(['events.read'], [plants.a1, plants.a2]);
    const everywhere = liveEvents({ token: session.token });
    const named = liveEvents({ token: session.token }, { plantIds: [plants.a2] });
    await flowing(everywhere, A2);
    await flowing(named, A2);
    await admin.trpc.users.setPlants.mutate({ userId: id, plantIds: [plants.a1] });
    const error = await named.ended();
    expect({ code: error.data?.code, message: error.message }).toEqual({
      code: 'FORBIDDEN',
      message: 'You no longer have access to this plant',
    });
    // One commit with an event of each plant: only the plant still in reach comes through.
    const [inA2, inA1] = await push(envelope(A2, 'count', { good: 2 }), envelope(A1, 'count', { good: 3 }));
    await until(() => everywhere.ids().includes(inA1!), 'the event of the plant still in reach');
    expect(everywhere.ids()).not.toContain(inA2);
    expect(everywhere.errors).toEqual([]);
  });

  it('leaves no listener behind when a client unsubscribes', async () => {
    const { bus } = server.deps;
    const before = bus.listenerCount('access.changed');
    const events = liveEvents({ token: admin.token });
    const kpi = liveKpi({ token: admin.token }, plants.a1);
    await flowing(events);
    await kpi.snapshot();
    expect(bus.listenerCount('access.changed')).toBe(before + 2);
    events.close();
    kpi.close();
    await until(() => bus.listenerCount('access.changed') === before, 'the listeners to go');
    expect(events.errors).toEqual([]);
    expect(kpi.errors).toEqual([]);
  });
});
