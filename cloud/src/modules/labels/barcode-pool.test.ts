import { afterEach, describe, expect, it } from 'vitest';
import { DomainError } from '../../platform/index.js';
import { BarcodePool } from './barcode-pool.js';

const pools: BarcodePool[] = [];
afterEach(async () => {
  for (const pool of pools.splice(0)) await pool.stop();
});

async function started(options: ConstructorParameters<typeof BarcodePool>[0]) {
  const pool = new BarcodePool(options);
  pools.push(pool);
  await pool.start();
  return pool;
}

const qr = (n: number) => ({ bcid: 'qrcode' as const, text: `https://id.gs1.org/01/09506000134352/21/${n}` });

describe('BarcodePool', () => {
  it('draws symbols on its threads', async () => {
    const pool = await started({ size: 2 });
    const svgs = await Promise.all([1, 2, 3, 4].map((n) => pool.render(qr(n))));
    for (const svg of svgs) expect(svg).toMatch(/^<svg viewBox="0 0 \d+ \d+"/);
    expect(new Set(svgs).size).toBe(4);
  });

  it('refuses a request beyond its queue with a throttled error, and serves the rest', async () => {
    const pool = await started({ size: 1, maxQueued: 2 });
    const accepted = [1, 2, 3].map((n) => pool.render(qr(n)));
    const refused = await pool.render(qr(4)).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DomainError);
    expect(refused).toMatchObject({ code: 'throttled' });
    expect((refused as Error).message).toBe(
      'The label renderer is busy: 2 barcodes are waiting. Try again shortly.',
    );
    expect(await Promise.all(accepted)).toHaveLength(3);
  });

  it('reports data bwip-js refuses as invalid', async () => {
    const pool = await started({ size: 1 });
    const error = await pool
      .render({ bcid: 'gs1-128', text: '(00)106141411234567890' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'invalid' });
    expect((error as Error).message).toMatch(/^The barcode could not be drawn: .*checksum/i);
  });

  it('answers waiting requests when stopped, and nothing after stop', async () => {
    const pool = await started({ size: 1 });
    const waiting = [1, 2, 3].map((n) => pool.render(qr(n)).catch((error: Error) => error.message));
    await pool.stop();
    expect(await Promise.all(waiting)).toContain('the barcode pool stopped');
    await expect(pool.render(qr(1))).rejects.toThrow('the barcode pool is not running');
    await pool.start();
    await expect(pool.render(qr(1))).rejects.toThrow('the barcode pool is not running');
  });

  it('starts on its first request when nobody started it', async () => {
    const pool = new BarcodePool({ size: 1 });
    pools.push(pool);
    expect(await pool.render(qr(1))).toMatch(/^<svg /);
  });
});
