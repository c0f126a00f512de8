import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parseGs1 } from '@plantline/schema/gs1';
import { describe, expect, it } from 'vitest';
import { prepareZXingModule } from 'zxing-wasm/reader';
import { decodeScan } from './camera-scan';
import { GS } from './shipments';

/*
 * A camera frame holding a GS1 DataMatrix (made with bwip-js for this test), read as the station page
 * reads it: the data reaches the cloud's parser with FNC1 as GS and the symbology identifier in front.
 */
const require = createRequire(import.meta.url);
prepareZXingModule({
  overrides: { wasmBinary: readFileSync(require.resolve('zxing-wasm/reader/zxing_reader.wasm')).buffer },
});

describe('reading a camera frame', () => {
  it('hands a GS1 DataMatrix over as GS1 element strings the parser reads', async () => {
    const frame = readFileSync(new URL('./test-fixtures/gs1-datamatrix.png', import.meta.url));
    const data = await decodeScan(new Uint8Array(frame));
    expect(data).toBe(`]d2010952123410001010LOT-7${GS}17271231`);
    const parsed = parseGs1(data!, { now: new Date('2026-03-02T00:00:00Z') });
    expect(parsed).toMatchObject({ ok: true, symbology: 'gs1-datamatrix' });
    expect(parsed.elements).toEqual([
      { ai: '01', value: '09521234100010' },
      { ai: '10', value: 'LOT-7' },
      { ai: '17', value: '271231' },
    ]);
  });

  it('finds nothing in data that holds no image', async () => {
    const blank = new Uint8Array(
      readFileSync(new URL('./test-fixtures/gs1-datamatrix.png', import.meta.url)).length,
    );
    expect(await decodeScan(blank)).toBeNull();
  });
});
