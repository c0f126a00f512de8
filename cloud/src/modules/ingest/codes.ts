import { tables } from '@plantline/schema';
import type { Sql } from '../../db/index.js';
import type { Scope } from '../../platform/index.js';

/** A tenant's master data as ingest needs it: codes on topics → ids, within one plant scope. */
export interface ResolvedCodes {
  plants: ReadonlyMap<string, string>;
  /** `${plantId}/${lineCode}` → line id */
  lines: ReadonlyMap<string, string>;
  /** `${lineId}/${machineCode}` → machine id */
  machines: ReadonlyMap<string, string>;
}

/** Reads the codes visible in the transaction's scope (row-level security does the filtering). */
export async function loadCodes(tx: Sql): Promise<ResolvedCodes> {
  const [plants, lines, machines] = [
    await tx.select({ id: tables.plants.id, code: tables.plants.code }).from(tables.plants),
    await tx
      .select({ id: tables.lines.id, plantId: tables.lines.plantId, code: tables.lines.code })
      .from(tables.lines),
    await tx
      .select({ id: tables.machines.id, lineId: tables.machines.lineId, code: tables.machines.code })
      .from(tables.machines),
  ];
  return {
    plants: new Map(plants.map((p) => [p.code, p.id])),
    lines: new Map(lines.map((l) => [`${l.plantId}/${l.code}`, l.id])),
    machines: new Map(machines.map((m) => [`${m.lineId}/${m.code}`, m.id])),
  };
}

/**
 * Codes per tenant and plant scope, so each ingest batch does not re-read master data. Dropped for a
 * tenant when its master data changes (the `masterdata.changed` bus event); the time limit covers
 * changes made through another cloud instance.
 */
export class CodeCache {
  private readonly entries = new Map<string, { tenantId: string; codes: ResolvedCodes; loadedAt: number }>();

  constructor(private readonly maxAgeMs = 30_000) {}

  async get(tx: Sql, scope: Scope, now = Date.now()): Promise<ResolvedCodes> {
    const key = `${scope.tenantId}|${scope.plantIds === 'all' ? 'all' : [...scope.plantIds].sort().join(',')}`;
    const cached = this.entries.get(key);
    if (cached !== undefined && now - cached.loadedAt < this.maxAgeMs) return cached.codes;
    const codes = await loadCodes(tx);
    this.entries.set(key, { tenantId: scope.tenantId, codes, loadedAt: now });
    return codes;
  }

  invalidate(tenantId: string): void {
    for (const [key, entry] of this.entries) if (entry.tenantId === tenantId) this.entries.delete(key);
  }
}
