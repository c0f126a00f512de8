import { tables } from '@plantline/schema';
import type { BuiltinField, FieldKind } from '../workflow/index.js';

/*
 * The built-in fields of an NCR (docs/ncrs.md, "Fields"), once: the workflow engine knows them by
 * their key (guards, read-only and required fields, `set_field`), the API by the name it gives them in
 * `ncrs.update`'s patch. An edit tells the workflow which keys it changes, so a state's locks apply to
 * the same names a designer picked. Nothing here touches the database.
 */

export interface NcrField extends BuiltinField {
  /** The member of `ncrs.update`'s patch that writes it; null for fields only the server sets. */
  patchKey: NcrPatchKey | null;
}

/** What `ncrs.update` may change: the plant and the number are fixed once raised, the status is the workflow's. */
export const ncrPatchKeys = [
  'title',
  'lineId',
  'machineId',
  'productId',
  'productionOrderId',
  'lot',
  'serial',
  'defectCodeId',
  'quantityAffected',
  'description',
  'containment',
  'rootCause',
  'disposition',
  'cost',
  'ownerId',
] as const;
export type NcrPatchKey = (typeof ncrPatchKeys)[number];

const field = (
  key: string,
  label: string,
  kind: FieldKind,
  column: string,
  patchKey: NcrPatchKey | null,
  settable = false,
  choices?: readonly string[],
): NcrField => ({
  key,
  label,
  kind,
  column,
  patchKey,
  settable,
  ...(choices === undefined ? {} : { choices }),
});

/*
 * Settable are the fields a state's `set_field` action may sensibly write: the disposition (a
 * "false non-conformance" transition can set it), the cost and the owner (a state can hand the NCR to
 * whoever acts). The rest describe what happened and are the people's to write.
 */
export const NCR_FIELDS: readonly NcrField[] = [
  field('number', 'Number', 'text', 'number', null),
  field('title', 'Title', 'text', 'title', 'title'),
  field('description', 'Description', 'text', 'description', 'description'),
  field('containment', 'Containment', 'text', 'containment', 'containment'),
  field('root_cause', 'Root cause', 'text', 'root_cause', 'rootCause'),
  field('disposition', 'Disposition', 'choice', 'disposition', 'disposition', true, tables.ncrDispositions),
  field('cost', 'Cost', 'number', 'cost', 'cost', true),
  field('quantity_affected', 'Quantity affected', 'number', 'quantity_affected', 'quantityAffected'),
  field('lot', 'Lot', 'text', 'lot', 'lot'),
  field('serial', 'Serial number', 'text', 'serial', 'serial'),
  field('owner', 'Owner', 'user', 'owner_id', 'ownerId', true),
  field('raised_by', 'Raised by', 'user', 'raised_by', null),
  field('defect', 'Defect code', 'reference', 'defect_code_id', 'defectCodeId'),
  field('product', 'Product', 'reference', 'product_id', 'productId'),
  field('line', 'Line', 'reference', 'line_id', 'lineId'),
  field('machine', 'Machine', 'reference', 'machine_id', 'machineId'),
  field('production_order', 'Production order', 'reference', 'production_order_id', 'productionOrderId'),
];

const keyOfPatch = new Map(
  NCR_FIELDS.flatMap((f) => (f.patchKey === null ? [] : [[f.patchKey, f.key] as const])),
);

/** The workflow's key of a patch member (`rootCause` → `root_cause`). */
export function fieldKeyOf(patchKey: NcrPatchKey): string {
  const key = keyOfPatch.get(patchKey);
  if (key === undefined) throw new Error(`No NCR field is written by ${patchKey}`);
  return key;
}
