import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasValidCheckDigit } from '@plantline/schema/gs1';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../../testing/api.js';
import { type TestDatabase, testEngines, testLog } from '../../testing/engines.js';
import { startTestServer } from '../../testing/server.js';
import { DEMO_CUSTOMERS, DEMO_REQUESTS, plantDate } from './demo-logistics.js';
import { seedDemoTenant } from './demo-seed.js';

describe('a plant date', () => {
  it('counts days from the day it is in the plant’s zone', () => {
    // 23:30 UTC on 31 March is already 1 April in Berlin, still 31 March in Chicago.
    const now = new Date('2026-03-31T23:30:00Z');
    expect(plantDate(now, 'Europe/Berlin', 0)).toBe('2026-04-01');
    expect(plantDate(now, 'America/Chicago', 0)).toBe('2026-03-31');
    expect(plantDate(now, 'America/Chicago', 2)).toBe('2026-04-02');
    expect(plantDate(new Date('2026-12-30T12:00:00Z'), 'UTC', 3)).toBe('2027-01-02');
  });
});

/*
 * The demo's customers and delivery requests (docs/demo.md, "Customers and delivery requests"):
 * customers with GLNs and addresses, two carriers, and open requests for both plants over the next
 * two weeks, some promised and re-promised with the reason.
 */
describe.each(testEngines)('the demo customers and requests ($name engine)', (engine) => {
  let database: TestDatabase;
  let dataDir: string;
  let server: Awaited<ReturnType<typeof startTestServer>>;
  const email = 'admin@demo-logistics.test.plantline.local';
  const password = 'demo-password-for-tests';

  beforeAll(async () => {
    database = await engine.create();
    dataDir = mkdtempSync(join(tmpdir(), 'plantline-demo-logistics-'));
    await seedDemoTenant(database.db, { dataDir, email, password, log: testLog });
    server = await startTestServer(database.db);
  });

  afterAll(async () => {
    await server?.close();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('has customers with valid GLNs, a default ship-to each, and two carriers with tracking pages', async () => {
    const admin = await signIn(server.url, email, password);
    const { items } = await admin.trpc.logistics.customers.list.query({});
    expect(items.map((c) => c.code)).toEqual(DEMO_CUSTOMERS.map((c) => c.code).sort());
    for (const listed of items) {
      const customer = await admin.trpc.logistics.customers.get.query({ id: listed.id });
      expect(hasValidCheckDigit(customer.gln!)).toBe(true);
      expect(customer.addresses.filter((a) => a.isDefault)).toHaveLength(1);
      for (const address of customer.addresses) expect(hasValidCheckDigit(address.gln!)).toBe(true);
      expect(customer.openRequests.length).toBeGreaterThan(0);
    }
    const carriers = await admin.trpc.logistics.carriers.list.query({});
    expect(carriers.map((c) => c.code)).toEqual(['DHL', 'UPS']);
    expect(carriers.every((c) => c.trackingUrl.includes('{tracking}'))).toBe(true);
  });

  it('has open requests for both plants over the next two weeks, some promised and re-promised', async () => {
    const admin = await signIn(server.url, email, password);
    const { items } = await admin.trpc.logistics.requests.list.query({ limit: 200 });
    expect(items).toHaveLength(DEMO_REQUESTS.length);
    expect(new Set(items.map((r) => r.plantCode))).toEqual(new Set(['RIV', 'LAK']));
    // The plants' calendars run up to a day behind or ahead of UTC.
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const inTwoWeeks = new Date(Date.now() + 15 * 86_400_000).toISOString().slice(0, 10);
    for (const request of items) {
      expect(request.status).toBe('open');
      expect(request.requestedDate >= yesterday).toBe(true);
      expect(request.requestedDate <= inTwoWeeks).toBe(true);
      expect(request.number).toMatch(new RegExp(`^DR-${request.plantCode}-\\d{4}-\\d{5}$`));
    }
    expect(items.some((r) => r.latestPromisedDate === null)).toBe(true);
    const moved = items.filter((r) => r.firstPromisedDate !== r.latestPromisedDate);
    expect(moved.map((r) => r.plantCode).sort()).toEqual(['LAK', 'RIV']);
    for (const request of moved) {
      const got = await admin.trpc.logistics.requests.get.query({ id: request.id });
      expect(got.promises).toHaveLength(2);
      expect(got.promises[0]!.reason).toBe('');
      expect(got.promises[1]!.reason).not.toBe('');
      // Re-promised later than first promised, and due on the latest promise.
      expect(got.promises[1]!.promisedDate > got.promises[0]!.promisedDate).toBe(true);
      expect(got.dueDate).toBe(got.promises[1]!.promisedDate);
    }
  });
});
