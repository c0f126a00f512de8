import { elementString, GS, gs1CheckDigit, parseGs1 } from '@plantline/schema/gs1';
import { describe, expect, it } from 'vitest';
import { locationLabelElements, readLocationLabel } from './location-labels.js';

/* GS1 location labels, (414) the plant's GLN and (254) the location code (docs/materials.md, "Location labels"). */
const GLN = `952123400001${gs1CheckDigit('952123400001')}`;
const plant = { code: 'P1', gln: GLN };
const read = (data: string) => readLocationLabel(parseGs1(data));

describe('locationLabelElements', () => {
  it('puts the plant GLN in (414) and the location code in (254)', () => {
    expect(locationLabelElements(plant, { code: 'RM-01' })).toEqual({
      ok: true,
      elements: [
        { ai: '414', value: GLN },
        { ai: '254', value: 'RM-01' },
      ],
    });
  });

  it('explains a location that cannot have a label', () => {
    expect(locationLabelElements({ code: 'P1', gln: null }, { code: 'RM-01' })).toEqual({
      ok: false,
      message: 'Plant P1 has no GLN: enter it to label its locations',
    });
    expect(locationLabelElements(plant, { code: 'WAREHOUSE-NORTH/AISLE-7' })).toEqual({
      ok: false,
      message:
        'Location code WAREHOUSE-NORTH/AISLE-7 is 23 characters; a location label holds at most 20 (AI 254)',
    });
    expect(locationLabelElements(plant, { code: 'RACK 1' })).toEqual({
      ok: false,
      message:
        'Location code RACK 1 has a character GS1 labels cannot carry: " " is not in the GS1 character set 82',
    });
  });
});

describe('readLocationLabel', () => {
  it('reads the bracketed, FNC1-separated, symbology-prefixed and Digital Link forms alike', () => {
    const elements = [
      { ai: '414', value: GLN },
      { ai: '254', value: 'RM-01' },
    ];
    const expected = { ok: true, gln: GLN, code: 'RM-01' };
    expect(read(`(414)${GLN}(254)RM-01`)).toEqual(expected);
    expect(read(elementString(elements))).toEqual(expected);
    expect(read(`]C1${elementString(elements)}`)).toEqual(expected);
    expect(read(`]d2414${GLN}254RM-01${GS}`)).toEqual(expected);
    expect(read(`https://id.gs1.org/414/${GLN}/254/RM-01`)).toEqual(expected);
  });

  it('leaves data that is no location label to the other readings', () => {
    expect(read('RM-01')).toBeNull();
    expect(read('(01)09521234543213(10)ABC')).toBeNull();
    expect(read('(00)095287654321012346')).toBeNull();
  });

  it('refuses a label without its GLN, with a wrong check digit, without a location or too long', () => {
    expect(read('(254)RM-01')).toEqual({
      ok: false,
      message: 'The label names a location (AI 254) without its GLN (AI 414)',
    });
    const wrong = `${GLN.slice(0, 12)}${(Number(GLN.at(-1)) + 1) % 10}`;
    expect(read(`(414)${wrong}(254)RM-01`)).toEqual({
      ok: false,
      message: `Not a valid location label: The check digit of ${wrong} is wrong`,
    });
    expect(read(`(414)${GLN}`)).toEqual({
      ok: false,
      message: `The label names GLN ${GLN} but no location in it (AI 254)`,
    });
    expect(read(`(414)${GLN}(254)ABCDEFGHIJKLMNOPQRSTU`)).toEqual({
      ok: false,
      message: 'Not a valid location label: (254) is X..20; "ABCDEFGHIJKLMNOPQRSTU" is too long',
    });
  });
});
