import { tables } from '@plantline/schema';
import { and, asc, eq, sql } from 'drizzle-orm';
import { rows } from '../../db/index.js';
import { loadPdfKit } from '../../platform/index.js';
import type { WorkflowContext } from './context.js';
import type { CatalogueField } from './engine/types.js';
import { fieldCatalogue } from './record-fields.js';
import { fieldText, meaningLabel, utcTime, winAnsi, zonedTime } from './signature-text.js';
import { readableRecord, type SignatureRow, signatureColumns } from './signatures.js';
import type { SigningComponents } from './signing-auth.js';

/*
 * The printable manifestation of a record's signatures (21 CFR 11.50(b): name, date and time, and
 * meaning appear in every human-readable form of the record; docs/workflows.md, "Electronic
 * signatures"). One PDF of vector text, built from the stored rows: each signature as signed —
 * printed name, "for" under a delegation, the time in UTC and in the plant's zone, the meaning,
 * valid or voided with the reason, the SHA-256 it is bound to — and the fields as each was signed.
 */

export interface ManifestSignature extends SignatureRow {
  /** The record's fields as signed (record-fields.ts, signedContent). */
  fields: Record<string, unknown>;
}

export interface SignatureManifest {
  recordType: string;
  code: string;
  title: string | null;
  tenant: string;
  plant: { name: string; timeZone: string } | null;
  printedAt: Date;
  printedBy: string | null;
  signatures: ManifestSignature[];
  /** The record type's fields by ref, for their labels. */
  fields: ReadonlyMap<string, CatalogueField>;
  /** Transition labels by key ("Approve disposition" for `approve`), as the workflow names them. */
  actions: ReadonlyMap<string, string>;
  /** What the record's references and people are called, by id: "L1 Line 1", "Maria Keller". */
  names: ReadonlyMap<string, string>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids in the signed fields of people and references, as the caller may read them. */
async function namesOf(tx: WorkflowContext['tx'], signatures: readonly ManifestSignature[]) {
  const ids = [
    ...new Set(
      signatures.flatMap((s) =>
        Object.values(s.fields)
          .flatMap((v) => (Array.isArray(v) ? v : [v]))
          .filter((v): v is string => typeof v === 'string' && UUID.test(v)),
      ),
    ),
  ];
  if (ids.length === 0) return new Map<string, string>();
  const list = sql.param(ids);
  const found = await rows<{ id: string; name: string }>(
    tx,
    sql`select id::text, display_name as name from users where id = any(${list}::uuid[])
        union all select id::text, code || ' ' || name from plants where id = any(${list}::uuid[])
        union all select id::text, code || ' ' || name from lines where id = any(${list}::uuid[])
        union all select id::text, code || ' ' || name from machines where id = any(${list}::uuid[])
        union all select id::text, code || ' ' || name from products where id = any(${list}::uuid[])
        union all select id::text, code || ' ' || name from defect_codes where id = any(${list}::uuid[])
        union all select id::text, number from production_orders where id = any(${list}::uuid[])`,
  );
  return new Map(found.map((r) => [r.id, r.name]));
}

/** Everything the page shows, as the caller may read it (read permission, row-level security). */
export async function signatureManifest(
  ctx: Pick<WorkflowContext, 'tx' | 'principal' | 'deps'>,
  input: { entityType: string; entityId: string },
): Promise<SignatureManifest> {
  const { tx, principal } = ctx;
  const { entity, record } = await readableRecord(ctx, input);
  const [facts] = await rows<{
    tenant: string;
    plant: string | null;
    zone: string | null;
    printed_by: string | null;
    printed_at: Date | string;
  }>(
    tx,
    sql`select (select name from tenants where id = plantline.current_tenant_id()) as tenant,
               p.name as plant, p.timezone as zone,
               (select display_name from users where id = ${principal.userId}::uuid) as printed_by,
               now() as printed_at
          from (select 1) one
          left join plants p on p.id = ${record.plantId}::uuid`,
  );
  const signed = await tx
    .select({ ...signatureColumns, record: tables.electronicSignatures.record })
    .from(tables.electronicSignatures)
    .where(
      and(
        eq(tables.electronicSignatures.entityType, entity.key),
        eq(tables.electronicSignatures.entityId, record.id),
      ),
    )
    .orderBy(asc(tables.electronicSignatures.signedAt), asc(tables.electronicSignatures.id));
  const actions = await rows<{ key: string; label: string }>(
    tx,
    sql`select distinct on (t.key) t.key, t.label from workflow_transitions t
          join workflow_versions v on v.id = t.version_id
          join workflows w on w.id = v.workflow_id
         where w.entity_type = ${entity.key}
         order by t.key, v.number desc`,
  );
  const signatures = signed.map(({ record: content, ...s }) => ({
    ...s,
    components: s.components as SigningComponents,
    fields: fieldsOf(content),
  }));
  return {
    recordType: entity.label,
    code: record.code,
    title: record.title,
    tenant: facts?.tenant ?? '',
    plant: facts?.plant == null ? null : { name: facts.plant, timeZone: facts.zone ?? 'UTC' },
    printedAt: new Date(facts?.printed_at ?? Date.now()),
    printedBy: facts?.printed_by ?? null,
    signatures,
    fields: await fieldCatalogue(tx, entity),
    actions: new Map(actions.map((a) => [a.key, a.label])),
    names: await namesOf(tx, signatures),
  };
}

function fieldsOf(content: unknown): Record<string, unknown> {
  const fields = (content as { fields?: unknown } | null)?.fields;
  return typeof fields === 'object' && fields !== null ? (fields as Record<string, unknown>) : {};
}

const componentText: Record<SigningComponents, string> = {
  both: 'email and password',
  password: 'password, in a session already signed with both',
};

/** The page as a PDF. `compress: false` leaves the text readable in the file (tests read it). */
export async function renderSignaturePage(
  manifest: SignatureManifest,
  options: { compress?: boolean } = {},
): Promise<Buffer> {
  const PDFDocument = await loadPdfKit();
  const doc = new PDFDocument({
    size: 'A4',
    margin: 50,
    compress: options.compress ?? true,
    info: {
      Title: winAnsi(`Electronic signatures — ${manifest.recordType} ${manifest.code}`),
      Creator: 'Plantline',
      CreationDate: manifest.printedAt,
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const zone = manifest.plant?.timeZone ?? 'UTC';
  const write = (text: string, font = 'Helvetica', size = 10) =>
    doc.font(font).fontSize(size).text(winAnsi(text));

  write('Electronic signatures', 'Helvetica-Bold', 18);
  write(
    `${manifest.recordType} ${manifest.code}${manifest.title ? ` — ${manifest.title}` : ''}`,
    'Helvetica',
    13,
  );
  doc.moveDown(0.5);
  write(`Tenant: ${manifest.tenant}`);
  if (manifest.plant !== null) write(`Plant: ${manifest.plant.name} (time zone ${zone})`);
  write(`Printed at: ${utcTime(manifest.printedAt)}${manifest.printedBy ? ` by ${manifest.printedBy}` : ''}`);
  doc.moveDown(0.5);
  write(
    'Each signature was given with the signer’s own credentials and is bound to the SHA-256 of the ' +
      'record’s fields as signed (21 CFR 11.50, 11.70). A voided signature no longer counts; it stays ' +
      'here as part of the record’s history.',
    'Helvetica-Oblique',
    9,
  );
  doc.moveDown();

  if (manifest.signatures.length === 0) write('The record has no signatures.');
  manifest.signatures.forEach((s, index) => {
    const name = s.onBehalfOfName ? `${s.signerName} for ${s.onBehalfOfName}` : s.signerName;
    write(`${index + 1}. ${name}`, 'Helvetica-Bold', 12);
    write(`Meaning: ${meaningLabel(s.meaning)}`);
    write(`Signed: ${utcTime(s.signedAt)}${zone === 'UTC' ? '' : ` — ${zonedTime(s.signedAt, zone)}`}`);
    if (s.transitionKey !== null)
      write(`Action: ${manifest.actions.get(s.transitionKey) ?? s.transitionKey}`);
    write(`Identified by: ${componentText[s.components]}`);
    write(
      s.voidedAt === null
        ? 'Status: valid'
        : `Status: VOIDED ${utcTime(s.voidedAt)} — ${s.voidReason ?? 'no reason recorded'}`,
      s.voidedAt === null ? 'Helvetica' : 'Helvetica-Bold',
    );
    write(`Record SHA-256: ${s.recordSha256}`, 'Courier', 9);
    doc.moveDown(0.7);
  });

  // The content signed, once per distinct hash (most signatures of a record share one).
  const byHash = new Map<string, { numbers: number[]; fields: Record<string, unknown> }>();
  manifest.signatures.forEach((s, index) => {
    const group = byHash.get(s.recordSha256) ?? { numbers: [], fields: s.fields };
    group.numbers.push(index + 1);
    byHash.set(s.recordSha256, group);
  });
  for (const [hash, group] of byHash) {
    doc.moveDown(0.5);
    write(
      `Fields as signed (signature${group.numbers.length === 1 ? '' : 's'} ${group.numbers.join(', ')})`,
      'Helvetica-Bold',
      12,
    );
    write(`SHA-256: ${hash}`, 'Courier', 9);
    const entries = Object.entries(group.fields);
    if (entries.length === 0) write('No field had a value.');
    for (const [ref, value] of entries) {
      const field = manifest.fields.get(ref);
      const named = Array.isArray(value)
        ? value.map((v) => (typeof v === 'string' ? (manifest.names.get(v) ?? v) : v))
        : typeof value === 'string'
          ? (manifest.names.get(value) ?? value)
          : value;
      write(`${field?.label ?? ref}: ${fieldText(named, field)}`);
    }
  }
  doc.end();
  return done;
}
