import { describe, expect, it } from 'vitest';
import { CsvRecordBatches } from './csv-copy.js';

/* Telling whole records apart in the CSV the database server writes (csv-copy.ts). */

const CSV = [
  'a,b,c\n',
  '1,"two\nlines",3\n',
  '"""quoted""",x,"a ""b""\n c"\n',
  ',,\n',
  '"\n\n",y,z\n',
  'é→,"ü",—\n',
].join('');

function split(text: Buffer, cuts: number[], batchRows: number) {
  const batches = new CsvRecordBatches(batchRows);
  const out: { bytes: Buffer; records: number }[] = [];
  let from = 0;
  for (const cut of [...cuts, text.length]) {
    for (const batch of batches.push(text.subarray(from, cut)))
      out.push({ ...batch, bytes: Buffer.from(batch.bytes) });
    from = cut;
  }
  batches.finish();
  return out;
}

describe('CSV record batches', () => {
  const bytes = Buffer.from(CSV, 'utf8');

  it('hands on whole records, however the stream is cut', () => {
    for (let a = 0; a <= bytes.length; a++) {
      for (let b = a; b <= bytes.length; b += 3) {
        for (const batchRows of [1, 2, 500]) {
          const out = split(bytes, [a, b], batchRows);
          expect(Buffer.concat(out.map((o) => o.bytes)).equals(bytes)).toBe(true);
          expect(out.reduce((n, o) => n + o.records, 0)).toBe(6);
          for (const o of out) {
            expect(o.records).toBeLessThanOrEqual(batchRows);
            expect(o.bytes.at(-1)).toBe(0x0a);
          }
        }
      }
    }
  });

  it('cuts batches of the size asked', () => {
    expect(split(bytes, [], 4).map((o) => o.records)).toEqual([4, 2]);
    expect(split(bytes, [], 2).map((o) => o.bytes.toString())).toEqual([
      'a,b,c\n1,"two\nlines",3\n',
      '"""quoted""",x,"a ""b""\n c"\n,,\n',
      '"\n\n",y,z\né→,"ü",—\n',
    ]);
  });

  it('refuses a stream that ends inside a record', () => {
    const batches = new CsvRecordBatches(10);
    expect([...batches.push(Buffer.from('a,b\n"c\n'))].map((b) => b.records)).toEqual([1]);
    expect(() => batches.finish()).toThrow('ended inside a record');
  });
});
