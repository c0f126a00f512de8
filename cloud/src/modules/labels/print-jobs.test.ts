import { setTimeout as sleep } from 'node:timers/promises';
import type { PrintJob } from '@plantline/schema';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, apiClient } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { useTestApp } from '../../testing/app.js';
import { auditTrail, expectEntries } from '../../testing/audit-entries.js';
import { testEngines } from '../../testing/engines.js';
import { packedPallet } from '../../testing/packed-packages.js';
import { failSilentPrints, NO_RESULT_MESSAGE, PRINT_RESULT_TIMEOUT_MS } from './print-jobs.js';

/*
 * The edge's side of printing through the API (docs/labels.md, "Issuing and printing"): claiming jobs
 * of its own plants with their ZPL, never the same job twice — not to two edges at once, not again
 * after five minutes without a result — the long poll woken by a print, the results, and who may call.
 */
describe.each(testEngines)('print jobs ($name engine)', (engine) => {
  const app = useTestApp(engine);
  let admin: ApiClient;
  let plant1: string;
  let plant2: string;
  let edge1: ApiClient & { key: string };
  let printer1: string;
  let printer2: string;

  beforeAll(async () => {
    ({ admin } = app);
    [plant1, plant2] = app.tenants.a.plantIds as [string, string];
    edge1 = await app.edge([plant1]);
    const create = (plantId: string, code: string, dotsPerMm: 8 | 12) =>
      admin.trpc.logistics.printers.create.mutate({
        plantId,
        code,
        name: code,
        host: '127.0.0.1',
        dotsPerMm,
      });
    printer1 = (await create(plant1, 'P1', 12)).id;
    printer2 = (await create(plant2, 'P2', 8)).id;
  });

  /** A new label at the plant, queued `copies` times on its printer (reprints give a reason). */
  async function queuePrint(plantId = plant1, copies = 1) {
    const packed = await packedPallet(app.database.db, { tenantId: app.tenants.a.tenantId, plantId });
    const label = await admin.trpc.logistics.labels.issue.mutate({
      packageId: packed.packageId,
      templateKey: 'pallet-4x6',
    });
    const printerId = plantId === plant1 ? printer1 : printer2;
    return admin.trpc.logistics.labels.print.mutate({ labelId: label.id, printerId, copies });
  }

  /** Claims until nothing is left, with no wait. */
  async function drain(client: ApiClient): Promise<PrintJob[]> {
    const all: PrintJob[] = [];
    for (;;) {
      const { jobs } = await client.trpc.logistics.printing.jobs.mutate({ waitMs: 0 });
      if (jobs.length === 0) return all;
      all.push(...jobs);
    }
  }

  const statusOf = async (printId: string) =>
    (await admin.trpc.logistics.printing.log.query({ limit: 200 })).items.find(
      (print) => print.id === printId,
    );

  it('hands an edge the jobs of its plants, with ZPL at the printer’s density, as sent', async () => {
    await drain(edge1);
    const trail = auditTrail(app.database.db, app.tenants.a);
    const here = await queuePrint(plant1, 3);
    const there = await queuePrint(plant2);
    const mark = await trail.lastSeq();
    const [job, ...rest] = await drain(edge1);
    expect(rest).toEqual([]);
    expect(job).toMatchObject({
      printId: here.id,
      labelId: here.labelId,
      printer: { id: printer1, code: 'P1', host: '127.0.0.1', port: 9100 },
      copies: 3,
    });
    // 12 dots per mm: the 4×6″ label is 1219 dots wide.
    expect(job?.zpl).toMatch(/^\^XA\n\^CI28\n\^PW1219\n/);
    expect(job?.zpl).toMatch(/\^PQ3\n\^XZ\n$/);
    expect(job?.zpl).toContain(`^FD(00)${here.sscc}^FS`);
    expect(await statusOf(here.id)).toMatchObject({ status: 'sent', attempts: 1 });
    expect((await statusOf(here.id))?.sentAt).not.toBeNull();
    expect(await statusOf(there.id)).toMatchObject({ status: 'queued', attempts: 0 });
    expectEntries(await trail.since(mark), [
      {
        action: 'label_print.send',
        entityId: here.id,
        actorKind: 'api-key',
        actorName: 'edge',
        oldValues: { status: 'queued' },
        newValues: { status: 'sent', printerCode: 'P1' },
        reason: 'Claimed by the plant’s edge to print',
      },
    ]);
  });

  it('never gives two edges polling at once the same job', async () => {
    await drain(edge1);
    const edge2 = await app.edge([plant1]);
    const queued = new Set<string>();
    for (let n = 0; n < 14; n++) queued.add((await queuePrint()).id);
    const [a, b] = await Promise.all([drain(edge1), drain(edge2)]);
    const claimedA = a.map((job) => job.printId);
    const claimedB = b.map((job) => job.printId);
    expect(claimedA.filter((id) => claimedB.includes(id))).toEqual([]);
    expect(new Set([...claimedA, ...claimedB])).toEqual(queued);
  });

  it('wakes a waiting edge as soon as a print is queued, and only for its plants', async () => {
    await drain(edge1);
    const bus = app.server.deps.bus;
    const listeners = bus.listenerCount('labels.print-queued');
    const waiting = edge1.trpc.logistics.printing.jobs.mutate({ waitMs: 20_000 });
    await expect.poll(() => bus.listenerCount('labels.print-queued')).toBe(listeners + 1);
    // A print at another plant does not end the wait.
    await queuePrint(plant2);
    await sleep(100);
    expect(bus.listenerCount('labels.print-queued')).toBe(listeners + 1);
    const print = await queuePrint(plant1);
    const queuedAt = Date.now();
    const { jobs } = await waiting;
    // Well inside the 20 s the edge was ready to wait.
    expect(Date.now() - queuedAt).toBeLessThan(5_000);
    expect(jobs.map((job) => job.printId)).toEqual([print.id]);

    // Nothing queued: the call answers with no jobs once its wait is over.
    const { jobs: none } = await edge1.trpc.logistics.printing.jobs.mutate({ waitMs: 200 });
    expect(none).toEqual([]);
  });

  it('claims nothing for an edge that stopped waiting', async () => {
    await drain(edge1);
    const bus = app.server.deps.bus;
    const listeners = bus.listenerCount('labels.print-queued');
    const stop = new AbortController();
    const waiting = edge1.trpc.logistics.printing.jobs
      .mutate({ waitMs: 20_000 }, { signal: stop.signal })
      .catch((error: unknown) => error);
    await expect.poll(() => bus.listenerCount('labels.print-queued')).toBe(listeners + 1);
    stop.abort();
    await waiting;
    await expect.poll(() => bus.listenerCount('labels.print-queued')).toBe(listeners);
    const print = await queuePrint(plant1);
    await sleep(100);
    expect(await statusOf(print.id)).toMatchObject({ status: 'queued' });
  });

  it('records the printer’s answer once, and refuses a result for a print not waiting for one', async () => {
    await drain(edge1);
    const ok = await queuePrint();
    const bad = await queuePrint();
    await drain(edge1);
    const status = {
      paperOut: false,
      paused: false,
      headOpen: false,
      ribbonOut: false,
      bufferFull: false,
      corruptRam: false,
      underTemperature: false,
      overTemperature: false,
      labelWaiting: false,
      formatsInBuffer: 0,
      labelsRemaining: 0,
      problems: [],
    };
    const trail = auditTrail(app.database.db, app.tenants.a);
    const mark = await trail.lastSeq();
    const report = { printId: ok.id, ok: true, status, error: null };
    expect(await edge1.trpc.logistics.printing.result.mutate(report)).toEqual({
      printId: ok.id,
      status: 'printed',
    });
    // A report repeated after a lost answer changes nothing.
    expect(await edge1.trpc.logistics.printing.result.mutate(report)).toEqual({
      printId: ok.id,
      status: 'printed',
    });
    expect(await statusOf(ok.id)).toMatchObject({ status: 'printed', printerStatus: status, error: null });
    expect((await statusOf(ok.id))?.completedAt).not.toBeNull();
    await edge1.trpc.logistics.printing.result.mutate({
      printId: bad.id,
      ok: false,
      status: { ...status, paperOut: true, problems: ['paper out'] },
      error: { code: 'not_ready', message: 'The printer is not ready: paper out' },
    });
    expect(await statusOf(bad.id)).toMatchObject({
      status: 'failed',
      error: 'The printer is not ready: paper out (not_ready)',
    });
    expectEntries(await trail.since(mark), [
      {
        action: 'label_print.printed',
        entityId: ok.id,
        actorKind: 'api-key',
        newValues: { status: 'printed' },
      },
      {
        action: 'label_print.failed',
        entityId: bad.id,
        newValues: { status: 'failed', printerProblems: ['paper out'] },
        reason: 'The printer’s answer, reported by the plant’s edge',
      },
    ]);
    await expectApiError(
      edge1.trpc.logistics.printing.result.mutate({ ...report, printId: bad.id }),
      'CONFLICT',
      'The print is failed, not waiting for a result',
    );
    const queued = await queuePrint();
    await expectApiError(
      edge1.trpc.logistics.printing.result.mutate({ ...report, printId: queued.id }),
      'CONFLICT',
      'The print is queued, not waiting for a result',
    );
    // A print of a plant outside the key's reach is not there for it.
    const elsewhere = await queuePrint(plant2);
    await expectApiError(
      edge1.trpc.logistics.printing.result.mutate({ ...report, printId: elsewhere.id }),
      'NOT_FOUND',
      'Print not found',
    );
    await expectApiError(
      edge1.trpc.logistics.printing.result.mutate({ ...report, error: { code: 'timeout', message: 'x' } }),
      'BAD_REQUEST',
    );
  });

  it('fails a job left sent for five minutes without a result, and never hands it out again', async () => {
    const scope = { tenantId: app.tenants.a.tenantId, plantIds: 'all' as const };
    // What earlier tests left sent goes first, as it would have by now.
    await drain(edge1);
    const later = new Date(Date.now() + PRINT_RESULT_TIMEOUT_MS + 60_000);
    await app.database.db.transact(scope, (tx) => failSilentPrints(tx, later));
    const silent = await queuePrint();
    await drain(edge1);
    const waiting = await queuePrint();
    const justBefore = new Date(Date.now() + PRINT_RESULT_TIMEOUT_MS - 5_000);
    expect(await app.database.db.transact(scope, (tx) => failSilentPrints(tx, justBefore))).toBe(0);
    const after = new Date(Date.now() + PRINT_RESULT_TIMEOUT_MS + 1_000);
    expect(await app.database.db.transact(scope, (tx) => failSilentPrints(tx, after))).toBe(1);
    expect(await statusOf(silent.id)).toMatchObject({
      status: 'failed',
      error: NO_RESULT_MESSAGE,
      attempts: 1,
    });
    expect(await statusOf(waiting.id)).toMatchObject({ status: 'queued' });
    expect((await drain(edge1)).map((job) => job.printId)).toEqual([waiting.id]);
  });

  it('takes jobs only from an edge’s key that may send plant data', async () => {
    await expectApiError(
      admin.trpc.logistics.printing.jobs.mutate({ waitMs: 0 }),
      'FORBIDDEN',
      'Print jobs are taken by a plant’s edge, with its API key',
    );
    const { key } = await admin.trpc.apiKeys.create.mutate({
      name: 'reader',
      scopes: ['logistics.read'],
      plantIds: [plant1],
    });
    const reader = apiClient(app.server.url, { apiKey: key });
    await expectApiError(
      reader.trpc.logistics.printing.jobs.mutate({ waitMs: 0 }),
      'FORBIDDEN',
      'This needs the permission ingest.write',
    );
    await expectApiError(
      reader.trpc.logistics.printing.result.mutate({
        printId: crypto.randomUUID(),
        ok: true,
        status: null,
        error: null,
      }),
      'FORBIDDEN',
    );
    await expectApiError(edge1.trpc.logistics.printing.jobs.mutate({ waitMs: 25_001 }), 'BAD_REQUEST');
    await expectApiError(
      apiClient(app.server.url).trpc.logistics.printing.jobs.mutate({ waitMs: 0 }),
      'UNAUTHORIZED',
    );
  });
});
