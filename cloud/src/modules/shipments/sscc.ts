import { tables } from '@plantline/schema';
import { ssccFrom } from '@plantline/schema/gs1';
import { sql } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import { DomainError } from '../../platform/index.js';
import { tenantSettings } from '../settings/index.js';

/*
 * SSCCs for pallets and cartons (docs/logistics.md, "Settings"; GS1 General Specifications, "Serial
 * Shipping Container Code"): the next serial reference under the tenant's GS1 company prefix and
 * extension digit is one atomic upsert of its sscc_sequences row, so packers issuing at the same
 * moment never share a number, and one is never issued twice.
 */

/** The next SSCC of the caller's tenant, or a clear refusal while no company prefix is set. */
export async function issueSscc(tx: Sql, tenantId: string): Promise<string> {
  const { logistics } = await tenantSettings(tx);
  const companyPrefix = logistics.gs1CompanyPrefix;
  if (companyPrefix === null)
    throw new DomainError(
      'conflict',
      'SSCCs cannot be issued until the tenant’s GS1 company prefix is set (Settings → Logistics)',
    );
  const extensionDigit = logistics.ssccExtensionDigit;
  const q = tables.ssccSequences;
  const [row] = await tx
    .insert(q)
    .values({ tenantId, companyPrefix, extensionDigit, lastSerial: 1 })
    .onConflictDoUpdate({
      target: [q.tenantId, q.companyPrefix, q.extensionDigit],
      set: { lastSerial: sql`${q.lastSerial} + 1` },
    })
    .returning({ lastSerial: q.lastSerial });
  const serial = row!.lastSerial;
  // The serial reference fills what the prefix leaves of the 16 digits after the extension digit.
  if (serial >= 10 ** (16 - companyPrefix.length))
    throw new DomainError(
      'conflict',
      `Every SSCC of company prefix ${companyPrefix} with extension digit ${extensionDigit} is issued; choose another extension digit in Settings → Logistics`,
    );
  return ssccFrom({ extensionDigit, companyPrefix, serialReference: serial });
}
