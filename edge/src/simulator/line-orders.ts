import type { LineOrder } from './plant-model';

/**
 * The `--orders` option of the simulator: a JSON object of line code → order
 * (`{"L1":{"number":"PO-RIV-2026-00002","product":"BRK-200","quantity":350}}`), which `pnpm start`
 * builds from the cloud's orders in progress (docs/demo.md, "Materials and stock"). Anything else is
 * refused with what is wrong, so a mistyped option stops the simulator rather than being ignored.
 */
export function parseLineOrders(text: string): Record<string, LineOrder> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error('--orders must be JSON: {"L1":{"number":"…","product":"…","quantity":100}}');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new Error('--orders must be an object of line code → order');
  const orders: Record<string, LineOrder> = {};
  for (const [line, value] of Object.entries(parsed)) {
    const { number, product, quantity } = (value ?? {}) as Partial<Record<keyof LineOrder, unknown>>;
    if (typeof number !== 'string' || number.trim() === '')
      throw new Error(`--orders: line ${line} needs the order's number`);
    if (typeof product !== 'string' || product.trim() === '')
      throw new Error(`--orders: line ${line} needs the order's product code`);
    if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 0)
      throw new Error(`--orders: line ${line} needs the quantity still to make, a whole number`);
    orders[line] = { number: number.trim(), product: product.trim(), quantity };
  }
  return orders;
}
