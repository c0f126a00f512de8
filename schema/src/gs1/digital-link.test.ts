import { describe, expect, it } from 'vitest';
import { parseGs1 } from './parse.js';
import type { Gs1ErrorCode } from './types.js';

const now = new Date('2025-06-01T00:00:00Z');

/** The elements in the engine's notation: `^` before each AI. */
const caret = (data: string) =>
  parseGs1(data, { now })
    .elements.map(({ ai, value }) => `^${ai}${value}`)
    .join('');

const codes = (data: string) => parseGs1(data, { now }).errors.map((error) => error.code);

describe('GS1 Digital Link URIs', () => {
  // gs1/gs1-syntax-engine src/c-lib/dl.c, test_dl_parseDLuri (the expected AIs in the engine's
  // `^AI value` notation; association rules aside, which the engine checks elsewhere).
  it.each([
    ['http://a/00/006141411234567890', '^00006141411234567890'],
    ['HTTP://a/00/006141411234567890', '^00006141411234567890'],
    ['https://a/00/006141411234567890', '^00006141411234567890'],
    ['HTTPS://a/00/006141411234567890', '^00006141411234567890'],
    ['https://a/01/12312312312333', '^0112312312312333'],
    ['https://xn--fsq.xn--0zwm56d/01/12312312312333', '^0112312312312333'],
    ['https://a:65535/01/12312312312333', '^0112312312312333'],
    ['https://192.0.2.1/01/12312312312333', '^0112312312312333'],
    ['https://[2001:db8::1]/01/12312312312333', '^0112312312312333'],
    ['https://a/stem/00/006141411234567890', '^00006141411234567890'],
    ['https://a/more/stem/00/006141411234567890', '^00006141411234567890'],
    ['https://a/00/faux/00/006141411234567890', '^00006141411234567890'], // fake AI in the stem
    ['https://a/01/12312312312333/22/TEST/10/ABC/21/XYZ', '^0112312312312333^22TEST^10ABC^21XYZ'],
    ['https://a/01/12312312312333/235/TEST', '^0112312312312333^235TEST'],
    ['https://a/253/1231231231232', '^2531231231231232'],
    ['https://a/253/1231231231232TEST5678901234567', '^2531231231231232TEST5678901234567'],
    ['https://a/8018/123456789012345675/8019/123', '^8018123456789012345675^8019123'],
    ['https://a/stem/00/006141411234567890?', '^00006141411234567890'],
    ['https://a/stem/00/006141411234567890?99=ABC', '^00006141411234567890^99ABC'],
    ['https://a/01/12312312312333?99=ABC&98=XYZ', '^0112312312312333^99ABC^98XYZ'],
    ['https://a/01/12312312312333?&&&99=ABC&&&&&&98=XYZ&&&', '^0112312312312333^99ABC^98XYZ'],
    ['https://a/01/12312312312333?99=ABC&unknown=666&98=XYZ', '^0112312312312333^99ABC^98XYZ'],
    ['https://a/01/12312312312333?singleton&99=ABC&98=XYZ', '^0112312312312333^99ABC^98XYZ'],
    [
      'https://a/01/12312312312333/22/ABC%2d123?99=ABC&98=XYZ%2f987',
      '^0112312312312333^22ABC-123^99ABC^98XYZ/987',
    ],
    [
      'https://a/01/12312312312333/22/ABC+123?99=ABC&98=XYZ%2f987',
      '^0112312312312333^22ABC+123^99ABC^98XYZ/987',
    ],
    ['https://a/01/12312312312333/22/test/10/abc/21/xyz#fragment', '^0112312312312333^22test^10abc^21xyz'],
    ['https://a/stem/00/006141411234567890?99=ABC#', '^00006141411234567890^99ABC'],
    // The Digital Link standard's own examples, as the same test lists them.
    ['https://id.gs1.org/01/09520123456788', '^0109520123456788'],
    ['https://id.gs1.org/01/09520123456788/22/2A', '^0109520123456788^222A'],
    [
      'https://id.gs1.org/01/09520123456788/10/ABC1/21/12345?17=180426',
      '^0109520123456788^10ABC1^2112345^17180426',
    ],
    ['https://id.gs1.org/01/09520123456788?3103=000195', '^0109520123456788^3103000195'],
    ['https://id.gs1.org/00/952012345678912345', '^00952012345678912345'],
    [
      'https://id.gs1.org/00/952012345678912345?02=09520123456788&37=25&10=ABC123',
      '^00952012345678912345^0209520123456788^3725^10ABC123',
    ],
    ['https://id.gs1.org/414/9520123456788', '^4149520123456788'],
    ['https://id.gs1.org/414/9520123456788/254/32a%2Fb', '^4149520123456788^25432a/b'],
    ['https://id.gs1.org/01/09520123456788/235/XYZ?10=ABC123', '^0109520123456788^235XYZ^10ABC123'],
    // Short GTINs in the path, which the engine widens behind an option and Plantline always does.
    ['https://brand.example.com/01/9520123456788', '^0109520123456788'],
    ['https://brand.example.com/some-extra/pathinfo/01/9520123456788', '^0109520123456788'],
    ['https://a/01/416000336108', '^0100416000336108'],
    ['https://a/01/02345673', '^0100000002345673'],
  ])('%s', (uri, expected) => {
    const result = parseGs1(uri, { now });
    expect(result.syntax).toBe('digital-link');
    expect(result.errors.filter((error) => error.code !== 'required_ai_missing')).toEqual([]);
    expect(caret(uri)).toBe(expected);
  });

  // The same test's refusals.
  it.each<[string, Gs1ErrorCode]>([
    ['http://', 'bad_digital_link'],
    ['http:///', 'bad_digital_link'],
    ['http://a', 'bad_digital_link'],
    ['http://a/', 'bad_digital_link'],
    ['http://a/b', 'bad_digital_link'],
    ['HtTp://a/b/00/006141411234567890', 'bad_digital_link'], // mixed-case scheme
    ['https://00/006141411234567890', 'bad_digital_link'], // no host
    ['https://[fe80::1%25lo]/01/12312312312333', 'bad_digital_link'],
    ['https://$a/006141411234567890', 'bad_digital_link'],
    ['https://a/01/12312312312333<bad', 'bad_digital_link'],
    ['https://a/01/12312312312333^bad', 'bad_digital_link'],
    ['https://a/01/12312312312333`bad', 'bad_digital_link'],
    ['https://a/gtin/12312312312333', 'bad_digital_link'], // convenience alphas are not read
    ['https://a/253/1231231231232TEST56789012345678', 'bad_length'],
    ['https://a/stem/00/006141411234567890/', 'bad_digital_link'],
    ['https://a/01/12312312312333?99=', 'bad_length'],
    ['https://a/01/12312312312333?99=ABC&999=faux', 'unknown_ai'],
    ['https://a/01/12312312312333/22/ABC%2d123?99=ABC&98=XYZ+987', 'bad_character'], // "+" is a space in a query
    ['https://example.com/01/09520123456788?10=ABC123', 'bad_digital_link'], // (10) belongs in the path
    ['https://id.gs1.org/01/09520123456788/10/ABC123?99=XYZ789&01=09520123456788', 'duplicate_ai'],
    ['https://id.gs1.org/01/09520123456788/10/ABC123?99=XYZ789&10=ABC123', 'duplicate_ai'],
    ['https://id.gs1.org/01/09520123456788/10/ABC123?99=XYZ789&99=XYZ789', 'duplicate_ai'],
    ['https://example.com/01/09520123456788/89/ABC123?99=XYZ', 'bad_digital_link'],
    ['https://example.com/01/09520123456788?99=XYZ&89=ABC123', 'unknown_ai'],
    ['https://a/01//12312312312333', 'bad_digital_link'],
    ['https://a/01/1231231231233%003', 'bad_character'],
    ['https://a/01/12312312312333?99=ABC%00DEF', 'bad_character'],
    ['https://a/01/12312312312333/10/', 'bad_digital_link'],
    ['https://a/01/12312312312333/99/ABC', 'bad_digital_link'],
    ['https://a/01/12312312312333/21/X/10/Y', 'bad_digital_link'], // qualifiers out of order
    ['https://a/01/12312312312333/10/%E0%A4%A', 'bad_digital_link'], // broken percent-encoding
  ])('refuses %s (%s)', (uri, code) => {
    expect(codes(uri)).toContain(code);
    expect(parseGs1(uri, { now }).ok).toBe(false);
  });

  it('takes a 90-character (99) in the query and refuses 91', () => {
    expect(parseGs1(`https://a/01/12312312312333?99=${'A'.repeat(90)}`, { now }).ok).toBe(true);
    expect(codes(`https://a/01/12312312312333?99=${'A'.repeat(91)}`)).toEqual(['bad_length']);
  });

  it('reads a URI from a plain QR Code or Data Matrix (scandata.c, test_scandata_processScanData)', () => {
    for (const identifier of [']Q1', ']d1']) {
      const result = parseGs1(`${identifier}https://example.com/01/12312312312333?99=TEST`, { now });
      expect(result).toMatchObject({ ok: true, symbology: 'plain', syntax: 'digital-link' });
      expect(caret(`${identifier}https://example.com/01/12312312312333?99=TEST`)).toBe(
        '^0112312312312333^99TEST',
      );
    }
    expect(codes(']Q1https://a/NOPRIMARYAI')).toEqual(['bad_digital_link']);
  });

  it('applies the combination rules to what the URI holds', () => {
    expect(codes('https://id.gs1.org/01/09520123456788?37=5')).toEqual([
      'invalid_pairing',
      'required_ai_missing',
    ]);
    expect(codes('https://id.gs1.org/00/952012345678912345?02=09520123456788')).toEqual([
      'required_ai_missing',
    ]);
  });
});
