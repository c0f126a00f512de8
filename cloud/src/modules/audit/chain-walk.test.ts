import { describe, expect, it } from 'vitest';
import { auditEntryHash, GENESIS_HASH } from '../../platform/index.js';
import { type ChainFault, ChainWalk, type StoredEntry } from './chain-walk.js';

/*
 * The pure core of verification (docs/audit.md, "Verifying"): each way a chain can break is named by
 * the first entry it breaks, without a database.
 */

const TENANT = '00000000-0000-4000-8000-000000000001';

function chainOf(length: number): StoredEntry[] {
  const entries: StoredEntry[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= length; seq++) {
    const content = {
      tenantId: TENANT,
      seq,
      recordedAt: new Date(Date.UTC(2026, 0, 1, 8, 0, seq)).toISOString(),
      actorKind: 'user' as const,
      actorUserId: '00000000-0000-4000-8000-000000000002',
      actorApiKeyId: null,
      onBehalfOfUserId: null,
      actorName: 'Ada',
      action: 'machine.update',
      entityType: 'machine',
      entityId: `m-${seq}`,
      entityLabel: `M${seq}`,
      plantId: null,
      oldValues: { name: `old ${seq}` },
      newValues: { name: `new ${seq}`, limits: { max: 10.5, unit: 'mm' } },
      reason: seq % 2 === 0 ? 'Drawing rev. B' : null,
      requestId: `req-${seq}`,
      clientAddress: '10.0.0.1',
    };
    const hash = auditEntryHash(prevHash, content);
    entries.push({ content, prevHash, hash });
    prevHash = hash;
  }
  return entries;
}

/** Walks `entries` as verification does: stops at the first fault, then compares with the head. */
function walk(
  entries: StoredEntry[],
  head: { seq: number; hash: string } | null,
  options: { anchor?: { seq: number; hash: string }; highestSeq?: number | null } = {},
): { fault: ChainFault | null; checked: number } {
  const chain = new ChainWalk(options.anchor ?? { seq: 0, hash: GENESIS_HASH });
  for (const entry of entries) {
    const fault = chain.next(entry);
    if (fault !== null) return { fault, checked: chain.checked };
  }
  const last = entries.at(-1);
  const highest =
    options.highestSeq === undefined ? (last === undefined ? null : seqOf(last)) : options.highestSeq;
  return { fault: chain.finish(head, highest), checked: chain.checked };
}

const headOf = (entries: StoredEntry[]) => ({ seq: seqOf(entries.at(-1)!), hash: entries.at(-1)!.hash });
const seqOf = (entry: StoredEntry) => entry.content.seq;
/** The entry with its content changed as `change` says (its stored hashes left alone). */
const changed = (entry: StoredEntry, change: Partial<StoredEntry['content']>): StoredEntry => ({
  ...entry,
  content: { ...entry.content, ...change },
});

describe('walking the audit chain', () => {
  it('accepts an intact chain, and an empty one', () => {
    const entries = chainOf(12);
    expect(walk(entries, headOf(entries))).toEqual({ fault: null, checked: 12 });
    expect(walk([], null)).toEqual({ fault: null, checked: 0 });
  });

  it('names an entry whose contents changed', () => {
    const entries = chainOf(12);
    entries[6] = changed(entries[6]!, { newValues: { name: 'new 7', limits: { max: 11, unit: 'mm' } } });
    expect(walk(entries, headOf(entries))).toEqual({
      fault: { firstBadSeq: 7, reason: 'entry 7 was changed after it was written' },
      checked: 6,
    });
    // A changed time counts as much as a changed value.
    const timed = chainOf(3);
    timed[1] = changed(timed[1]!, { recordedAt: '2026-01-01T09:00:02.000Z' });
    expect(walk(timed, headOf(timed)).fault?.firstBadSeq).toBe(2);
  });

  it('names a missing entry, a repeated one and one out of its place', () => {
    const entries = chainOf(12);
    const head = headOf(entries);
    expect(
      walk(
        entries.filter((e) => seqOf(e) !== 7),
        head,
      ).fault,
    ).toEqual({
      firstBadSeq: 7,
      reason: 'entry 7 is missing',
    });
    expect(walk([...entries.slice(0, 5), entries[4]!, ...entries.slice(5)], head).fault).toEqual({
      firstBadSeq: 5,
      reason: 'entry 5 appears more than once',
    });
    // Entries 5 and 6 exchanged their numbers.
    const swapped = entries.map((e) =>
      seqOf(e) === 5 ? changed(e, { seq: 6 }) : seqOf(e) === 6 ? changed(e, { seq: 5 }) : e,
    );
    swapped.sort((a, b) => seqOf(a) - seqOf(b));
    expect(walk(swapped, head).fault).toEqual({ firstBadSeq: 5, reason: 'entry 5 does not follow entry 4' });
  });

  it('names a first entry that does not follow the genesis hash', () => {
    const entries = chainOf(2);
    entries[0] = { ...entries[0]!, prevHash: 'f'.repeat(64) };
    expect(walk(entries, headOf(entries)).fault).toEqual({
      firstBadSeq: 1,
      reason: 'entry 1 does not start the chain',
    });
  });

  it('shows entries removed from the end through the chain head', () => {
    const entries = chainOf(12);
    const head = headOf(entries);
    expect(walk(entries.slice(0, 9), head).fault).toEqual({
      firstBadSeq: 10,
      reason: 'entries 10 to 12 are missing (the end of the trail)',
    });
    expect(walk(entries.slice(0, 11), head).fault).toEqual({
      firstBadSeq: 12,
      reason: 'entry 12 is missing (the last entry)',
    });
    expect(walk([], head).fault?.firstBadSeq).toBe(1);
  });

  it('shows a head that disagrees with the last entry, and entries added around the chain', () => {
    const entries = chainOf(12);
    expect(walk(entries, { seq: 12, hash: entries[10]!.hash }).fault).toEqual({
      firstBadSeq: 12,
      reason: 'the chain head does not match entry 12',
    });
    expect(walk(entries.slice(0, 10), headOf(entries.slice(0, 10)), { highestSeq: 12 }).fault).toEqual({
      firstBadSeq: 11,
      reason: 'entry 11 was added outside the chain (the chain head ends at 10)',
    });
    expect(walk([], null, { highestSeq: 3 }).fault?.firstBadSeq).toBe(1);
  });

  it('starts after an anchor: the checkpoint’s seq and hash', () => {
    const entries = chainOf(12);
    const anchor = { seq: 8, hash: entries[7]!.hash };
    expect(walk(entries.slice(8), headOf(entries), { anchor })).toEqual({ fault: null, checked: 4 });
    expect(
      walk(entries.slice(8), headOf(entries), { anchor: { seq: 8, hash: entries[6]!.hash } }).fault,
    ).toEqual({
      firstBadSeq: 9,
      reason: 'entry 9 does not follow entry 8',
    });
  });
});
