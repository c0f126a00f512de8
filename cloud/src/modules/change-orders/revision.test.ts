import { describe, expect, it } from 'vitest';
import { nextRevision } from './revision.js';

describe('the next revision', () => {
  it.each([
    ['A', 'B'],
    ['B', 'C'],
    ['Y', 'Z'],
    ['Z', 'AA'],
    ['AA', 'AB'],
    ['AZ', 'BA'],
    ['ZZ', 'AAA'],
    ['c', 'D'],
  ])('counts letters up: %s → %s', (current, next) => {
    expect(nextRevision(current)).toBe(next);
  });

  it.each([
    ['1', '2'],
    ['9', '10'],
    ['09', '10'],
    ['007', '008'],
    ['99', '100'],
    ['123456789012345678901234567890', '123456789012345678901234567891'],
  ])('counts numbers up: %s → %s', (current, next) => {
    expect(nextRevision(current)).toBe(next);
  });

  it.each([
    ['B2', 'B3'],
    ['1.9', '1.10'],
    ['2-A', '2-B'],
    ['REV C', 'REV D'],
    ['A1Z', 'A1AA'],
  ])('counts the last run up and keeps what stands before it: %s → %s', (current, next) => {
    expect(nextRevision(current)).toBe(next);
  });

  it('starts a letter run after a revision that ends in neither', () => {
    expect(nextRevision('')).toBe('A');
    expect(nextRevision('X-')).toBe('X-A');
    expect(nextRevision(' B ')).toBe('C');
  });
});
