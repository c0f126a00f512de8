import type { ParetoEntryInput } from '../../machine-charts';

/*
 * Scrap by machine in the Pareto's terms: the chart draws `durationMs` as minutes, so one scrapped
 * unit is drawn as one minute (60 000) and the axis reads as units. Largest first, with cumulative shares.
 */
export function scrapEntries(
  machines: readonly { code: string; name: string; scrap: readonly number[] }[],
): ParetoEntryInput[] {
  const totals = machines
    .map((m) => ({ name: m.name, cause: m.code, scrap: m.scrap.reduce((sum, n) => sum + n, 0) }))
    .filter((m) => m.scrap > 0)
    .sort((a, b) => b.scrap - a.scrap);
  const all = totals.reduce((sum, m) => sum + m.scrap, 0);
  let running = 0;
  return totals.map((m) => {
    running += m.scrap;
    return { name: m.name, cause: m.cause, durationMs: m.scrap * 60_000, cumulativeShare: running / all };
  });
}
