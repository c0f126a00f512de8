import { PassThrough } from 'node:stream';
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../http/cookies.js';
import { audit, type Principal } from '../../platform/index.js';
import { type ApiClient, addUser, signIn } from '../../testing/api.js';
import { type Tenants, type TestServer, useTestApp } from '../../testing/app.js';
import { type TestDatabase, testEngines } from '../../testing/engines.js';
import { CSV_HEADER } from './csv-row.js';
import { streamEntriesCsv } from './entries-csv.js';

/*
 * The CSV export (docs/audit.md, "Exporting"): GET /api/audit/entries.csv with the list's filters,
 * for a signed-in caller with audit.read, streamed in batches and itself recorded in the trail.
 */
describe.each(testEngines)('the audit CSV export ($name engine)', (engine) => {
  const app = useTestApp(engine);
  let database: TestDatabase;
  let tenants: Tenants;
  let server: TestServer;
  let admin: ApiClient & { token: string };
  let adminB: ApiClient & { token: string };
  const type = `valve-${Math.random().toString(36).slice(2, 8)}`;

  beforeAll(async () => {
    ({ database, tenants, server, admin, adminB } = app);
    const [plant1, plant2] = tenants.a.plantIds as [string, string];
    const scope = { tenantId: tenants.a.tenantId, userId: tenants.a.adminUserId, plantIds: 'all' as const };
    for (let i = 0; i < 5; i++) {
      await database.db.transact(scope, async (tx) => {
        audit(tx, {
          action: i === 0 ? 'valve.create' : 'valve.update',
          entityType: type,
          entityId: `v-${i}`,
          entityLabel: i === 4 ? '=HYPERLINK("http://evil.example")' : `V${i}`,
          plantId: i < 3 ? plant1 : plant2,
          before: i === 0 ? null : { setpoint: i },
          after: { setpoint: i + 1 },
        });
      });
    }
  });

  const download = (query: string, token: string | null, init: RequestInit = {}) =>
    fetch(`${server.url}/api/audit/entries.csv${query}`, {
      ...init,
      headers: token === null ? {} : { cookie: `${SESSION_COOKIE}=${token}` },
    });

  /** The rows of a CSV body, after checking it starts with the UTF-8 byte order mark spreadsheets need. */
  const parse = (bytes: Buffer) => {
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const { data } = Papa.parse<string[]>(bytes.subarray(3).toString('utf8'), { skipEmptyLines: true });
    return data;
  };
  const bodyOf = async (response: Response) => Buffer.from(await response.arrayBuffer());

  it('downloads the filtered entries newest first, readable in a spreadsheet', async () => {
    const response = await download(`?entityType=${type}&action=valve.`, admin.token);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(
      /^attachment; filename="audit-trail-\d{4}-\d\d-\d\d\.csv"$/,
    );
    const [header, ...rows] = parse(await bodyOf(response));
    expect(header).toEqual([...CSV_HEADER]);
    expect(rows.map((r) => r[3])).toEqual([4, 3, 2, 1, 0].map((i) => `${type} v-${i}`));
    const byColumn = (row: string[]) => Object.fromEntries(CSV_HEADER.map((h, i) => [h, row[i]]));
    expect(byColumn(rows[1]!)).toMatchObject({
      Actor: 'Admin A',
      Action: 'valve.update',
      Label: 'V3',
      Plant: 'A2',
    });
    expect(byColumn(rows[1]!).Changes).toBe('setpoint: 3 → 4');
    expect(byColumn(rows[4]!).Changes).toBe('setpoint: — → 1');
    // A label that would run as a formula is written as text.
    expect(byColumn(rows[0]!).Label).toBe(`'=HYPERLINK("http://evil.example")`);

    const plant1Only = parse(
      await bodyOf(await download(`?entityType=${type}&plantId=${tenants.a.plantIds[0]}`, admin.token)),
    );
    expect(plant1Only.slice(1).map((r) => r[3])).toEqual([2, 1, 0].map((i) => `${type} v-${i}`));
  });

  it('records each export with its filters in the trail', async () => {
    await download(`?entityType=${type}&from=2026-01-01T00:00:00Z`, admin.token).then((r) => r.text());
    const { entries } = await admin.trpc.audit.entries.list.query({ action: 'audit.export', limit: 1 });
    expect(entries[0]).toMatchObject({
      actorUserId: tenants.a.adminUserId,
      entityType: 'audit-trail',
      entityId: tenants.a.tenantId,
      newValues: { format: 'csv', filters: { entityType: type, from: '2026-01-01T00:00:00.000Z' } },
      clientAddress: expect.any(String),
      requestId: expect.any(String),
    });
  });

  it('streams in batches without losing or repeating an entry', async () => {
    const principal: Principal = {
      kind: 'user',
      tenantId: tenants.a.tenantId,
      userId: tenants.a.adminUserId,
      apiKeyId: null,
      sessionId: null,
      permissions: new Set(['audit.read']),
      plantIds: 'all',
    };
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (chunk: Buffer) => chunks.push(chunk));
    await streamEntriesCsv(database.db, principal, { entityType: type }, out, 2);
    const rows = parse(Buffer.concat(chunks)).slice(1);
    expect(rows.map((r) => Number(r[10]))).toEqual(
      (await admin.trpc.audit.entries.list.query({ entityType: type })).entries.map((e) => e.seq),
    );
    expect(rows).toHaveLength(5);
  });

  it('shows each caller only their tenant and plants', async () => {
    const other = parse(await bodyOf(await download(`?entityType=${type}`, adminB.token)));
    expect(other).toEqual([[...CSV_HEADER]]);
    const role = await admin.trpc.rbac.roles.create.mutate({
      key: `csv-${Math.random().toString(36).slice(2, 8)}`,
      name: 'Exporter',
      permissions: ['audit.read'],
    });
    const user = await addUser(admin, { roleIds: [role.id], plantIds: [tenants.a.plantIds[1]!] });
    const exporter = await signIn(server.url, user.email);
    const rows = parse(await bodyOf(await download(`?entityType=${type}`, exporter.token))).slice(1);
    expect(rows.map((r) => r[5])).toEqual(['A2', 'A2']);
  });

  it('refuses anonymous callers, callers without audit.read, bad filters and other methods, recording nothing', async () => {
    const exports = async () =>
      (await admin.trpc.audit.entries.list.query({ action: 'audit.export', limit: 200 })).entries.length;
    const before = await exports();
    const anonymous = await download('', null);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({
      error: { message: 'Sign in first', data: { code: 'UNAUTHORIZED' } },
    });
    const engineer = await addUser(admin, { roleIds: [tenants.a.roleIds.engineer!], plantIds: [] });
    const forbidden = await download('', (await signIn(server.url, engineer.email)).token);
    expect(forbidden.status).toBe(403);
    expect(await forbidden.json()).toMatchObject({
      error: { message: 'This needs the permission audit.read' },
    });
    const bad = await download('?from=yesterday&actorUserId=nobody', admin.token);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(
      /^Invalid input: from: .*; actorUserId: Not a valid id$/,
    );
    const post = await download('', admin.token, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(await exports()).toBe(before);
  });
});
