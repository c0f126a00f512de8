import { inflateSync } from 'node:zlib';
import { loadPdfKit } from '../../platform/index.js';

/*
 * What a tenant logo may be (docs/settings.md, "Logo"), without I/O: PNG or JPEG as its bytes say
 * (the file name and the browser's type are not trusted), at most LOGO_MAX_BYTES and
 * LOGO_MAX_PIXELS on a side, and readable by the PDF writer that draws it on every report.
 */

export const LOGO_MAX_BYTES = 256 * 1024;
export const LOGO_MAX_PIXELS = 2000;

export type LogoType = 'image/png' | 'image/jpeg';

export interface LogoImage {
  readonly type: LogoType;
  readonly width: number;
  readonly height: number;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The image's type and size, or the reason it is refused; the message is shown as it is. */
export async function readLogoImage(bytes: Buffer): Promise<LogoImage | { problem: string }> {
  if (bytes.length === 0) return { problem: 'The file is empty' };
  if (bytes.length > LOGO_MAX_BYTES) {
    return { problem: `The logo is ${kilobytes(bytes.length)}; at most ${kilobytes(LOGO_MAX_BYTES)}` };
  }
  const size = isPng(bytes) ? pngSize(bytes) : isJpeg(bytes) ? jpegSize(bytes) : 'not an image';
  if (size === 'not an image') return { problem: 'The logo must be a PNG or JPEG image' };
  if (size === null) return { problem: 'The image is damaged: its size cannot be read' };
  if (size.width < 1 || size.height < 1) return { problem: 'The image has no pixels' };
  if (size.width > LOGO_MAX_PIXELS || size.height > LOGO_MAX_PIXELS) {
    return {
      problem: `The logo is ${size.width}×${size.height} px; at most ${LOGO_MAX_PIXELS}×${LOGO_MAX_PIXELS} px`,
    };
  }
  // The PDF writer reads the image again on every run; one it cannot read is refused now.
  // pdfkit inflates a PNG's data only when it writes the page, where a failure is thrown outside
  // any caller; the data is inflated here once so a damaged image never gets that far.
  const PDFDocument = await loadPdfKit();
  try {
    const opened = (new PDFDocument({ autoFirstPage: false }) as unknown as Openable).openImage(bytes);
    if (opened.image?.imgData !== undefined && inflateSync(opened.image.imgData).length === 0) throw 0;
  } catch {
    return { problem: 'The image is damaged or uses a form PDFs cannot hold' };
  }
  return { type: isPng(bytes) ? 'image/png' : 'image/jpeg', ...size };
}

/** pdfkit's image reader, which its type declarations leave out. */
interface Openable {
  openImage(bytes: Buffer): { image?: { imgData?: Uint8Array } };
}

const kilobytes = (bytes: number) => `${Math.ceil(bytes / 1024)} KB`;

const isPng = (bytes: Buffer) => bytes.subarray(0, 8).equals(PNG_SIGNATURE);
const isJpeg = (bytes: Buffer) => bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;

/** The IHDR chunk comes first in every PNG (ISO/IEC 15948 §11.2.2): width and height, big-endian. */
function pngSize(bytes: Buffer): { width: number; height: number } | null {
  if (bytes.length < 24 || bytes.toString('latin1', 12, 16) !== 'IHDR') return null;
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/**
 * A JPEG's size is in its start-of-frame segment (ITU-T T.81 §B.2.2): walk the segments from the
 * start, each a marker and a length, until one of SOF0–SOF15 (not DHT C4, JPG C8 or DAC CC).
 */
function jpegSize(bytes: Buffer): { width: number; height: number } | null {
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) return null;
    const marker = bytes[at + 1] ?? 0;
    // Fill bytes before a marker.
    if (marker === 0xff) {
      at += 1;
      continue;
    }
    const length = bytes.readUInt16BE(at + 2);
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) {
      if (at + 9 > bytes.length) return null;
      return { height: bytes.readUInt16BE(at + 5), width: bytes.readUInt16BE(at + 7) };
    }
    // The image data starts without a frame before it: not a valid JPEG.
    if (marker === 0xda || length < 2) return null;
    at += 2 + length;
  }
  return null;
}
