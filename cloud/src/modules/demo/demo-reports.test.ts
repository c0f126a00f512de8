import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../../testing/app.js';
import { testEngines } from '../../testing/engines.js';
import { TEST_PASSWORD } from '../../testing/tenants.js';
import { demoPerson } from './demo-people.js';
import { type DemoReportsDeps, seedDemoReports } from './demo-reports.js';

/*
 * The demo's reports (docs/demo.md, "Reports"): nothing while the history backfill runs; once it is
 * done, the supervisor's three runs and the shift-end schedule, asked for once — a second check, as
 * after a restart, adds nothing. Given a tenant shaped like the demo's where it matters: a Riverside
 * plant (RIV) and the supervisor's email.
 */
describe.each(testEngines)('demo reports ($name engine)', (engine) => {
  const app = useTestApp(engine);
  let deps: DemoReportsDeps;
  let tenantId: string;

  beforeAll(async () => {
    const { admin, server } = app;
    tenantId = app.tenants.a.tenantId;
    const riv = await admin.trpc.tenancy.plants.create.mutate({
      code: 'RIV',
      name: 'Riverside',
      timezone: 'UTC',
    });
    await admin.trpc.users.create.mutate({
      email: demoPerson('supervisor').email,
      displayName: 'Petra Novak',
      password: TEST_PASSWORD,
      roleIds: [app.tenants.a.roleIds.supervisor!],
      plantIds: [riv.id],
    });
    deps = {
      db: app.database.db,
      log: server.deps.log,
      historyFile: join(await mkdtemp(join(tmpdir(), 'plantline-demo-reports-')), 'history.json'),
      enqueue: (tenant, run) => server.deps.reports.enqueue(tenant, run),
    };
  });

  const progress = (state: string) =>
    writeFile(
      deps.historyFile,
      JSON.stringify({
        state,
        tenantId,
        days: 1,
        from: null,
        to: null,
        eventsTotal: 1,
        eventsDone: 1,
        chunksDone: 1,
      }),
    );

  it('waits for the history, then runs three reports and schedules OEE for every shift end, once', async () => {
    expect(await seedDemoReports(deps)).toBe(true);
    await progress('running');
    expect(await seedDemoReports(deps)).toBe(false);
    await progress('done');
    expect(await seedDemoReports(deps)).toBe(true);
    const { runs } = await app.admin.trpc.reports.runs.query({ all: true });
    expect(runs.map((r) => `${r.reportKey} ${r.format}`).sort()).toEqual([
      'downtime-pareto pdf',
      'oee-by-shift pdf',
      'oee-by-shift xlsx',
    ]);
    const schedules = await app.admin.trpc.reports.schedules.list.query({ reportKey: 'oee-by-shift' });
    expect(schedules.map((s) => [s.name, s.trigger.kind, s.format])).toEqual([
      ['OEE after every shift', 'shiftEnd', 'pdf'],
    ]);
    expect(await seedDemoReports(deps)).toBe(true);
    expect((await app.admin.trpc.reports.runs.query({ all: true })).runs).toHaveLength(3);
  });
});
