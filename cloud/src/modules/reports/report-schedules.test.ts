import { beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, addUser, signIn } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { type SignedIn, useTestApp } from '../../testing/app.js';
import { testEngines } from '../../testing/engines.js';
import { finishedRun } from '../../testing/reports.js';
import { deliverScheduledRuns, fireDueSchedules, type ScheduleDeps } from './schedule-runs.js';

/*
 * Schedules on both engines (docs/reports.md, "Schedules"), under a clock the test sets: a schedule at
 * the end of a plant's shift fires once when the shift has ended (a second pass, as a second cloud
 * instance would, finds nothing), its run reports that shift, and the finished run is delivered as a
 * notification with its download link to the recipients who may read the data — not to a recipient
 * without the permission. An empty run of a skip-if-empty schedule is skipped; a cron schedule
 * follows its time zone; a schedule whose maker may no longer run the report pauses.
 */

const HOUR = 3_600_000;

describe.each(testEngines)('report schedules ($name engine)', (engine) => {
  const app = useTestApp(engine);
  let admin: SignedIn;
  let plant: string;
  let deps: ScheduleDeps;
  // A shift that ended on a whole hour two days ago, in the plant's calendar.
  const shiftEnd = new Date(Math.floor(Date.now() / HOUR) * HOUR - 48 * HOUR);
  let reader: { id: string; client: ApiClient };
  let outsider: { id: string; client: ApiClient };

  beforeAll(async () => {
    admin = app.admin;
    plant = app.tenants.a.plantIds[0]!;
    const server = app.server;
    deps = {
      db: app.database.db,
      bus: server.deps.bus,
      email: null,
      log: server.deps.log,
      enqueue: (tenantId, id) => server.deps.reports.enqueue(tenantId, id),
    };
    await admin.trpc.production.shifts.create.mutate({
      plantId: plant,
      name: 'Early',
      startsAt: new Date(shiftEnd.getTime() - 8 * HOUR),
      endsAt: shiftEnd,
    });
    const roles = app.tenants.a.roleIds;
    const made = async (roleId: string) => {
      const user = await addUser(admin, { roleIds: [roleId], plantIds: [plant] });
      return { id: user.id, client: await signIn(server.url, user.email) };
    };
    reader = await made(roles.supervisor!);
    // Every shipped role reads KPIs: the outsider's role reads the audit trail only.
    const auditor = await admin.trpc.rbac.roles.create.mutate({
      key: 'trail-reader',
      name: 'Trail reader',
      permissions: ['audit.read'],
    });
    outsider = await made(auditor.id);
  });

  const create = (overrides: Record<string, unknown> = {}) =>
    admin.trpc.reports.schedules.create.mutate({
      name: 'OEE per shift',
      reportKey: 'oee-by-shift',
      plantId: plant,
      format: 'csv',
      trigger: { kind: 'shiftEnd', shiftName: null },
      recipients: [
        { kind: 'user', userId: reader.id },
        { kind: 'user', userId: outsider.id },
      ],
      skipIfEmpty: false,
      ...overrides,
    } as Parameters<typeof admin.trpc.reports.schedules.create.mutate>[0]);

  it('fires at the end of the shift once, reports that shift, and delivers to those who may read it', async () => {
    const schedule = await create();
    // Planned from now: the shift two days ago is past, so nothing is due yet.
    expect(schedule.nextRunAt).toBeNull();
    // Resumed as if two days ago, an hour before the shift ended: the end of that shift is next.
    await app.database.db.transact({ tenantId: app.tenants.a.tenantId, plantIds: 'all' }, (tx) =>
      tx.execute(
        `update report_schedules set next_run_at = '${shiftEnd.toISOString()}' where id = '${schedule.id}'` as never,
      ),
    );
    expect(await fireDueSchedules(deps, new Date(shiftEnd.getTime() - 60_000))).toEqual([]);
    const [runId] = await fireDueSchedules(deps, new Date(shiftEnd.getTime() + 30_000));
    expect(runId).toBeDefined();
    // A second instance's pass at the same moment finds it claimed.
    expect(await fireDueSchedules(deps, new Date(shiftEnd.getTime() + 30_000))).toEqual([]);
    const run = await finishedRun(admin, runId!);
    expect(run).toMatchObject({ status: 'succeeded', scheduleId: schedule.id, format: 'csv' });
    expect(run.period?.label).toMatch(/Early$/);
    expect(await deliverScheduledRuns(deps)).toBe(1);
    expect(await deliverScheduledRuns(deps)).toBe(0);
    const inbox = await reader.client.trpc.notifications.list.query({});
    const note = inbox.items.find((n) => n.kind === 'reports.scheduled');
    expect(note).toMatchObject({ link: `/api/reports/runs/${runId}/download` });
    expect(note?.title).toMatch(/^OEE per shift: .*Early$/);
    const other = await outsider.client.trpc.notifications.list.query({});
    expect(other.items.some((n) => n.kind === 'reports.scheduled')).toBe(false);
    const [delivery] = await admin.trpc.reports.schedules.deliveries.query({ id: schedule.id });
    expect(delivery).toMatchObject({ executionId: runId, status: 'delivered', recipients: 1, attempts: 1 });
  });

  it('skips an empty run when asked, and plans a cron schedule in its time zone', async () => {
    const schedule = await create({
      name: 'Empty range',
      trigger: { kind: 'cron', expression: '0 6 * * *', timeZone: 'America/New_York' },
      parameters: { period: { preset: 'range', from: new Date('2020-01-01'), to: new Date('2020-01-02') } },
      skipIfEmpty: true,
    });
    const next = new Date(schedule.nextRunAt!);
    expect(
      new Intl.DateTimeFormat('en-GB', {
        timeZone: 'America/New_York',
        hour: '2-digit',
        minute: '2-digit',
      }).format(next),
    ).toBe('06:00');
    const [runId] = await fireDueSchedules(deps, new Date(next.getTime() + 1000));
    expect((await finishedRun(admin, runId!)).rows).toBe(0);
    await deliverScheduledRuns(deps);
    const [delivery] = await admin.trpc.reports.schedules.deliveries.query({ id: schedule.id });
    expect(delivery).toMatchObject({ executionId: runId, status: 'skipped', recipients: 0 });
    expect((await admin.trpc.reports.schedules.get.query({ id: schedule.id })).nextRunAt).toBeGreaterThan(
      next.getTime(),
    );
  });

  it('refuses bad schedules with a reason, and is for holders of reports.schedule', async () => {
    await expectApiError(
      create({ trigger: { kind: 'cron', expression: 'every day', timeZone: 'UTC' } }),
      'BAD_REQUEST',
      /Not a cron expression/,
    );
    await expectApiError(
      create({ trigger: { kind: 'cron', expression: '0 6 * * *', timeZone: 'Mars/Olympus' } }),
      'BAD_REQUEST',
      /Not a time zone/,
    );
    await expectApiError(create({ plantId: null }), 'BAD_REQUEST', /follow a plant’s calendar/);
    await expectApiError(create({ recipients: [] }), 'BAD_REQUEST', /at least one recipient/);
    await expectApiError(
      outsider.client.trpc.reports.schedules.list.query({}),
      'FORBIDDEN',
      'This needs the permission reports.schedule',
    );
  });
});
