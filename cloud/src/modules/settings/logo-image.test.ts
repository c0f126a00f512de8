import { describe, expect, it } from 'vitest';
import { pngOf } from '../../testing/images.js';
import { LOGO_MAX_BYTES, readLogoImage } from './logo-image.js';

/*
 * What a logo may be (docs/settings.md, "Logo"): the type from the magic bytes, the size from the
 * PNG IHDR chunk or the JPEG start-of-frame segment (ITU-T T.81 §B.2.2).
 */

/** A JPEG's head: SOI, an APP0 segment, then a baseline SOF0 frame of `width`×`height`. */
function jpegHead(width: number, height: number, frame = 0xc0): Buffer {
  const app0 = Buffer.from([0xff, 0xe0, 0x00, 0x10, ...Buffer.from('JFIF\0'), 1, 1, 0, 0, 1, 0, 1, 0, 0]);
  const sof = Buffer.alloc(19);
  sof.set([0xff, frame, 0x00, 0x11, 8]);
  sof.writeUInt16BE(height, 5);
  sof.writeUInt16BE(width, 7);
  sof.set([3, 1, 0x11, 0, 2, 0x11, 1, 3, 0x11, 1], 9);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app0, sof, Buffer.from([0xff, 0xd9])]);
}

describe('a logo image', () => {
  it('is a PNG or JPEG by its bytes, with the size they say', async () => {
    expect(await readLogoImage(pngOf(300, 80))).toEqual({ type: 'image/png', width: 300, height: 80 });
    expect(await readLogoImage(jpegHead(640, 200))).toEqual({ type: 'image/jpeg', width: 640, height: 200 });
    // Progressive JPEG (SOF2) too; DHT (C4) is not a frame and is skipped.
    expect(await readLogoImage(jpegHead(50, 40, 0xc2))).toMatchObject({ width: 50, height: 40 });
  });

  it('is refused when it is something else, empty, damaged, too heavy or too large', async () => {
    expect(await readLogoImage(Buffer.alloc(0))).toEqual({ problem: 'The file is empty' });
    expect(await readLogoImage(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toEqual({
      problem: 'The logo must be a PNG or JPEG image',
    });
    expect(await readLogoImage(jpegHead(10, 10).subarray(0, 24))).toEqual({
      problem: 'The image is damaged: its size cannot be read',
    });
    expect(await readLogoImage(Buffer.alloc(LOGO_MAX_BYTES + 1, 0xff))).toEqual({
      problem: 'The logo is 257 KB; at most 256 KB',
    });
    expect(await readLogoImage(jpegHead(2000, 2001))).toEqual({
      problem: 'The logo is 2000×2001 px; at most 2000×2000 px',
    });
    expect(await readLogoImage(jpegHead(0, 10))).toEqual({ problem: 'The image has no pixels' });
  });

  it('is refused when its PNG data does not inflate, before a PDF tries to', async () => {
    const png = pngOf(20, 20);
    const idat = png.indexOf('IDAT');
    const broken = Buffer.from(png);
    // Garble the compressed data after its zlib header (the CRC is not checked by the reader).
    broken.fill(0xaa, idat + 6, idat + 14);
    expect(await readLogoImage(broken)).toEqual({
      problem: 'The image is damaged or uses a form PDFs cannot hold',
    });
  });
});
