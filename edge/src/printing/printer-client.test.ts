import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../logger';
import { closedPort } from '../testing/ports';
import { waitFor } from '../testing/wait-for';
import { PrinterClient, type PrinterClientOptions } from './printer-client';
import { FakePrinter } from './testing/fake-printer';

const log = createLogger({ logLevel: 'silent', name: 'test' });
const label = '^XA^FO50,50^A0N,40,40^FDPallet 1^FS^XZ';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function printer(options: ConstructorParameters<typeof FakePrinter>[0] = {}, port = 0) {
  const fake = new FakePrinter(options);
  await fake.listen(port);
  cleanups.push(() => fake.close());
  return fake;
}

async function client(options: Partial<PrinterClientOptions> = {}) {
  const unit = new PrinterClient({
    log,
    backoff: { baseMs: 20, capMs: 100 },
    timeouts: { connectMs: 1000, statusMs: 500, sendMs: 2000, closeGraceMs: 500 },
    ...options,
  });
  await unit.start();
  cleanups.push(() => unit.stop());
  return unit;
}

describe('PrinterClient', () => {
  it('sends a job whole and reports success', async () => {
    const fake = await printer();
    const result = await (await client()).print({ host: '127.0.0.1', port: fake.port }, label);
    expect(result).toEqual({ ok: true, status: null, error: null });
    await waitFor(() => (fake.jobs.length === 1 ? true : undefined));
    expect(fake.jobs).toEqual([label]);
  });

  it('sends the jobs of one printer one after the other, in order, one connection each', async () => {
    const fake = await printer();
    const unit = await client();
    const jobs = Array.from({ length: 5 }, (_, n) => `^XA^FO10,10^FDjob ${n}^FS^XZ`);
    const results = await Promise.all(
      jobs.map((zpl) => unit.print({ host: '127.0.0.1', port: fake.port }, zpl)),
    );
    expect(results.every((result) => result.ok)).toBe(true);
    await waitFor(() => (fake.jobs.length === 5 ? true : undefined));
    expect(fake.jobs).toEqual(jobs);
    expect(fake.connections).toBe(5);
  });

  it('asks the status first and returns it with the result', async () => {
    const fake = await printer({ status: { formats: 2 } });
    const result = await (await client()).print({ host: '127.0.0.1', port: fake.port }, label, {
      checkStatus: true,
    });
    expect(result.ok).toBe(true);
    expect(result.status).toMatchObject({
      paperOut: false,
      headOpen: false,
      formatsInBuffer: 2,
      problems: [],
    });
    await waitFor(() => (fake.jobs.length === 1 ? true : undefined));
    expect(fake.jobs).toEqual([label]);
  });

  it('does not send to a printer whose status names a problem', async () => {
    const fake = await printer({ status: { paperOut: true, headOpen: true } });
    const result = await (await client()).print({ host: '127.0.0.1', port: fake.port }, label, {
      checkStatus: true,
    });
    expect(result.ok).toBe(false);
    expect(result.error).toMatchObject({ code: 'not_ready', attempts: 1 });
    expect(result.error?.message).toBe('printer not ready: paper out, head open');
    expect(result.status?.problems).toEqual(['paper out', 'head open']);
    expect(fake.jobs).toEqual([]);
  });

  it('answers a status call on its own', async () => {
    const fake = await printer({ status: { paused: true } });
    const result = await (await client()).status({ host: '127.0.0.1', port: fake.port });
    expect(result.ok).toBe(false);
    expect(result.error?.code).toBe('not_ready');
    expect(result.status?.paused).toBe(true);
  });

  it('times out on a printer that does not answer ~HS, without retrying', async () => {
    const fake = await printer();
    const result = await (await client()).status({ host: '127.0.0.1', port: fake.port });
    expect(result.error).toMatchObject({ code: 'timeout', attempts: 1 });
    expect(fake.connections).toBe(1);
  });

  it('retries a refused connection with backoff until the printer listens', async () => {
    const port = await closedPort();
    const unit = await client({ maxAttempts: 50 });
    const printing = unit.print({ host: '127.0.0.1', port }, label);
    await new Promise((resolve) => setTimeout(resolve, 150));
    const fake = await printer({}, port);
    const result = await printing;
    expect(result.ok).toBe(true);
    await waitFor(() => (fake.jobs.length === 1 ? true : undefined));
  });

  it('gives up on a refused connection after its attempts', async () => {
    const port = await closedPort();
    const result = await (await client({ maxAttempts: 3 })).print({ host: '127.0.0.1', port }, label);
    expect(result.error).toMatchObject({ code: 'refused', attempts: 3 });
  });

  it('says a printer host name that does not resolve is the address to check', async () => {
    // RFC 6761: names under .invalid never resolve.
    const result = await (await client({ maxAttempts: 2 })).print(
      { host: 'label-printer.invalid', port: 9100 },
      label,
    );
    expect(result.error).toMatchObject({ code: 'unreachable', attempts: 2 });
    expect(result.error?.message).toMatch(
      /^no printer found by that host name on the plant network \(getaddrinfo (ENOTFOUND|EAI_AGAIN) label-printer\.invalid\); check the printer's host on the Printers page$/,
    );
  });

  it('waits for a printer busy with another sender', async () => {
    const fake = await printer({ oneAtATime: true, status: {} });
    const other: Socket = connect({ host: '127.0.0.1', port: fake.port });
    await new Promise((resolve) => other.once('connect', resolve));
    await waitFor(() => (fake.connections === 1 ? true : undefined));
    const printing = (await client({ maxAttempts: 50 })).print(
      { host: '127.0.0.1', port: fake.port },
      label,
      {
        checkStatus: true,
      },
    );
    setTimeout(() => other.end('^XA^FDother^FS^XZ'), 150);
    const result = await printing;
    expect(result.ok).toBe(true);
    await waitFor(() => (fake.jobs.includes(label) ? true : undefined));
  });

  it('reports a printer that closes during the job, and does not send it again', async () => {
    const fake = await printer({ closeAfterBytes: 1000 });
    const big = `^XA${'^FO10,10^FDline^FS'.repeat(200_000)}^XZ`;
    const result = await (await client()).print({ host: '127.0.0.1', port: fake.port }, big);
    expect(result.ok).toBe(false);
    expect(result.error).toMatchObject({ code: 'closed', attempts: 1 });
    expect(fake.connections).toBe(1);
  });

  it('refuses jobs beyond the queue bound with a clear error', async () => {
    const port = await closedPort();
    const unit = await client({ maxQueued: 1, maxAttempts: 50, backoff: { baseMs: 50, capMs: 50 } });
    const first = unit.print({ host: '127.0.0.1', port }, label);
    const second = unit.print({ host: '127.0.0.1', port }, label);
    const third = await unit.print({ host: '127.0.0.1', port }, label);
    expect(third.error).toMatchObject({ code: 'queue_full', attempts: 0 });
    expect(third.error?.message).toContain('1 jobs already wait');
    await unit.stop();
    expect((await first).error?.code).toBe('stopped');
    expect((await second).error).toMatchObject({ code: 'stopped', attempts: 0 });
  });

  it('refuses work before start and after stop', async () => {
    const unit = new PrinterClient({ log });
    expect((await unit.print({ host: '127.0.0.1', port: 9 }, label)).error?.code).toBe('stopped');
    await unit.start();
    await unit.stop();
    expect((await unit.status({ host: '127.0.0.1', port: 9 })).error?.code).toBe('stopped');
  });
});
