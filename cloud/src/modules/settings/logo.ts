import { createHash } from 'node:crypto';
import { tables } from '@plantline/schema';
import { eq, sql } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import { audit, DomainError, type Principal } from '../../platform/index.js';
import { type LogoType, readLogoImage } from './logo-image.js';

/*
 * The tenant's logo (docs/settings.md, "Logo"): kept in the tenant's system_settings row beside the
 * settings document, drawn on report PDFs (docs/reports.md, "Formats") and served to the web at
 * /api/tenant/logo. Uploading and removing it are audited with its SHA-256 and size, never the bytes.
 */

/** What is known of a stored logo without its bytes. */
export interface LogoInfo {
  readonly type: LogoType;
  readonly sha256: string;
  readonly bytes: number;
  readonly width: number;
  readonly height: number;
  readonly updatedAt: Date;
}

export interface TenantLogo extends LogoInfo {
  readonly data: Buffer;
}

const stored = tables.systemSettings;
const ofThisTenant = eq(stored.tenantId, sql`plantline.current_tenant_id()`);

const infoColumns = {
  type: stored.logoType,
  sha256: stored.logoSha256,
  bytes: sql<number>`octet_length(${stored.logo})`.mapWith(Number),
  width: stored.logoWidth,
  height: stored.logoHeight,
  updatedAt: stored.logoUpdatedAt,
};

type InfoRow = { [K in keyof typeof infoColumns]: unknown };

function infoOf(row: InfoRow | undefined): LogoInfo | null {
  if (row === undefined || row.sha256 === null || row.type === null) return null;
  return row as unknown as LogoInfo;
}

/** The transaction's tenant's logo without its bytes, or null when it has none. */
export async function readLogoInfo(tx: Sql): Promise<LogoInfo | null> {
  const [row] = await tx.select(infoColumns).from(stored).where(ofThisTenant);
  return infoOf(row);
}

/** The transaction's tenant's logo with its bytes, for the report PDFs and the logo route. */
export async function tenantLogo(tx: Sql): Promise<TenantLogo | null> {
  const [row] = await tx
    .select({ ...infoColumns, data: stored.logo })
    .from(stored)
    .where(ofThisTenant);
  const info = infoOf(row);
  if (info === null || row?.data == null) return null;
  return { ...info, data: Buffer.from(row.data) };
}

const auditedOf = (info: LogoInfo | null) =>
  info === null
    ? null
    : { sha256: info.sha256, bytes: info.bytes, type: info.type, size: `${info.width}×${info.height}` };

/** Replaces the logo with `data` after checking it; refused with the reason when it is no fit. */
export async function setLogo(
  tx: Sql,
  caller: Pick<Principal, 'tenantId' | 'userId'>,
  data: Buffer,
): Promise<LogoInfo> {
  const image = await readLogoImage(data);
  if ('problem' in image) throw new DomainError('invalid', image.problem, { image: image.problem });
  const before = await readLogoInfo(tx);
  const sha256 = createHash('sha256').update(data).digest('hex');
  const logo = {
    logo: data,
    logoType: image.type,
    logoSha256: sha256,
    logoWidth: image.width,
    logoHeight: image.height,
    logoUpdatedAt: sql`now()`,
  };
  // A tenant that never saved its settings may have no row; version 0 keeps it "never saved"
  // for the settings editor (settings.ts), as the logo is no change to the settings document.
  await tx
    .insert(stored)
    .values({ tenantId: caller.tenantId, version: 0, ...logo })
    .onConflictDoUpdate({ target: stored.tenantId, set: logo });
  const after = await readLogoInfo(tx);
  if (after === null) throw new Error('the logo just stored cannot be read back');
  audit(tx, {
    action: before === null ? 'settings.logo.upload' : 'settings.logo.replace',
    entityType: 'settings',
    entityId: caller.tenantId,
    entityLabel: 'Tenant logo',
    before: auditedOf(before),
    after: auditedOf(after),
  });
  return after;
}

/** Removes the logo; reports PDFs carry the Plantline mark again. Removing none is refused. */
export async function removeLogo(tx: Sql, caller: Pick<Principal, 'tenantId'>): Promise<void> {
  const before = await readLogoInfo(tx);
  if (before === null) throw new DomainError('not_found', 'This tenant has no logo to remove');
  await tx
    .update(stored)
    .set({
      logo: null,
      logoType: null,
      logoSha256: null,
      logoWidth: null,
      logoHeight: null,
      logoUpdatedAt: null,
    })
    .where(ofThisTenant);
  audit(tx, {
    action: 'settings.logo.remove',
    entityType: 'settings',
    entityId: caller.tenantId,
    entityLabel: 'Tenant logo',
    before: auditedOf(before),
    after: null,
  });
}
