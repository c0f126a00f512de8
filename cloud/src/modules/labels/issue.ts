import { tables } from '@plantline/schema';
import { bracketedString, type Gs1Element } from '@plantline/schema/gs1';
import type { LabelData, LabelDataInput, LabelKind, LabelTemplate } from '@plantline/schema/labels';
import { and, desc, eq, type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Sql } from '../../db/index.js';
import { auditCreate, canSeePlant, DomainError, notFound, type Principal } from '../../platform/index.js';
import { layoutLabel } from './layout.js';
import { packageLabelData } from './package-data.js';
import { parseLabelData } from './render.js';
import { storedTemplate, templateForIssue } from './templates.js';

/*
 * Issuing labels (docs/labels.md, "Issuing and printing"): a package's label from what packing
 * recorded, or a product or lot label from data given. The data is checked as label data and laid out
 * with its template before anything is written, so a label that is issued can be rendered; it is kept
 * as issued and never changes — a reprint prints the same data.
 */

export interface IssueCall {
  tx: Sql;
  principal: Principal;
}

export type IssueInput =
  | { packageId: string; templateKey: string }
  | { plantId: string; templateKey: string; data: LabelData };

/** Which template kinds a package's label may have: a logistic label on any package, a carton label on a carton or case. */
const packageTemplateKinds: Record<'pallet' | 'carton' | 'case', readonly LabelKind[]> = {
  pallet: ['pallet_sscc'],
  carton: ['pallet_sscc', 'carton'],
  case: ['pallet_sscc', 'carton'],
};

const l = tables.barcodeLabels;

export async function issueLabel(call: IssueCall, input: IssueInput) {
  const { tx, principal } = call;
  const source = 'packageId' in input ? await fromPackage(call, input.packageId) : await fromData(tx, input);
  const stored = await templateForIssue(tx, principal.tenantId, input.templateKey);
  const { template } = stored;
  if (source.packageKind !== null && !packageTemplateKinds[source.packageKind].includes(template.kind))
    throw new DomainError(
      'invalid',
      `A ${source.packageKind} is not labelled with a ${template.name} label`,
      {
        templateKey: `Not for a ${source.packageKind}`,
      },
    );
  const data = parseLabelData(source.data);
  const elementString = labelElementString(template, data);
  return writeIssuedLabel(
    tx,
    {
      tenantId: principal.tenantId,
      plantId: source.plantId,
      kind: template.kind,
      templateId: stored.id,
      templateVersion: stored.version,
      packageId: source.packageId,
      shipmentId: source.shipmentId,
      sscc: data.sscc ?? null,
      elementString,
      data,
      createdBy: principal.userId,
    },
    (label) => ({
      packageId: label.packageId,
      shipmentId: label.shipmentId,
      sscc: label.sscc,
    }),
  );
}

/**
 * Writes an issued label, reads it back and audits the issue (`barcode_label.issue`) with what it is
 * of — `references` picks those fields of the label: its package and shipment, or its location.
 */
export async function writeIssuedLabel(
  tx: Sql,
  values: typeof l.$inferInsert,
  references: (label: Label) => Record<string, unknown>,
): Promise<Label> {
  const [created] = await tx.insert(l).values(values).returning({ id: l.id });
  if (created === undefined) throw new Error('The label was not written');
  const label = await findLabel(tx, created.id);
  auditCreate(
    tx,
    'barcode_label',
    {
      id: label.id,
      kind: label.kind,
      templateKey: label.templateKey,
      templateVersion: label.templateVersion,
      ...references(label),
      elementString: label.elementString,
    },
    { label: labelName(label), plantId: label.plantId },
    'issue',
  );
  return label;
}

interface LabelSource {
  plantId: string;
  packageId: string | null;
  packageKind: 'pallet' | 'carton' | 'case' | null;
  shipmentId: string | null;
  /** Checked once the template is known, so an unknown template is said first. */
  data: LabelDataInput;
}

async function fromPackage(call: IssueCall, packageId: string): Promise<LabelSource> {
  const { pkg, data } = await packageLabelData(call.tx, packageId);
  // The receiving plant of a transfer sees the package too; its label is the packing plant's to issue.
  if (!canSeePlant(call.principal, pkg.plantId))
    throw new DomainError('forbidden', 'A package is labelled at the plant that packs it');
  if (pkg.sscc === null)
    throw new DomainError('invalid', 'The package has no SSCC yet; it gets one when packing starts', {
      packageId: 'No SSCC yet',
    });
  return {
    plantId: pkg.plantId,
    packageId: pkg.id,
    packageKind: pkg.kind,
    shipmentId: pkg.shipmentId,
    data,
  };
}

async function fromData(tx: Sql, input: { plantId: string; data: LabelData }): Promise<LabelSource> {
  const [plant] = await tx
    .select({ id: tables.plants.id })
    .from(tables.plants)
    .where(eq(tables.plants.id, input.plantId));
  if (plant === undefined) throw new DomainError('not_found', 'Plant not found', { plantId: 'Not found' });
  return { plantId: plant.id, packageId: null, packageKind: null, shipmentId: null, data: input.data };
}

/**
 * Every GS1 element the label carries, once each in the order its symbols carry them, in bracketed
 * form; laying the label out is also the check that the template gets all it needs from the data.
 */
export function labelElementString(template: LabelTemplate, data: LabelData): string {
  const layout = layoutLabel(template, data);
  const elements = new Map<string, Gs1Element>();
  for (const item of layout.items)
    if (item.kind === 'symbol')
      for (const element of item.elements) elements.set(`${element.ai}=${element.value}`, element);
  return bracketedString([...elements.values()]);
}

const creator = tables.users;

const labelColumns = {
  id: l.id,
  plantId: l.plantId,
  plantCode: tables.plants.code,
  kind: l.kind,
  templateId: l.templateId,
  templateKey: tables.labelTemplates.key,
  templateName: tables.labelTemplates.name,
  templateVersion: l.templateVersion,
  packageId: l.packageId,
  shipmentId: l.shipmentId,
  locationId: l.locationId,
  sscc: l.sscc,
  elementString: l.elementString,
  data: l.data,
  createdBy: l.createdBy,
  createdByName: creator.displayName,
  createdAt: l.createdAt,
};

const sameTenant = (t: { tenantId: AnyPgColumn; id: AnyPgColumn }, column: AnyPgColumn) =>
  and(eq(t.tenantId, l.tenantId), eq(t.id, column));

function selectLabels(tx: Sql) {
  return tx
    .select(labelColumns)
    .from(l)
    .innerJoin(tables.plants, sameTenant(tables.plants, l.plantId))
    .leftJoin(tables.labelTemplates, sameTenant(tables.labelTemplates, l.templateId))
    .leftJoin(creator, sameTenant(creator, l.createdBy));
}

type LabelRow = Awaited<ReturnType<ReturnType<typeof selectLabels>['where']>>[number];
export type Label = Omit<LabelRow, 'data'> & { data: LabelData };

const asLabel = (row: LabelRow): Label => ({ ...row, data: row.data as LabelData });

/** How the trail and the page name a label: its SSCC, else its elements. */
export const labelName = (label: { sscc: string | null; elementString: string }) =>
  label.sscc ?? (label.elementString.slice(0, 100) || 'label');

/** A label of the caller's plants, or "not found". */
export async function findLabel(tx: Sql, id: string): Promise<Label> {
  const [row] = await selectLabels(tx).where(eq(l.id, id));
  if (row === undefined) throw notFound('Label');
  return asLabel(row);
}

export interface LabelFilter {
  plantId?: string | undefined;
  packageId?: string | undefined;
  shipmentId?: string | undefined;
  locationId?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

/** Labels newest first, by plant, package, shipment or location; `cursor` is the last label of the previous page. */
export async function listLabels(tx: Sql, filter: LabelFilter) {
  const conditions: (SQL | undefined)[] = [
    filter.plantId === undefined ? undefined : eq(l.plantId, filter.plantId),
    filter.packageId === undefined ? undefined : eq(l.packageId, filter.packageId),
    filter.shipmentId === undefined ? undefined : eq(l.shipmentId, filter.shipmentId),
    filter.locationId === undefined ? undefined : eq(l.locationId, filter.locationId),
  ];
  // Compared in the database: timestamps there have microseconds, JavaScript dates milliseconds.
  if (filter.cursor !== undefined)
    conditions.push(
      sql`(${l.createdAt}, ${l.id}) < (select c.created_at, c.id from ${l} c where c.id = ${filter.cursor})`,
    );
  const found = await selectLabels(tx)
    .where(and(...conditions))
    .orderBy(desc(l.createdAt), desc(l.id))
    .limit(filter.limit + 1);
  const items = found.slice(0, filter.limit).map(asLabel);
  return { items, nextCursor: found.length > filter.limit ? (items.at(-1)?.id ?? null) : null };
}

/** What rendering a label needs: its data and its template's definition. */
export async function labelForRender(
  tx: Sql,
  id: string,
): Promise<{ label: Label; template: LabelTemplate }> {
  const label = await findLabel(tx, id);
  if (label.templateId === null)
    throw new DomainError('invalid', 'The label has no template to render it with');
  return { label, template: await storedTemplate(tx, label.templateId) };
}
