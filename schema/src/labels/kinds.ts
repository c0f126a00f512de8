/*
 * What a label is on (docs/labels.md, "Templates"): a pallet's logistic label, a carton, a product or
 * lot, an inventory location (a bin or rack). A template and every label issued with it have one kind;
 * the tables check it (label_templates_kind_check, barcode_labels_kind_check).
 */
export const labelKinds = ['pallet_sscc', 'carton', 'product_lot', 'location'] as const;
export type LabelKind = (typeof labelKinds)[number];

/**
 * Whether printing a label of `kind` again must say why (docs/labels.md, "Printing and reprints"). A
 * logistic or product label's second copy is a second label for one package or lot in the world,
 * which the reprint log explains; a location label names a bin, and another copy of it is only a
 * second sign on the same bin.
 */
export function reprintNeedsReason(kind: LabelKind): boolean {
  return kind !== 'location';
}
