import type { trpc } from './trpc';

/*
 * The stock pages' shaping (docs/materials.md, "Stock pages"): a plant's locations as the tree
 * they form (warehouses with their bins, the areas beside them) with each location's balances and
 * the total below it, and the few words the pages show for movement kinds. Pure, tested beside.
 */
type Client = typeof trpc;
export type StockLocation = Awaited<ReturnType<Client['materials']['locations']['list']['query']>>[number];
export type StockBalance = Awaited<ReturnType<Client['inventory']['balances']['query']>>[number];
export type Movement = Awaited<ReturnType<Client['inventory']['movements']['query']>>[number];
export type MaterialRow = Awaited<ReturnType<Client['materials']['list']['query']>>[number];

export interface LocationNode {
  location: StockLocation;
  depth: number;
  /** Balances held at this location itself, by material and lot. */
  balances: StockBalance[];
  /** Per material code: what this location and every location below it hold. */
  totals: { materialCode: string; baseUnit: string; quantity: number }[];
  children: LocationNode[];
}

/** The plant's locations as a forest, by code at each level, each with its own balances and totals. */
export function locationTree(
  locations: readonly StockLocation[],
  balances: readonly StockBalance[],
): LocationNode[] {
  const byParent = new Map<string | null, StockLocation[]>();
  const ids = new Set(locations.map((l) => l.id));
  for (const location of locations) {
    // A parent not in the list (inactive, filtered out) puts its child at the top rather than losing it.
    const parent = location.parentId !== null && ids.has(location.parentId) ? location.parentId : null;
    byParent.set(parent, [...(byParent.get(parent) ?? []), location]);
  }
  const held = new Map<string, StockBalance[]>();
  for (const balance of balances)
    held.set(balance.locationId, [...(held.get(balance.locationId) ?? []), balance]);
  const build = (parent: string | null, depth: number, path: Set<string>): LocationNode[] =>
    [...(byParent.get(parent) ?? [])]
      .sort((a, b) => a.code.localeCompare(b.code))
      .filter((location) => !path.has(location.id))
      .map((location) => {
        const children = build(location.id, depth + 1, new Set([...path, location.id]));
        const own = held.get(location.id) ?? [];
        return { location, depth, balances: own, children, totals: totalsOf(own, children) };
      });
  return build(null, 0, new Set());
}

function totalsOf(own: readonly StockBalance[], children: readonly LocationNode[]) {
  const sums = new Map<string, { materialCode: string; baseUnit: string; quantity: number }>();
  const add = (materialCode: string, baseUnit: string, quantity: number) => {
    const found = sums.get(materialCode) ?? { materialCode, baseUnit, quantity: 0 };
    found.quantity = roundQuantity(found.quantity + quantity);
    sums.set(materialCode, found);
  };
  for (const b of own) add(b.materialCode, b.baseUnit, Number(b.quantity));
  for (const child of children) for (const t of child.totals) add(t.materialCode, t.baseUnit, t.quantity);
  return [...sums.values()].sort((a, b) => a.materialCode.localeCompare(b.materialCode));
}

/** Sums of decimal quantities without binary noise (0.1 + 0.2 shows as 0.3). */
const roundQuantity = (value: number) => Math.round(value * 1e6) / 1e6;

/** A ledger quantity for reading: trailing zeros dropped, signed when asked. */
export function formatQuantity(quantity: string | number, signed = false): string {
  const value = roundQuantity(Number(quantity));
  const text = value.toLocaleString('en-US', { maximumFractionDigits: 6 });
  return signed && value > 0 ? `+${text}` : text;
}

export const MOVEMENT_KIND_LABELS = {
  receipt: 'Receipt',
  issue: 'Issue',
  transfer_out: 'Transfer out',
  transfer_in: 'Transfer in',
  consumption: 'Consumption',
  production: 'Production',
  scrap: 'Scrap',
  adjustment: 'Adjustment',
  reversal: 'Reversal',
} as const satisfies Record<Movement['kind'], string>;

/** A `datetime-local` value (the browser's time) as an instant, or undefined when empty or invalid. */
export function instantOf(local: string): Date | undefined {
  if (local === '') return undefined;
  const at = new Date(local);
  return Number.isNaN(at.getTime()) ? undefined : at;
}
