import { describe, expect, it } from 'vitest';
import { CSV_HEADER, csvRowOf } from './csv-row.js';
import type { AuditEntry } from './entries.js';

/* The CSV export's rows (docs/audit.md, "Exporting"), written for people reading a spreadsheet. */

describe('audit CSV rows', () => {
  it('puts every column of an entry in the header’s order', () => {
    const entry: AuditEntry = {
      seq: 12,
      recordedAt: '2026-03-01T08:00:00.000Z',
      actorKind: 'api-key',
      actorUserId: null,
      actorApiKeyId: 'k',
      onBehalfOfUserId: null,
      actorName: 'Line edge',
      action: 'machine.update',
      entityType: 'machine',
      entityId: 'm-1',
      entityLabel: 'M1',
      plantId: 'p',
      plantCode: 'RIV',
      oldValues: { name: 'a' },
      newValues: { name: 'b' },
      reason: 'Renamed',
      requestId: 'req-1',
      clientAddress: '10.0.0.1',
      hash: 'h'.repeat(64),
      prevHash: 'p'.repeat(64),
      changesText: 'name: a → b',
    };
    const row = csvRowOf(entry);
    expect(row).toHaveLength(CSV_HEADER.length);
    expect(Object.fromEntries(CSV_HEADER.map((h, i) => [h, row[i]]))).toEqual({
      'Time (UTC)': '2026-03-01T08:00:00.000Z',
      Actor: 'Line edge (api-key)',
      Action: 'machine.update',
      Entity: 'machine m-1',
      Label: 'M1',
      Plant: 'RIV',
      Changes: 'name: a → b',
      Reason: 'Renamed',
      'Request ID': 'req-1',
      'Client address': '10.0.0.1',
      Seq: '12',
      Hash: 'h'.repeat(64),
    });
    expect(
      csvRowOf({ ...entry, actorKind: 'user', actorName: 'Ada', entityLabel: null, plantCode: null }),
    ).toEqual(expect.arrayContaining(['Ada']));
  });
});
