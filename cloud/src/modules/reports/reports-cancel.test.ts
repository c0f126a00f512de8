import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { addUser, signIn } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { useTestApp } from '../../testing/app.js';
import { testEngines } from '../../testing/engines.js';

/*
 * Cancelling a run (docs/reports.md, "Cancelling"): a running extract is held before its third batch
 * (three rows each), cancelled through the API and released; it stops there and leaves no file, not
 * even its partial one. A queued run, cancelled while the runner is stopped, is never claimed — not
 * when the runner starts again, not when its job comes anyway.
 */

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(testEngines)('cancelling a report run ($name engine)', (engine) => {
  let batches = 0;
  let hold: { reached: () => void; release: Promise<void> } | null = null;
  let stoppedAt = 0;
  const app = useTestApp(engine, {
    reports: {
      batchRows: 3,
      // Look for a cancel or a takeover before every batch, so the run stops at the batch held.
      recheckMs: 0,
      beforeBatch: async () => {
        batches += 1;
        if (hold !== null && batches === 3) {
          hold.reached();
          await hold.release;
        }
        stoppedAt = batches;
      },
    },
  });
  const lastDay = () => ({
    preset: 'range' as const,
    from: new Date(Date.now() - 86_400_000),
    to: new Date(Date.now() + 3_600_000),
  });
  const filesOf = async (id: string) => {
    const dir = app.server.deps.reports.pathOf(app.tenants.a.tenantId);
    const names = await readdir(dir).catch(() => [] as string[]);
    return names.filter((n) => n.startsWith(id));
  };

  it('stops a running extract at its next batch, deletes its partial output and audits the cancel', async () => {
    const { admin } = app;
    const plantId = app.tenants.a.plantIds[0]!;
    const line = await app.line(plantId, 'L1');
    for (const code of ['M1', 'M2', 'M3', 'M4']) await app.machine(line, code);
    let release = () => {};
    const reached = new Promise<void>((resolve) => {
      hold = { reached: resolve, release: new Promise<void>((r) => (release = r)) };
    });
    batches = 0;
    const { id } = await admin.trpc.reports.run.mutate({
      reportKey: 'audit-extract',
      parameters: { period: lastDay() },
      format: 'csv',
    });
    await reached;
    expect(await admin.trpc.reports.runGet.query({ id })).toMatchObject({
      status: 'running',
      progressRows: 3,
    });
    expect(await filesOf(id)).toEqual([`${id}.csv.part`]);

    const cancelled = await admin.trpc.reports.runCancel.mutate({ id });
    expect(cancelled).toMatchObject({ status: 'cancelled', error: expect.stringMatching(/^Cancelled by /) });
    hold = null;
    release();
    for (let i = 0; i < 200 && (await filesOf(id)).length > 0; i++) await wait(25);
    expect(await filesOf(id)).toEqual([]);
    // Released at the third batch, the runner read no fourth.
    await wait(200);
    expect(stoppedAt).toBe(3);
    expect(await admin.trpc.reports.runGet.query({ id })).toMatchObject({
      status: 'cancelled',
      progressRows: 3,
      downloadable: false,
      outputSha256: null,
    });
    await expectApiError(admin.trpc.reports.runCancel.mutate({ id }), 'CONFLICT', /already finished/);
    const trail = await admin.trpc.audit.entries.list.query({ entityType: 'report_execution', limit: 5 });
    expect(trail.entries.map((e) => [e.action, e.entityId])).toContainEqual(['report.cancel', id]);
  });

  it('never starts a queued run once cancelled; others without reports.manage may not cancel it', async () => {
    const { admin, server, tenants } = app;
    const plantId = tenants.a.plantIds[0]!;
    await server.deps.reports.stop();
    const { id } = await admin.trpc.reports.run.mutate({
      reportKey: 'oee-by-day',
      parameters: { plantId, period: lastDay() },
      format: 'csv',
    });
    expect((await admin.trpc.reports.runGet.query({ id })).status).toBe('queued');

    const operator = await addUser(admin, { roleIds: [tenants.a.roleIds.operator!], plantIds: [plantId] });
    const other = await signIn(server.url, operator.email);
    await expectApiError(other.trpc.reports.runCancel.mutate({ id }), 'FORBIDDEN', /reports\.manage/);

    await admin.trpc.reports.runCancel.mutate({ id });
    await server.deps.reports.start();
    await server.deps.reports.execute(
      { tenantId: tenants.a.tenantId, executionId: id },
      new AbortController().signal,
    );
    await wait(300);
    expect(await admin.trpc.reports.runGet.query({ id })).toMatchObject({
      status: 'cancelled',
      startedAt: null,
      progressRows: 0,
    });
    expect(await filesOf(id)).toEqual([]);
  });
});
