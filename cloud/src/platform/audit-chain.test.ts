import { describe, expect, it } from 'vitest';
import {
  type AuditEntryContent,
  auditEntryHash,
  canonicalEntry,
  changedValues,
  GENESIS_HASH,
  wellFormed,
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

  it('replaces lone surrogates as the database would, so an entry with one still hashes', () => {
    expect(wellFormed('a\ud800b\udc00c')).toBe('a\ufffdb\ufffdc');
    expect(wellFormed('pair \ud83d\ude00 kept')).toBe('pair \ud83d\ude00 kept');
    const { newValues } = changedValues(null, { name: '\ud800', list: ['x\udfff'] });
    expect(newValues).toEqual({ name: '\ufffd', list: ['x\ufffd'] });
    expect(() => canonicalEntry({ ...entry, newValues })).not.toThrow();
    expect(() => canonicalEntry({ ...entry, newValues: { name: '\ud800' } })).toThrow();
  });
});
