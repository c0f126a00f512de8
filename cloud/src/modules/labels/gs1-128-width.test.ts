import type { Gs1Element } from '@plantline/schema/gs1';
import bwipjs from 'bwip-js/node';
import { describe, expect, it } from 'vitest';
import { gs1_128DataCharacters, gs1_128Modules } from './gs1-128-width.js';

const cases: Gs1Element[][] = [
  [{ ai: '00', value: '106141411234567897' }],
  [
    { ai: '02', value: '09506000134352' },
    { ai: '15', value: '261231' },
  ],
  [
    { ai: '37', value: '40' },
    { ai: '10', value: 'L2405A' },
  ],
  [{ ai: '400', value: '4500012345' }],
  [
    { ai: '01', value: '09506000134352' },
    { ai: '10', value: 'ab-12/x' },
    { ai: '21', value: '12345' },
  ],
];

describe('gs1_128Modules', () => {
  it.each(cases)('counts as many modules as bwip-js draws (%#)', (...elements) => {
    const text = elements.map(({ ai, value }) => `(${ai})${value}`).join('');
    const svg = bwipjs.toSVG({ bcid: 'gs1-128', text, scale: 1, height: 10 });
    const drawn = Number(/viewBox="0 0 (\d+) /.exec(svg)?.[1]);
    expect(gs1_128Modules(elements)).toBe(drawn);
  });
});

describe('gs1_128DataCharacters', () => {
  it('counts AIs, values and the FNC1 after a variable-length element that is not last', () => {
    expect(gs1_128DataCharacters([{ ai: '00', value: '106141411234567897' }])).toBe(20);
    // (37) and (10) are variable: one of them ends the data, the other needs FNC1.
    expect(gs1_128DataCharacters(cases[2] ?? [])).toBe(4 + 1 + 8);
  });
});
