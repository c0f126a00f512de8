import { describe, expect, it } from 'vitest';
import {
  componentsLabel,
  hashPrefix,
  meaningLabel,
  requirementHint,
  signaturePayload,
  signaturesPdfHref,
  signatureTimes,
  signerLabel,
  signingStatement,
  signProblems,
} from './signing';

const both = { components: 'both' as const, idleMinutes: 15 };
const password = { components: 'password' as const, idleMinutes: 15 };

describe('what a signer reads', () => {
  it('says what signing confirms, by meaning', () => {
    expect(signingStatement('approval', 'NCR-RIV-2026-00012')).toBe(
      'By signing you confirm your approval of NCR-RIV-2026-00012.',
    );
    expect(signingStatement('responsibility', 'ECO-7')).toBe(
      'By signing you confirm your responsibility for ECO-7.',
    );
    expect(signingStatement('witnessed', 'X-1')).toBe('By signing you confirm witnessed of X-1.');
    expect(meaningLabel('review')).toBe('Review');
    expect(meaningLabel('witnessed')).toBe('witnessed');
  });

  it('names a signer, and the person signed for under a delegation', () => {
    expect(signerLabel({ signerName: 'Ann Lee', onBehalfOfName: null })).toBe('Ann Lee');
    expect(signerLabel({ signerName: 'Ann Lee', onBehalfOfName: 'Bo Park' })).toBe('Ann Lee for Bo Park');
  });

  it('shows a hash prefix, the components and the PDF link', () => {
    expect(hashPrefix('0123456789abcdef'.repeat(4))).toBe('0123456789ab');
    expect(componentsLabel('both')).toBe('Email and password');
    expect(componentsLabel('password')).toMatch(/^Password/);
    expect(signaturesPdfHref('ncr', '7d1f0a3e-0000-4000-8000-000000000001')).toBe(
      '/api/workflow/signatures/ncr/7d1f0a3e-0000-4000-8000-000000000001.pdf',
    );
  });

  it('dates a signature to the second in the viewer’s zone and in UTC', () => {
    expect(signatureTimes('2026-07-15T05:06:07.890Z', 'Europe/Berlin')).toEqual({
      local: '2026-07-15 07:06:07',
      utc: '2026-07-15 05:06:07 UTC',
    });
    expect(signatureTimes('not a time', 'UTC')).toEqual({ local: 'not a time', utc: 'not a time' });
  });
});

describe('the sign dialog', () => {
  it('asks for the email only when both components are needed', () => {
    expect(signProblems(both, { email: ' ', password: 'x' })).toEqual({
      email: expect.stringMatching(/email/),
    });
    expect(signProblems(password, { email: '', password: 'x' })).toEqual({});
    expect(signProblems(password, { email: '', password: '' })).toEqual({ password: 'Enter your password' });
  });

  it('sends the email only when it is asked for, trimmed, and the password as typed', () => {
    expect(signaturePayload(both, { email: ' ann@example.com ', password: ' pw ' })).toEqual({
      email: 'ann@example.com',
      password: ' pw ',
    });
    expect(signaturePayload(password, { email: 'ann@example.com', password: 'pw' })).toEqual({
      password: 'pw',
    });
  });

  it('explains why both are asked for', () => {
    expect(requirementHint(both)).toMatch(/within 15 minutes need only the password/);
    expect(requirementHint(password)).toBe('Enter your password to sign.');
  });
});
