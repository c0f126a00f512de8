import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../http/cookies.js';
import { wsClient } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { type SignedIn, useTestApp } from '../../testing/app.js';
import { parseCsv } from '../../testing/csv.js';
import { testEngines } from '../../testing/engines.js';
import { envelope } from '../../testing/events.js';
import { finishedRun } from '../../testing/reports.js';

/*
 * Runs end to end on both engines (docs/reports.md, "Runs" and "Formats"): asked for through the API,
 * done by the job, followed live, downloaded by link with the session cookie, and the output opened
 * and checked — the CSV parsed, the XLSX read back with exceljs, the PDF's text read with pdftotext.
 * Then copies and their versions, retention, and a run stopped midway that finishes after a restart.
 */

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const run = promisify(execFile);

async function download(url: string, admin: SignedIn, id: string) {
  return fetch(`${url}/api/reports/runs/${id}/download`, {
    headers: { cookie: `${SESSION_COOKIE}=${admin.token}` },
  });
}

describe.each(testEngines)('report runs ($name engine)', (engine) => {
  const app = useTestApp(engine, { reports: { batchRows: 7 } });
  let admin: SignedIn;
  const D = Math.floor(Date.now() / DAY) * DAY - 3 * DAY;
  const at = (hh: number, mm = 0) => D + hh * HOUR + mm * MIN;
  const ids = {} as { plant: string; line: string; m1: string };
  const period = { preset: 'range' as const, from: new Date(D), to: new Date(D + DAY) };

  beforeAll(async () => {
    admin = app.admin;
    ids.plant = app.tenants.a.plantIds[0]!;
    ids.line = await app.line(ids.plant, 'L1');
    ids.m1 = await app.machine(ids.line, 'M1', { name: 'Press 1' });
    const pr = admin.trpc.production;
    await pr.idealCycleTimes.set.mutate({ machineId: ids.m1, productId: null, secondsPerUnit: 60 });
    await pr.shifts.create.mutate({
      plantId: ids.plant,
      name: 'Early',
      startsAt: new Date(at(6)),
      endsAt: new Date(at(14)),
    });
    await pr.downtimeReasons.create.mutate({
      code: 'JAM',
      name: 'Jam',
      bucket: 'availability_loss',
      category: 'mechanical',
    });
    const edge = await app.edge([ids.plant]);
    const M1 = { plant: 'A1', line: 'L1', machine: 'M1' };
    await edge.trpc.ingest.push.mutate({
      events: [
        envelope(M1, 'state', { state: 'RUNNING' }, new Date(at(6))),
        envelope(M1, 'state', { state: 'DOWN', reason: 'JAM' }, new Date(at(9))),
        envelope(M1, 'state', { state: 'RUNNING' }, new Date(at(10))),
        envelope(M1, 'count', { good: 300, scrap: 12 }, new Date(at(8))),
      ],
    });
  }, 120_000);

  it('runs OEE by shift to CSV: live progress, the download named, hashed and equal to the preview', async () => {
    const parameters = { plantId: ids.plant, period };
    const ws = wsClient(app.server.url, { token: admin.token });
    const { id } = await admin.trpc.reports.run.mutate({
      reportKey: 'oee-by-shift',
      parameters,
      format: 'csv',
    });
    const seen: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const sub = ws.trpc.reports.runLive.subscribe(
        { id },
        {
          onData: (r) => {
            seen.push(r.status);
            if (r.status === 'succeeded' || r.status === 'failed') {
              sub.unsubscribe();
              resolve();
            }
          },
          onError: reject,
        },
      );
    });
    ws.close();
    expect(seen.at(-1)).toBe('succeeded');
    const done = await admin.trpc.reports.runGet.query({ id });
    expect(done).toMatchObject({
      status: 'succeeded',
      rows: 1,
      progressRows: 1,
      expectedRows: 1,
      format: 'csv',
      downloadable: true,
    });
    expect(done.period).toMatchObject({ start: D, end: D + DAY, timezone: 'UTC' });
    const response = await download(app.server.url, admin, id);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toMatch(
      new RegExp(
        `^attachment; filename="oee-by-shift-${new Date(D).toISOString().slice(0, 10)}t00-00-00-000z-[0-9a-z-]+-${id.slice(0, 8)}\\.csv"$`,
      ),
    );
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(done.outputSha256);
    expect(bytes.length).toBe(done.outputBytes);
    const [header, ...rows] = parseCsv(bytes.toString('utf8').replace(/^\uFEFF/, ''));
    expect(header).toContain('OEE (0–1)');
    expect(header).toContain('Planned busy time (min)');
    const preview = await admin.trpc.reports.preview.query({ reportKey: 'oee-by-shift', parameters });
    expect(rows).toEqual(preview.rows.map((r) => r.map((c) => (c === null ? '' : String(c)))));
    const kpi = await admin.trpc.kpi.oee.query({
      scope: { kind: 'machine', id: ids.m1 },
      window: { from: new Date(at(6)), to: new Date(at(14)) },
    });
    expect(Number(rows[0]![header!.indexOf('OEE (0–1)')])).toBe(kpi.total.oee.value);
  });

  it('runs to XLSX that exceljs reads back with numbers, formats and the header', async () => {
    const { id } = await admin.trpc.reports.run.mutate({
      reportKey: 'oee-by-shift',
      parameters: { plantId: ids.plant, period },
      format: 'xlsx',
    });
    const done = await finishedRun(admin, id);
    expect(done.status).toBe('succeeded');
    const response = await download(app.server.url, admin, id);
    expect(response.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await response.arrayBuffer());
    const sheet = workbook.worksheets[0]!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header.slice(0, 6)).toEqual(['Period', 'Shift', 'Line', 'Machine', 'Name', 'OEE (%)']);
    const row = (sheet.getRow(2).values as unknown[]).slice(1);
    const kpi = await admin.trpc.kpi.oee.query({
      scope: { kind: 'machine', id: ids.m1 },
      window: { from: new Date(at(6)), to: new Date(at(14)) },
    });
    expect(row.slice(0, 5)).toEqual([
      `${new Date(D).toISOString().slice(0, 10)} Early`,
      'Early',
      'L1',
      'M1',
      'Press 1',
    ]);
    expect(row[5]).toBe(kpi.total.oee.value);
    expect(sheet.getRow(2).getCell(6).numFmt).toBe('0.0%');
    expect(sheet.rowCount).toBe(2);
  });

  it('runs the downtime Pareto to a PDF whose text shows title, zone, codes, values, chart legend and pages', async () => {
    const { id } = await admin.trpc.reports.run.mutate({
      reportKey: 'downtime-pareto',
      parameters: { plantId: ids.plant, lineId: ids.line, machineId: ids.m1, period },
      format: 'pdf',
    });
    const done = await finishedRun(admin, id);
    expect(done.status).toBe('succeeded');
    const response = await download(app.server.url, admin, id);
    const pdf = Buffer.from(await response.arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const dir = await mkdtemp(join(tmpdir(), 'report-pdf-'));
    await writeFile(join(dir, 'r.pdf'), pdf);
    const { stdout } = await run('pdftotext', ['-layout', join(dir, 'r.pdf'), '-']);
    expect(stdout).toContain('Downtime Pareto');
    expect(stdout).toContain('Plant: A1 — A plant 1 (time zone UTC)');
    // The parameters by code and name, resolved when the run was asked for; no uuid anywhere.
    expect(stdout).toContain('Line: L1');
    expect(stdout).toContain('Machine: M1 — Press 1');
    for (const uuid of [ids.plant, ids.line, ids.m1]) expect(stdout).not.toContain(uuid);
    expect(stdout).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
    await expectApiError(
      admin.trpc.reports.run.mutate({
        reportKey: 'downtime-pareto',
        parameters: { plantId: ids.plant, machineId: '00000000-0000-4000-8000-000000000000', period },
        format: 'pdf',
      }),
      'NOT_FOUND',
      'Machine not found',
    );
    expect(stdout).toMatch(/Generated \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
    // JAM: 09:00–10:00 = 60 min, all of the Pareto.
    expect(stdout).toMatch(/JAM\s+Jam\s+mechanical\s+60\.0\s+100\.0 %\s+100\.0 %/);
    expect(stdout).toContain('Cumulative share');
    expect(stdout).toContain('Page 1 of 1');
  });

  it('extracts the audit trail as the trail lists it, written in batches', async () => {
    const { id } = await admin.trpc.reports.run.mutate({
      reportKey: 'audit-extract',
      parameters: {
        period: {
          preset: 'range',
          from: new Date(Date.now() - 86_400_000),
          to: new Date(Date.now() + 3_600_000),
        },
      },
      format: 'csv',
    });
    const done = await finishedRun(admin, id);
    expect(done.status).toBe('succeeded');
    const listed = [];
    let before: number | undefined;
    do {
      const page = await admin.trpc.audit.entries.list.query({
        limit: 200,
        ...(before === undefined ? {} : { before }),
      });
      listed.push(...page.entries);
      before = page.nextBefore ?? undefined;
    } while (before !== undefined);
    // Entries recorded after the run read the trail (later tests' writes) are not in it.
    const text = Buffer.from(await (await download(app.server.url, admin, id)).arrayBuffer()).toString(
      'utf8',
    );
    const [header, ...rows] = parseCsv(text.replace(/^\uFEFF/, ''));
    expect(header).toEqual([
      'Time (UTC)',
      'Actor',
      'Action',
      'Entity type',
      'Entity',
      'Label',
      'Plant',
      'Changes',
      'Reason',
      'Request ID',
      'Client address',
      'Seq',
      'Hash',
    ]);
    const inRun = listed.filter((e) => e.seq <= Number(rows[0]![11]));
    expect(rows.map((r) => Number(r[11]))).toEqual(inRun.map((e) => e.seq));
    expect(rows.map((r) => r[12])).toEqual(inRun.map((e) => e.hash));
    expect(done.rows).toBe(rows.length);
    expect(rows.length).toBeGreaterThan(7);
  });

  it('copies a report, adjusts columns, grouping and filters in versions, refuses a stale save', async () => {
    const { id } = await admin.trpc.reports.copy.mutate({
      from: 'oee-by-day',
      code: 'oee-daily-m',
      name: 'Daily OEE per machine',
    });
    const copy = await admin.trpc.reports.get.query({ id });
    expect(copy).toMatchObject({ kind: 'tenant', baseKey: 'oee-by-day', version: 1 });
    const saved = await admin.trpc.reports.update.mutate({
      id,
      version: 1,
      definition: {
        ...copy.definition,
        columns: ['machine', 'oee', 'scrap'],
        grouping: { time: 'day', level: 'machine' },
        filters: [{ column: 'scrap', op: 'gt', value: 10 }],
      },
      message: 'Per machine, only with scrap',
    });
    expect(saved.version).toBe(2);
    await expectApiError(
      admin.trpc.reports.update.mutate({ id, version: 1, definition: copy.definition, message: 'Late' }),
      'CONFLICT',
      /saved again since you opened it \(version 2\)/,
    );
    await expectApiError(
      admin.trpc.reports.update.mutate({
        id,
        version: 2,
        definition: { ...copy.definition, columns: ['nope'] },
        message: 'x',
      }),
      'BAD_REQUEST',
      'Unknown column nope',
    );
    await expectApiError(
      admin.trpc.reports.update.mutate({
        id,
        version: 2,
        definition: { ...copy.definition, grouping: { time: 'year' } },
        message: 'x',
      }),
      'BAD_REQUEST',
      'Group time by one of shift, day, week, period',
    );
    const preview = await admin.trpc.reports.preview.query({
      reportId: id,
      parameters: { plantId: ids.plant, period },
    });
    expect(preview.columns.map((c) => c.key)).toEqual(['machine', 'oee', 'scrap']);
    expect(preview.rows).toEqual([['M1', expect.any(Number), 12]]);
    const stricter = await admin.trpc.reports.update.mutate({
      id,
      version: 2,
      definition: { ...saved.definition, filters: [{ column: 'scrap', op: 'gt', value: 12 }] },
      message: 'More scrap',
    });
    expect(
      (await admin.trpc.reports.preview.query({ reportId: id, parameters: { plantId: ids.plant, period } }))
        .rows,
    ).toEqual([]);
    const versions = await admin.trpc.reports.versions.query({ id });
    expect(versions.map((v) => [v.version, v.message])).toEqual([
      [3, 'More scrap'],
      [2, 'Per machine, only with scrap'],
      [1, 'Copied from OEE by day'],
    ]);
    const list = await admin.trpc.reports.list.query();
    expect(list.catalogue.map((r) => r.key)).toContain('audit-extract');
    expect(list.tenant.map((r) => r.id)).toContain(id);
    await admin.trpc.reports.deactivate.mutate({ id, version: stricter.version ?? 0 });
    expect((await admin.trpc.reports.list.query()).tenant.map((r) => r.id)).not.toContain(id);
    await expectApiError(
      admin.trpc.reports.run.mutate({
        reportId: id,
        parameters: { plantId: ids.plant, period },
        format: 'csv',
      }),
      'BAD_REQUEST',
      'The report is deactivated',
    );
    const trail = await admin.trpc.audit.entries.list.query({ entityType: 'report', limit: 10 });
    expect(trail.entries.map((e) => e.action)).toEqual([
      'report.deactivate',
      'report.update',
      'report.update',
      'report.create',
    ]);
  });

  it('deletes outputs after the retention; the run stays, expired, and its link says so', async () => {
    const { id } = await admin.trpc.reports.run.mutate({
      reportKey: 'oee-by-week',
      parameters: { plantId: ids.plant, period },
      format: 'csv',
    });
    const done = await finishedRun(admin, id);
    expect(done.expiresAt).toBeGreaterThan(Date.now() + 29 * DAY);
    expect(await app.server.deps.reports.expire(Date.now())).toBe(0);
    expect(await app.server.deps.reports.expire(done.expiresAt! + 1)).toBeGreaterThanOrEqual(1);
    expect(await admin.trpc.reports.runGet.query({ id })).toMatchObject({
      status: 'succeeded',
      expired: true,
      downloadable: false,
    });
    const gone = await download(app.server.url, admin, id);
    expect(gone.status).toBe(410);
    const mine = await admin.trpc.reports.runs.query({});
    expect(mine.runs[0]!.id).toBe(id);
  });
});
