import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PrintJob, PrintResultReport } from '@plantline/schema';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../logger';
import { serveOnLoopback } from '../testing/local-http-server';
import { closedPort } from '../testing/ports';
import { waitFor } from '../testing/wait-for';
import { PrintJobRunner } from './print-jobs';
import { PrinterClient } from './printer-client';
import { FakePrinter } from './testing/fake-printer';

/*
 * The edge's print jobs against a stand-in for the cloud's two procedures and a printer on a loopback
 * port: a job is printed and its result reported, a refused printer reported as failed, a cloud that
 * fails is retried with backoff, and stop ends a long poll the cloud is holding. The real cloud is in
 * cloud/src/e2e/label-printing.e2e.test.ts.
 */
const log = createLogger({ logLevel: 'silent', name: 'test' });
const KEY = 'plk_test_printing';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface FakePrintCloud {
  url: string;
  /** Jobs the next poll gets; a poll finding none waits for some, as the cloud's long poll does. */
  queue: PrintJob[];
  results: PrintResultReport[];
  polls: number;
  /** Answer polls with 503 while set. */
  down: boolean;
  /** Polls being held open. */
  holding: number;
  add(job: PrintJob): void;
}

async function fakePrintCloud(): Promise<FakePrintCloud> {
  const waiters = new Set<() => void>();
  const state = {
    queue: [] as PrintJob[],
    results: [] as PrintResultReport[],
    polls: 0,
    down: false,
    holding: 0,
    add(job: PrintJob) {
      state.queue.push(job);
      for (const wake of waiters) wake();
    },
  };
  const reply = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null') as unknown;
    if (req.headers.authorization !== `Bearer ${KEY}`)
      return reply(res, 401, { error: { message: 'unknown key', data: { code: 'UNAUTHORIZED' } } });
    if (req.url === '/trpc/logistics.printing.result') {
      state.results.push(body as PrintResultReport);
      const { printId, ok } = body as PrintResultReport;
      return reply(res, 200, { result: { data: { printId, status: ok ? 'printed' : 'failed' } } });
    }
    state.polls++;
    if (state.down)
      return reply(res, 503, {
        error: { message: 'down for the test', data: { code: 'SERVICE_UNAVAILABLE' } },
      });
    if (state.queue.length === 0) {
      state.holding++;
      await new Promise<void>((resolve) => {
        const wake = () => {
          waiters.delete(wake);
          resolve();
        };
        waiters.add(wake);
        setTimeout(wake, (body as { waitMs: number }).waitMs);
        res.once('close', wake);
      });
      state.holding--;
    }
    reply(res, 200, { result: { data: { jobs: state.queue.splice(0) } } });
  };
  const server = await serveOnLoopback((req, res) => void handle(req, res));
  cleanups.push(() => server.close());
  return Object.assign(state, { url: server.url });
}

async function printerAt(options: ConstructorParameters<typeof FakePrinter>[0] = { status: {} }) {
  const printer = new FakePrinter(options);
  await printer.listen();
  cleanups.push(() => printer.close());
  return printer;
}

async function runner(cloud: FakePrintCloud, waitMs = 2000) {
  const printers = new PrinterClient({
    log,
    maxAttempts: 1,
    timeouts: { connectMs: 1000, statusMs: 500, sendMs: 2000, closeGraceMs: 500 },
  });
  await printers.start();
  const unit = new PrintJobRunner({
    cloudUrl: cloud.url,
    apiKey: KEY,
    printers,
    log,
    waitMs,
    backoff: { baseMs: 20, capMs: 50 },
  });
  await unit.start();
  cleanups.push(async () => {
    await unit.stop();
    await printers.stop();
  });
  return unit;
}

let printIds = 0;
const job = (port: number, zpl = '^XA^FDPallet^FS^PQ1\n^XZ'): PrintJob => ({
  printId: `00000000-0000-4000-8000-${String(++printIds).padStart(12, '0')}`,
  labelId: '00000000-0000-4000-8000-000000000999',
  printer: { id: '00000000-0000-4000-8000-000000000100', code: 'DOCK-1', host: '127.0.0.1', port },
  copies: 1,
  zpl,
});

describe('PrintJobRunner', () => {
  it('prints the jobs it is given and reports each, asking the printer’s status first', async () => {
    const cloud = await fakePrintCloud();
    const printer = await printerAt({ status: { formats: 0 } });
    const unit = await runner(cloud);
    const first = job(printer.port, '^XA^FDone^FS\n^XZ');
    const second = job(printer.port, '^XA^FDtwo^FS\n^XZ');
    cloud.add(first);
    cloud.add(second);
    await waitFor(() => (cloud.results.length === 2 ? true : undefined));
    expect(printer.jobs).toEqual([first.zpl, second.zpl]);
    expect(cloud.results.map((result) => [result.printId, result.ok, result.error])).toEqual([
      [first.printId, true, null],
      [second.printId, true, null],
    ]);
    expect(cloud.results[0]?.status).toMatchObject({ paperOut: false, problems: [] });
    expect(unit.status()).toMatchObject({ printedTotal: 2, failedTotal: 0, lastError: null });
  });

  it('reports a printer that refuses, or names a problem, as failed with why', async () => {
    const cloud = await fakePrintCloud();
    const unit = await runner(cloud);
    const nobody = job(await closedPort());
    cloud.add(nobody);
    await waitFor(() => (cloud.results.length === 1 ? true : undefined));
    expect(cloud.results[0]).toMatchObject({
      printId: nobody.printId,
      ok: false,
      error: { code: 'refused' },
    });
    const jammed = await printerAt({ status: { paperOut: true } });
    cloud.add(job(jammed.port));
    await waitFor(() => (cloud.results.length === 2 ? true : undefined));
    expect(cloud.results[1]).toMatchObject({
      ok: false,
      status: { paperOut: true, problems: ['paper out'] },
      error: { code: 'not_ready' },
    });
    expect(jammed.jobs).toEqual([]);
    expect(unit.status()).toMatchObject({ printedTotal: 0, failedTotal: 2 });
    expect(unit.status().lastError).toMatch(/^DOCK-1: /);
  });

  it('backs off while the cloud fails, and carries on once it answers', async () => {
    const cloud = await fakePrintCloud();
    cloud.down = true;
    const printer = await printerAt();
    const unit = await runner(cloud);
    await waitFor(() => (cloud.polls >= 3 ? true : undefined));
    expect(unit.status().lastError).toMatch(/SERVICE_UNAVAILABLE: down for the test/);
    cloud.down = false;
    cloud.add(job(printer.port));
    await waitFor(() => (unit.status().printedTotal === 1 ? true : undefined));
  });

  it('ends a long poll the cloud is holding when it stops', async () => {
    const cloud = await fakePrintCloud();
    const unit = await runner(cloud, 20_000);
    await waitFor(() => (cloud.holding === 1 ? true : undefined));
    const stopping = Date.now();
    await unit.stop();
    expect(Date.now() - stopping).toBeLessThan(2000);
    expect(unit.status().state).toBe('stopped');
    await waitFor(() => (cloud.holding === 0 ? true : undefined));
  });
});
