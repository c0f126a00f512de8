import { prepareZXingModule, type ReaderOptions, readBarcodes } from 'zxing-wasm/reader';
import { scanData } from './shipments';

/*
 * Reading a barcode from a phone's camera at the packing station (docs/logistics.md, "Packing by
 * scanning"): ZXing (zxing-wasm) reads GS1 DataMatrix, GS1 QR, GS1-128, DataBar and EAN/UPC from a
 * frame; the text comes as the symbol carries it, FNC1 as GS, behind its AIM symbology identifier, so
 * the cloud reads a camera scan exactly as a wedge scanner's.
 */

export const CAMERA_READER_OPTIONS: ReaderOptions = {
  formats: ['AllGS1', 'EAN13', 'EAN8', 'UPCA', 'UPCE'],
  // Plain keeps FNC1 as the GS character; HRI would rewrite GS1 data as "(01)…".
  textMode: 'Plain',
  tryHarder: true,
  maxNumberOfSymbols: 1,
};

/** Loads the reader's WebAssembly from `url` (served with the app) rather than from a CDN. */
export function useReaderWasm(url: string): void {
  prepareZXingModule({
    overrides: {
      locateFile: (path: string, prefix: string) => (path.endsWith('.wasm') ? url : prefix + path),
    },
  });
}

/** The scan data of the first valid symbol in an image, or null when there is none. */
export async function decodeScan(image: ImageData | Uint8Array | Blob): Promise<string | null> {
  const found = (await readBarcodes(image, CAMERA_READER_OPTIONS)).find((result) => result.isValid);
  return found === undefined ? null : scanData(found.text, found.symbologyIdentifier);
}
