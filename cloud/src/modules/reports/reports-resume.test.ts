import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../testing/app.js';
import { parseCsv } from '../../testing/csv.js';
import { testEngines } from '../../testing/engines.js';

/*
 * A run survives a restart of its runner (docs/reports.md, "Runs"): stopped midway, it stays
 * "running" with no output; started again, the runner queues it once more and it runs to the end
 * from the start. The test holds the run before its third batch (three rows each) to stop it there.
 */

describe.each(testEngines)('a report run stopped midway ($name engine)', (engine) => {
  let batches = 0;
  let hold: { reached: () => void; release: Promise<void> } | null = null;
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
      },
    },
  });

  it('finishes after the runner is stopped and started again', async () => {
    const { admin, server } = app;
    // Some audited writes, so the extract has a few batches.
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
      parameters: {
        period: {
          preset: 'range',
          from: new Date(Date.now() - 86_400_000),
          to: new Date(Date.now() + 3_600_000),
        },
      },
      format: 'csv',
    });
    await reached;
    const midway = await admin.trpc.reports.runGet.query({ id });
    expect(midway).toMatchObject({ status: 'running', progressRows: 3 });
    expect(midway.expectedRows).toBeGreaterThan(6);

    const stopping = server.deps.reports.stop();
    hold = null;
    release();
    await stopping;
    expect(await admin.trpc.reports.runGet.query({ id })).toMatchObject({
      status: 'running',
      outputSha256: null,
    });

    await server.deps.reports.start();
    let done = await admin.trpc.reports.runGet.query({ id });
    for (let i = 0; i < 200 && done.status !== 'succeeded' && done.status !== 'failed'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      done = await admin.trpc.reports.runGet.query({ id });
    }
    expect(done).toMatchObject({
      status: 'succeeded',
      rows: midway.expectedRows,
      progressRows: midway.expectedRows,
    });
    const rows = await app.database.db.ownerTransact(
      { tenantId: app.tenants.a.tenantId, plantIds: 'all' },
      async (tx) => {
        const { sql } = await import('drizzle-orm');
        const found = (await tx.execute(
          sql`select output_path from report_executions where id = ${id}::uuid`,
        )) as unknown as {
          rows: { output_path: string }[];
        };
        return found.rows;
      },
    );
    const text = await readFile(server.deps.reports.pathOf(rows[0]!.output_path), 'utf8');
    const [, ...entries] = parseCsv(text.replace(/^\uFEFF/, ''));
    expect(entries.length).toBe(midway.expectedRows);
    // Newest first, each entry once: the restart started over rather than appending to a half file.
    const seqs = entries.map((e) => Number(e[11]));
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    expect(new Set(seqs).size).toBe(seqs.length);
  });
});
