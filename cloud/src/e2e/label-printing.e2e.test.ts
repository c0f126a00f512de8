import { createServer } from 'node:net';
import { createLogger, FakePrinter, PrinterClient, PrintJobRunner } from '@plantline/edge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../testing/api.js';
import { useTestApp } from '../testing/app.js';
import { testEngines } from '../testing/engines.js';
import { packedPallet } from '../testing/packed-packages.js';

/*
 * A label from the cloud to a printer through the edge's print jobs (docs/labels.md, "Issuing and
 * printing"): the real cloud server on each engine, the edge's PrintJobRunner and PrinterClient with
 * the edge's API key, and a printer on a loopback port. A label printed in the cloud arrives at the
 * printer as ZPL and its print shows `printed`; a printer that refuses shows `failed` with the error.
 */
describe.each(testEngines)('printing a label through the edge ($name engine)', (engine) => {
  const app = useTestApp(engine);
  const log = createLogger({ logLevel: 'silent', name: 'edge' });
  let admin: ApiClient;
  let plantId: string;
  let printer: FakePrinter;
  let printers: PrinterClient;
  let runner: PrintJobRunner;

  beforeAll(async () => {
    ({ admin } = app);
    plantId = app.tenants.a.plantIds[0]!;
    printer = new FakePrinter({ status: {} });
    await printer.listen();
    const edge = await app.edge([plantId]);
    printers = new PrinterClient({ log, maxAttempts: 2, backoff: { baseMs: 20, capMs: 50 } });
    runner = new PrintJobRunner({
      cloudUrl: app.server.url,
      apiKey: edge.key,
      printers,
      log,
      waitMs: 5_000,
      backoff: { baseMs: 50, capMs: 200 },
    });
    await printers.start();
    await runner.start();
  });

  afterAll(async () => {
    await runner?.stop();
    await printers?.stop();
    await printer?.close();
  });

  async function issued() {
    const packed = await packedPallet(app.database.db, { tenantId: app.tenants.a.tenantId, plantId });
    const label = await admin.trpc.logistics.labels.issue.mutate({
      packageId: packed.packageId,
      templateKey: 'pallet-4x6',
    });
    return { label, sscc: packed.sscc! };
  }

  const printed = async (printId: string) => {
    const { items } = await admin.trpc.logistics.printing.log.query({ limit: 200 });
    const print = items.find((item) => item.id === printId);
    return print?.status === 'printed' || print?.status === 'failed' ? print : undefined;
  };

  it('prints a label queued in the cloud on the plant’s printer, as ZPL, and shows it printed', async () => {
    const dock = await admin.trpc.logistics.printers.create.mutate({
      plantId,
      code: 'DOCK-1',
      name: 'Dock 1',
      host: '127.0.0.1',
      port: printer.port,
    });
    const { label, sscc } = await issued();
    const print = await admin.trpc.logistics.labels.print.mutate({
      labelId: label.id,
      printerId: dock.id,
      copies: 2,
    });
    await expect
      .poll(() => printed(print.id), { timeout: 15_000 })
      .toMatchObject({
        status: 'printed',
        error: null,
        printerStatus: { paperOut: false, problems: [] },
      });
    expect(printer.jobs).toHaveLength(1);
    const [zpl] = printer.jobs;
    expect(zpl).toMatch(/^\^XA\n/);
    expect(zpl).toContain(`^FD(00)${sscc}^FS`);
    expect(zpl).toMatch(/\^PQ2\n\^XZ\n$/);
    expect(runner.status()).toMatchObject({ printedTotal: 1, failedTotal: 0 });
  });

  it('shows a print on a printer that refuses as failed, with the error', async () => {
    const nowhere = await admin.trpc.logistics.printers.create.mutate({
      plantId,
      code: 'GONE',
      name: 'Unplugged',
      host: '127.0.0.1',
      port: await closedPort(),
    });
    const { label } = await issued();
    const print = await admin.trpc.logistics.labels.print.mutate({
      labelId: label.id,
      printerId: nowhere.id,
    });
    await expect
      .poll(() => printed(print.id), { timeout: 15_000 })
      .toMatchObject({ status: 'failed', printerStatus: null });
    const [log] = (await admin.trpc.logistics.printing.log.query({ printerId: nowhere.id })).items;
    expect(log?.error).toMatch(/ \(refused\)$/);
    expect(runner.status()).toMatchObject({ failedTotal: 1 });
    expect(runner.status().lastError).toMatch(/^GONE: /);
  });
});

/** A loopback port nothing listens on: a printer that is switched off. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}
