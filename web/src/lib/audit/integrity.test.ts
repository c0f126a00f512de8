import { describe, expect, it } from 'vitest';
import { checkpointFileName, checkpointOutcomeText, entryHref, outcomeText, shortHash } from './integrity';

describe('the chain verification as people read it', () => {
  it('says the chain is intact and how much was checked from where', () => {
    expect(outcomeText({ ok: true, fromSeq: 1, checked: 1234, firstBadSeq: null, reason: null })).toEqual({
      headline: 'The chain is intact',
      detail: '1,234 entries checked from the first entry; every hash matches.',
    });
    expect(outcomeText({ ok: true, fromSeq: 501, checked: 1, firstBadSeq: null, reason: null }).detail).toBe(
      '1 entry checked from entry #501; every hash matches.',
    );
    expect(outcomeText({ ok: true, fromSeq: 9, checked: 0, firstBadSeq: null, reason: null }).detail).toBe(
      'Nothing to check: no entries after the starting point.',
    );
  });

  it('names the first bad entry and the reason when it is broken', () => {
    expect(
      outcomeText({
        ok: false,
        fromSeq: 1,
        checked: 57,
        firstBadSeq: 57,
        reason: 'entry 57 was changed after it was written',
      }),
    ).toEqual({
      headline: 'Broken at entry #57',
      detail: 'Entry 57 was changed after it was written. 57 entries checked from the first entry.',
    });
    expect(outcomeText({ ok: false, fromSeq: 3, checked: 0, firstBadSeq: null, reason: null })).toEqual({
      headline: 'The chain is broken',
      detail: 'No reason given. 0 entries checked from entry #3.',
    });
  });

  it('says what signing a checkpoint did, and refuses to call a broken chain signed', () => {
    const intact = { ok: true, fromSeq: 1, checked: 4, firstBadSeq: null, reason: null };
    expect(checkpointOutcomeText({ verification: intact, checkpoint: { seq: 4 }, signed: true })).toEqual({
      ok: true,
      text: 'Checkpoint signed at entry #4; the chain up to it verifies.',
    });
    expect(checkpointOutcomeText({ verification: intact, checkpoint: { seq: 4 }, signed: false })).toEqual({
      ok: true,
      text: 'Nothing new to sign: the latest checkpoint already seals entry #4.',
    });
    expect(checkpointOutcomeText({ verification: intact, checkpoint: null, signed: false }).text).toBe(
      'Nothing to sign yet: the trail has no entries.',
    );
    const broken = { ok: false, fromSeq: 1, checked: 3, firstBadSeq: 3, reason: 'entry 3 is missing' };
    expect(checkpointOutcomeText({ verification: broken, checkpoint: null, signed: false })).toEqual({
      ok: false,
      text: 'Not signed: the chain does not verify. Broken at entry #3. Entry 3 is missing. 3 entries checked from the first entry.',
    });
  });

  it('links to one entry at the top of the trail', () => {
    expect(entryHref(57)).toBe('/admin/audit?before=58');
  });

  it('names a checkpoint download after the entry it seals and the day', () => {
    expect(checkpointFileName({ seq: 812, signedAt: '2026-05-04T02:00:00.000Z' })).toBe(
      'plantline-audit-checkpoint-812-2026-05-04.json',
    );
    expect(checkpointFileName({ seq: 3, signedAt: '' })).toBe('plantline-audit-checkpoint-3.json');
  });

  it('cuts a hash for a table, keeping short ones whole', () => {
    expect(shortHash('0'.repeat(64))).toBe(`${'0'.repeat(10)}…${'0'.repeat(6)}`);
    expect(shortHash('abc')).toBe('abc');
  });
});
