import { describe, expect, it } from 'vitest';
import { GS1_DATA_MAX_LENGTH, gs1ParseInput, parseScanData } from './gs1.js';
import { logisticsRouter } from './logistics.router.js';

/*
 * The router without a database: what `logistics.gs1.parse` declares and accepts, and the plain
 * function it calls. logistics.test.ts calls it through the server on each engine.
 */
const procedures = logisticsRouter._def.procedures as unknown as Record<
  string,
  { _def: { meta?: { access?: string }; type: string } }
>;

describe('the logistics router', () => {
  it('declares logistics.read on the GS1 parse query', () => {
    expect(procedures['gs1.parse']?._def).toMatchObject({
      type: 'query',
      meta: { access: 'logistics.read' },
    });
  });

  it('declares who may use labels, printers and printing', () => {
    const access = Object.fromEntries(
      Object.entries(procedures)
        .filter(([path]) => /^(labels|printers|printing)\./.test(path))
        .map(([path, procedure]) => [path, `${procedure._def.type} ${procedure._def.meta?.access}`]),
    );
    expect(access).toEqual({
      'labels.list': 'query logistics.read',
      'labels.get': 'query logistics.read',
      'labels.templates': 'query logistics.read',
      'labels.svg': 'query logistics.read',
      'labels.issue': 'mutation logistics.pack',
      'labels.print': 'mutation logistics.pack',
      'labels.issueLocations': 'mutation logistics.pack',
      'labels.printLocations': 'mutation logistics.pack',
      'printers.list': 'query logistics.read',
      'printers.create': 'mutation logistics.manage',
      'printers.update': 'mutation logistics.manage',
      'printers.deactivate': 'mutation logistics.manage',
      'printers.reactivate': 'mutation logistics.manage',
      'printing.log': 'query logistics.read',
      'printing.jobs': 'mutation ingest.write',
      'printing.result': 'mutation ingest.write',
    });
  });

  it('bounds the data it accepts', () => {
    expect(gs1ParseInput.safeParse({ data: '9'.repeat(GS1_DATA_MAX_LENGTH) }).success).toBe(true);
    const tooLong = gs1ParseInput.safeParse({ data: '9'.repeat(GS1_DATA_MAX_LENGTH + 1) });
    expect(tooLong.success).toBe(false);
    expect(tooLong.error?.issues[0]?.message).toBe(`Scan data is at most ${GS1_DATA_MAX_LENGTH} characters`);
    expect(gs1ParseInput.safeParse({ data: 42 }).success).toBe(false);
    expect(gs1ParseInput.safeParse({ data: '01', separator: '|' }).success).toBe(false);
  });

  it('reads scan data with the server clock for the century of dates', () => {
    const scan = ']C1010952123454321310ABC\x1d17290101';
    expect(parseScanData({ data: scan }, new Date('2025-06-01T00:00:00Z'))).toEqual({
      ok: true,
      symbology: 'gs1-128',
      syntax: 'element-string',
      elements: [
        { ai: '01', value: '09521234543213' },
        { ai: '10', value: 'ABC' },
        { ai: '17', value: '290101' },
      ],
      errors: [],
    });
    // 29 February 2000 exists; 29 February 2100, which "000229" means from 2060, does not.
    const leap = ']C1010952123454321317000229';
    expect(parseScanData({ data: leap }, new Date('2025-06-01T00:00:00Z')).ok).toBe(true);
    expect(parseScanData({ data: leap }, new Date('2060-06-01T00:00:00Z')).ok).toBe(false);
  });

  it('passes the keyboard-wedge separator on', () => {
    const typed = '010952123454321310ABC#21XYZ';
    const now = new Date('2025-06-01T00:00:00Z');
    expect(parseScanData({ data: typed }, now).ok).toBe(true);
    expect(parseScanData({ data: typed, separator: 'gs' }, now).errors.map((e) => e.code)).toEqual([
      'bad_character',
    ]);
  });
});
