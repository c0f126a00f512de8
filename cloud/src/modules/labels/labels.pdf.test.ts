import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtinLabelTemplates } from '@plantline/schema/labels';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';
import { BarcodePool } from './barcode-pool.js';
import { labelData } from './label-fixtures.js';
import { layoutLabel } from './layout.js';
import { renderLabelPdf } from './render.js';

/*
 * What a scanner reads from the printed PDF: each page rasterised by poppler's pdftoppm at 300 dpi
 * and decoded by ZXing (zxing-wasm). The decoded data must be exactly what the layout put in each
 * symbol — the SSCC, the element strings, the Digital Link URI.
 */

const pdftoppm = (() => {
  try {
    execFileSync('pdftoppm', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
// CI installs poppler-utils (.ci/run), so there a missing pdftoppm is a failure, not a skip.
if (!pdftoppm && process.env.CI === 'true')
  throw new Error('labels.pdf.test needs pdftoppm (Debian package poppler-utils)');
if (!pdftoppm)
  console.warn('labels.pdf.test: skipped, pdftoppm is not installed (Debian package poppler-utils)');

const require = createRequire(import.meta.url);
prepareZXingModule({
  overrides: { wasmBinary: readFileSync(require.resolve('zxing-wasm/reader/zxing_reader.wasm')).buffer },
});

const pool = new BarcodePool({ size: 1 });
const work = mkdtempSync(join(tmpdir(), 'plantline-labels-'));
beforeAll(() => pool.start());
afterAll(async () => {
  await pool.stop();
  rmSync(work, { recursive: true, force: true });
});

function rasterise(pdf: Buffer, name: string): Uint8Array {
  const file = join(work, `${name}.pdf`);
  writeFileSync(file, pdf);
  execFileSync('pdftoppm', ['-r', '300', '-png', '-singlefile', '-gray', file, join(work, name)]);
  return readFileSync(join(work, `${name}.png`));
}

describe.skipIf(!pdftoppm)('label PDFs, as a scanner reads them', () => {
  it.each(builtinLabelTemplates.map((template) => [template.key, template] as const))(
    '%s: every symbol decodes to exactly its data',
    async (key, template) => {
      const data = labelData();
      const png = rasterise(await renderLabelPdf(pool, template, data), key);
      const read = await readBarcodes(png, { textMode: 'HRI', tryHarder: true, maxNumberOfSymbols: 16 });
      const symbols = layoutLabel(template, data).items.flatMap((item) =>
        item.kind === 'symbol' ? [item] : [],
      );
      expect(read.map((result) => result.text).sort()).toEqual(
        symbols.map((symbol) => symbol.content).sort(),
      );
      const identifiers: Record<string, string> = {
        'gs1-128': ']C1',
        'gs1-datamatrix': ']d2',
        qrcode: ']Q1',
      };
      for (const symbol of symbols) {
        const found = read.find((result) => result.text === symbol.content);
        expect(found?.symbologyIdentifier).toBe(identifiers[symbol.symbology]);
      }
    },
  );

  it('carries the SSCC and the element string with FNC1 where GS1 needs it', async () => {
    const template = builtinLabelTemplates[0];
    if (!template) throw new Error('no built-in template');
    const png = rasterise(await renderLabelPdf(pool, template, labelData()), 'plain');
    const read = await readBarcodes(png, { textMode: 'Plain', maxNumberOfSymbols: 16, formats: ['Code128'] });
    const plain = read.map((result) => result.text);
    expect(plain).toContain('00106141411234567897');
    // (37) is variable-length and not last: FNC1 (read as GS) ends it.
    expect(plain).toContain('3740\u001d10L2405A');
  });
});
