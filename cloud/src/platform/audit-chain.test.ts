import canonicalize from 'canonicalize';
import { describe, expect, it } from 'vitest';
import {
  type AuditEntryContent,
  auditEntryHash,
  canonicalEntry,
  changedValues,
  GENESIS_HASH,
} from './audit-chain.js';

const entry: AuditEntryContent = {
  tenantId: '00000000-0000-4000-8000-000000000001',
  seq: 1,
  recordedAt: '2026-12-04T10:00:00.000Z',
  actorKind: 'user',
  actorUserId: '00000000-0000-4000-8000-000000000002',
  actorApiKeyId: null,
  onBehalfOfUserId: null,
  actorName: 'Ada',
  action: 'role.update',
  entityType: 'role',
  entityId: 'r1',
  entityLabel: 'Supervisor',
  plantId: null,
  oldValues: { name: 'Lead', permissions: ['kpi.read'] },
  newValues: { name: 'Supervisor', permissions: ['events.read', 'kpi.read'] },
  reason: null,
  requestId: 'req-1',
  clientAddress: '127.0.0.1',
};

describe('audit chain', () => {
  it('hashes the RFC 8785 form: member order and number spelling do not matter', () => {
    const reordered = Object.fromEntries(Object.entries(entry).reverse()) as unknown as AuditEntryContent;
    expect(canonicalEntry(reordered)).toBe(canonicalEntry(entry));
    expect(canonicalEntry({ ...entry, newValues: { n: 1.0 } })).toBe(
      canonicalEntry({ ...entry, newValues: { n: 1 } }),
    );
    expect(canonicalEntry(entry).startsWith('{"action":"role.update","actorApiKeyId":null')).toBe(true);
  });

  it('writes exactly what canonicalize writes, for any values an entry may hold', () => {
    // A fixed pseudo-random sequence (LCG), so a failure repeats.
    let seed = 11;
    const next = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      // The high bits: an LCG's low bits repeat with a short period.
      return Math.floor(seed / 65_536) % n;
    };
    const keys = ['a', 'B', 'name', 'é', '€', '😀', '｡', 'a b', '"q"', '\n', '10', '9', '0', 'x1'];
    const leaves = [
      0,
      -0,
      1,
      -1.5,
      1e21,
      1e-7,
      5e-324,
      2 ** 53 + 2,
      'text',
      '',
      '😀 ok',
      'tab\there',
      '\u0000',
      true,
      false,
      null,
    ];
    const randomValue = (depth: number): unknown => {
      const kind = next(depth > 2 ? 1 : 4);
      if (kind === 0) return leaves[next(leaves.length)];
      if (kind === 1) return Array.from({ length: next(4) }, () => randomValue(depth + 1));
      return Object.fromEntries(
        Array.from({ length: next(5) }, () => [keys[next(keys.length)]!, randomValue(depth + 1)]),
      );
    };
    for (let i = 0; i < 2000; i++) {
      const sample = {
        ...entry,
        seq: i,
        oldValues: randomValue(0),
        newValues: randomValue(0),
        reason: i % 3 ? null : '€ 😀',
      };
      expect(canonicalEntry(sample)).toBe(canonicalize(sample));
    }
    // Members other than an entry's, undefined members and dates are written as canonicalize writes them.
    const extra = { ...entry, note: 'x' } as AuditEntryContent;
    expect(canonicalEntry(extra)).toBe(canonicalize(extra));
    const dated = { ...entry, newValues: { at: new Date(0), gone: undefined } };
    expect(canonicalEntry(dated)).toBe(canonicalize(dated));
    // What canonicalize refuses is refused, not written some other way.
    for (const bad of [
      { n: Number.NaN },
      { n: Number.POSITIVE_INFINITY },
      { s: 'half \ud800' },
      { 'k\udc00': 1 },
    ]) {
      expect(() => canonicalEntry({ ...entry, newValues: bad })).toThrow();
    }
    expect(() => canonicalEntry({ ...entry, reason: '\ud83d' })).toThrow();
  });

  it('chains: each hash depends on the previous one and on every member', () => {
    const first = auditEntryHash(GENESIS_HASH, entry);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(auditEntryHash(first, { ...entry, seq: 2 })).not.toBe(
      auditEntryHash(GENESIS_HASH, { ...entry, seq: 2 }),
    );
    expect(auditEntryHash(GENESIS_HASH, { ...entry, reason: 'typo' })).not.toBe(first);
  });

  it('keeps only what changed, under the same keys', () => {
    expect(changedValues({ a: 1, b: [1, 2], c: 'x' }, { a: 1, b: [2, 1], c: null })).toEqual({
      oldValues: { b: [1, 2], c: 'x' },
      newValues: { b: [2, 1], c: null },
    });
    expect(changedValues(null, { a: new Date('2026-01-01T00:00:00Z') })).toEqual({
      oldValues: null,
      newValues: { a: '2026-01-01T00:00:00.000Z' },
    });
    expect(changedValues({ a: 1 }, { a: 1 })).toEqual({ oldValues: {}, newValues: {} });
  });
});
