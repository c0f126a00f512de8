import { describe, expect, it } from 'vitest';
import {
  codeProblem,
  emailProblem,
  hasErrors,
  newPasswordProblem,
  roleKeyFrom,
  roleKeyProblem,
  validateApiKey,
  validateNewUser,
  validatePlant,
  validateRole,
} from './validation';

describe('field rules (mirroring the cloud inputs)', () => {
  it.each([
    ['', 'Enter an email address'],
    ['ana', 'Enter a valid email address'],
    ['ana@plant', 'Enter a valid email address'],
    ['ana @plant.example', 'Enter a valid email address'],
    [' ana@plant.example ', null],
  ])('email %j → %s', (value, expected) => {
    expect(emailProblem(value)).toBe(expected);
  });

  it('asks for 12 to 256 password characters', () => {
    expect(newPasswordProblem('short')).toBe('Use at least 12 characters');
    expect(newPasswordProblem('x'.repeat(12))).toBeNull();
    expect(newPasswordProblem('x'.repeat(257))).toBe('Use at most 256 characters');
  });

  it.each([
    ['L1', null],
    ['line_2-b', null],
    ['', 'Enter a code'],
    ['L 1', 'Use 1–32 letters, digits, - and _ (it appears in MQTT topics)'],
    ['x'.repeat(33), 'Use 1–32 letters, digits, - and _ (it appears in MQTT topics)'],
    ['L/1', 'Use 1–32 letters, digits, - and _ (it appears in MQTT topics)'],
  ])('code %j → %s', (value, expected) => {
    expect(codeProblem(value)).toBe(expected);
  });

  it.each([
    ['qa', null],
    ['line-lead', null],
    ['a', 'Use at least 2 characters'],
    ['1st', 'Start with a letter; use lower-case letters, digits and -'],
    ['Lead', 'Start with a letter; use lower-case letters, digits and -'],
  ])('role key %j → %s', (value, expected) => {
    expect(roleKeyProblem(value)).toBe(expected);
  });

  it('suggests a valid role key from a name', () => {
    expect(roleKeyFrom('Line Lead (night)')).toBe('line-lead-night');
    expect(roleKeyFrom('Qualität Prüfer')).toBe('qualitat-prufer');
    expect(roleKeyFrom('2nd shift')).toBe('nd-shift');
    expect(roleKeyProblem(roleKeyFrom('Shift supervisor, plant RIV'))).toBeNull();
  });
});

describe('form validators', () => {
  it('names every faulty field of a new user', () => {
    expect(validateNewUser({ displayName: ' ', email: 'x', password: 'short' })).toEqual({
      displayName: 'Enter a name',
      email: 'Enter a valid email address',
      password: 'Use at least 12 characters',
    });
    expect(
      hasErrors(validateNewUser({ displayName: 'Ana', email: 'ana@x.example', password: 'p'.repeat(12) })),
    ).toBe(false);
  });

  it('checks a role', () => {
    expect(validateRole({ key: 'qa', name: '', description: 'x'.repeat(401) })).toEqual({
      name: 'Enter a name',
      description: 'Use at most 400 characters',
    });
  });

  it('checks an API key: plants, permissions and a future expiry', () => {
    const now = new Date('2026-01-01T12:00:00');
    expect(
      validateApiKey({ name: '', plantIds: [], scopes: [], expiresAt: '2025-12-31T12:00' }, now),
    ).toEqual({
      name: 'Enter a name',
      plantIds: 'Choose at least one plant',
      scopes: 'Choose at least one permission',
      expiresAt: 'Choose a time in the future',
    });
    expect(
      validateApiKey({ name: 'Edge', plantIds: ['p'], scopes: ['ingest.write'], expiresAt: '' }, now),
    ).toEqual({});
    expect(
      validateApiKey(
        { name: 'Edge', plantIds: ['p'], scopes: ['ingest.write'], expiresAt: '2026-02-01T00:00' },
        now,
      ),
    ).toEqual({});
  });

  it('checks a plant time zone against the known zones', () => {
    const zones = ['Europe/Berlin'];
    expect(validatePlant({ code: 'RIV', name: 'Riverside', timezone: 'Europe/Berlin' }, zones)).toEqual({});
    expect(validatePlant({ code: 'RIV', name: 'Riverside', timezone: 'UTC' }, zones)).toEqual({});
    expect(validatePlant({ code: 'RIV', name: 'Riverside', timezone: 'Mars/Olympus' }, zones)).toEqual({
      timezone: 'Unknown IANA time zone, e.g. Europe/Berlin',
    });
  });
});
