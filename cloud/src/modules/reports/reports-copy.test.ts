import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, rows } from '../../db/index.js';
import { InProcessJobQueue, type Principal } from '../../platform/index.js';
import { useTestApp } from '../../testing/app.js';
import { type TestEngine, testEngines, testLog } from '../../testing/engines.js';
import { ReportRunner } from './runner.js';
import { requestRun } from './runs.js';

/*
 * A CSV extract written by the PostgreSQL server (csv-copy.ts) is the file the application writes
 * (docs/reports.md, "Formats"), byte for byte: the audit extract of entries whose text needs every
 * rule — quotes, commas and line feeds, empty text, a leading = + - @ or tab, full-width formula
 * signs, non-ASCII, an API key's actor, no plant — run once each way on the same database.
 */

const awkward = [
  { actorKind: 'user', actorName: '=HYPERLINK("x")', label: '', reason: 'a, "b"\nc', plant: true },
  { actorKind: 'api-key', actorName: 'Line edge', label: '-5', reason: null, plant: false },
  { actorKind: 'system', actorName: '@system', label: '\ttab', reason: '＝1+1', plant: true },
  { actorKind: 'user', actorName: 'Zoë', label: 'Ünit → 2', reason: '', plant: false },
] as const;

const server = testEngines.find((e) => e.name === 'server');

describe.runIf(server !== undefined)('a CSV written by the PostgreSQL server', () => {
  const app = useTestApp(server as TestEngine);
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'plantline-reports-copy-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  async function request(principal: Principal) {
    return app.database.db.transact({ tenantId: principal.tenantId, plantIds: 'all' }, (tx) =>
      requestRun(tx, principal, {
        reportKey: 'audit-extract',
        parameters: {
          period: {
            preset: 'range',
            from: new Date(Date.now() - 86_400_000),
            to: new Date(Date.now() + 86_400_000),
          },
        },
        format: 'csv',
      }),
    );
  }

  let copies = 0;
  async function run(serverCsv: boolean, principal: Principal, id: string) {
    const { db: database } = app.database;
    const copyOut = database.copyOut;
    if (copyOut === undefined) throw new Error('a server database copies out');
    // Counts the server's COPYs, to know which way each run wrote.
    const db: Database = {
      ...database,
      copyOut: (...args) => {
        copies += 1;
        return copyOut(...args);
      },
    };
    const runner = new ReportRunner({
      db,
      log: testLog,
      queue: new InProcessJobQueue(testLog),
      dir,
      retentionDays: 1,
      batchRows: 2,
      serverCsv,
    });
    await runner.execute({ tenantId: principal.tenantId, executionId: id }, new AbortController().signal);
    const [done] = await db.transact({ tenantId: principal.tenantId, plantIds: 'all' }, (tx) =>
      rows<{ status: string; rows: number; output_sha256: string; output_path: string }>(
        tx,
        sql`select status, rows, output_sha256, output_path from report_executions where id = ${id}::uuid`,
      ),
    );
    expect(done?.status).toBe('succeeded');
    const bytes = await readFile(runner.pathOf(done!.output_path));
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(done!.output_sha256);
    return { bytes, rows: Number(done!.rows) };
  }

  it('writes the bytes the application writes', async () => {
    const tenant = app.tenants.a;
    const [admin] = await app.database.db.ownerTransact(null, (tx) =>
      rows<{ id: string }>(tx, sql`select id::text from users where email = ${tenant.adminEmail}`),
    );
    // Entries written straight into the log (their hashes form no chain: this test reads, never verifies).
    await app.database.db.ownerTransact({ tenantId: tenant.tenantId, plantIds: 'all' }, async (tx) => {
      for (const [i, entry] of awkward.entries()) {
        await tx.execute(sql`
          insert into audit_log (tenant_id, seq, recorded_at, actor_kind, actor_name, action, entity_type,
                                 entity_id, entity_label, plant_id, old_values, new_values, reason,
                                 request_id, client_address, prev_hash, hash)
          values (${tenant.tenantId}::uuid, ${1_000_000 + i}, now(), ${entry.actorKind}, ${entry.actorName},
                  'machine.update', 'machine', ${`m-${i}`}, ${entry.label},
                  ${entry.plant ? tenant.plantIds[0]! : null}::uuid,
                  ${JSON.stringify({ name: '+old', note: '', limits: { max: 1 } })}::jsonb,
                  ${JSON.stringify({ name: 'new "one"', note: null })}::jsonb,
                  ${entry.reason}, ${`req-${i}`}, '::1', ${'0'.repeat(64)}, ${'f'.repeat(64)})`);
      }
    });
    const principal: Principal = {
      kind: 'user',
      tenantId: tenant.tenantId,
      userId: admin!.id,
      apiKeyId: null,
      sessionId: null,
      permissions: new Set(['audit.read']),
      plantIds: 'all',
    };
    // Both requested first, so that both read the same entries (a request is an entry).
    const first = await request(principal);
    const second = await request(principal);
    const byServer = await run(true, principal, first.id);
    expect(copies).toBe(1);
    const byApplication = await run(false, principal, second.id);
    expect(copies).toBe(1);
    const text = byApplication.bytes.toString('utf8');
    expect(byServer.bytes.toString('utf8')).toBe(text);
    expect(byServer.rows).toBe(byApplication.rows);
    expect(byServer.rows).toBeGreaterThan(awkward.length);
    expect(text).toContain(`"'=HYPERLINK(""x"")"`);
    expect(text).toContain(`"name: +old → new ""one""\nnote: """" → —\nlimits: {""max"": 1} → —"`);
  });
});
