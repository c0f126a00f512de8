import type { StateTone } from '$lib/records/states';

/*
 * The BOM pages' words and the shaping of the editor's rows (docs/materials.md, "BOMs"): pure, so they
 * are tested beside the pages.
 */

export type BomStatus = 'draft' | 'released' | 'obsolete';

export function bomStatusTone(status: BomStatus): StateTone {
  if (status === 'released') return 'good';
  if (status === 'obsolete') return 'ended';
  return 'draft';
}

const day = (instant: string | Date) => new Date(instant).toISOString().slice(0, 16).replace('T', ' ');

/** When a version is effective, in UTC: "—" for a draft, "from …" when open-ended. */
export function validity(bom: { validFrom: string | Date | null; validTo: string | Date | null }): string {
  if (bom.validFrom === null) return '—';
  if (bom.validTo === null) return `from ${day(bom.validFrom)} UTC`;
  return `${day(bom.validFrom)} – ${day(bom.validTo)} UTC`;
}

/** One editable row of the items table; numbers as typed (a number input bound gives a number, or null when empty). */
export interface ItemRow {
  materialId: string;
  quantity: string | number | null;
  unit: string;
  scrapPercent: string | number | null;
  backflush: boolean;
}

const typed = (value: string | number | null) => (value === null ? '' : String(value).trim());

/**
 * The rows as the API takes them, or the first problem with a row (1-based) so the editor can say
 * which one; the API checks units and loops itself.
 */
export function itemsInput(rows: readonly ItemRow[]):
  | {
      items: {
        materialId: string;
        quantity: number;
        unit: string;
        scrapPercent: number;
        backflush: boolean;
      }[];
    }
  | { problem: string } {
  const items = [];
  for (const [index, row] of rows.entries()) {
    const which = `Item ${index + 1}`;
    if (!row.materialId) return { problem: `${which}: choose the component.` };
    const quantity = typed(row.quantity) === '' ? 0 : Number(typed(row.quantity));
    if (!(quantity > 0)) return { problem: `${which}: the quantity must be above zero.` };
    const scrap = typed(row.scrapPercent) === '' ? 0 : Number(typed(row.scrapPercent));
    if (!(scrap >= 0 && scrap <= 100)) return { problem: `${which}: scrap is a percentage from 0 to 100.` };
    items.push({
      materialId: row.materialId,
      quantity,
      unit: row.unit,
      scrapPercent: scrap,
      backflush: row.backflush,
    });
  }
  return { items };
}
