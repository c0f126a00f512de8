import { sql } from 'drizzle-orm';
import { rows, type Sql } from '../../db/index.js';
import {
  checkLength,
  resolveScope,
  resolveWindow,
  type ScopeInput,
  type WindowInput,
  zoneOf,
} from './kpi-scope.js';
import { summaryOf } from './oee-query.js';

/*
 * Good and scrap per hour, per machine and in total (per machine or line; a plant works
 * too), for the output charts (docs/kpis.md, `kpi.countsPerHour`). Hours are
 * the plant's local hours: date_bin's origin is local midnight of the window's first day, so a plant
 * at UTC+05:30 gets 08:00–09:00 local, not 08:30–09:30. date_bin runs on PostgreSQL ≥ 14 with or
 * without TimescaleDB (time_bucket would need the extension), so both engines run one statement.
 * Hours without counts are zeros: no count means nothing was counted, unlike state time, where
 * silence is a gap.
 */

export const MAX_HOURLY_DAYS = 31;
const HOUR_MS = 3_600_000;

export async function countsPerHour(
  tx: Sql,
  input: { scope: ScopeInput; window: WindowInput },
  now = Date.now(),
) {
  const scope = await resolveScope(tx, input.scope);
  const window = await resolveWindow(tx, scope.plant, input.window, now);
  if (window !== null) checkLength(window, MAX_HOURLY_DAYS);
  const range = window ?? { start: now, end: now };
  const end = Math.max(range.start, Math.min(range.end, now));
  const tz = zoneOf(scope.plant.timezone);
  const first = tz.localAt(range.start);
  const origin = tz.instantOf({ ...first, hour: 0, minute: 0 });
  const hourOf = (t: number) => origin + Math.floor((t - origin) / HOUR_MS) * HOUR_MS;
  const hours: number[] = [];
  for (let h = hourOf(range.start); h < end; h += HOUR_MS) hours.push(h);
  const index = new Map(hours.map((h, k) => [h, k]));
  const ids = scope.machines.map((m) => m.id);
  const found =
    ids.length === 0 || hours.length === 0
      ? []
      : await rows<{ machine_id: string; hour: number; good: number; scrap: number }>(
          tx,
          sql`select machine_id::text as machine_id,
                     (extract(epoch from date_bin('1 hour', time, ${new Date(origin).toISOString()}::timestamptz)) * 1000)::float8 as hour,
                     sum(good)::float8 as good, sum(scrap)::float8 as scrap
                from production_counts
               where machine_id = any(${sql.param(ids)}::uuid[])
                 and time >= ${new Date(range.start).toISOString()}::timestamptz
                 and time < ${new Date(end).toISOString()}::timestamptz
               group by 1, 2`,
        );
  const zeros = () => hours.map(() => 0);
  const machines = scope.machines.map((m) => ({
    machineId: m.id,
    code: m.code,
    name: m.name,
    good: zeros(),
    scrap: zeros(),
  }));
  const byId = new Map(machines.map((m) => [m.machineId, m]));
  const total = { good: zeros(), scrap: zeros() };
  for (const r of found) {
    const k = index.get(r.hour);
    const m = byId.get(r.machine_id);
    if (k === undefined || m === undefined) continue;
    m.good[k] = (m.good[k] ?? 0) + r.good;
    m.scrap[k] = (m.scrap[k] ?? 0) + r.scrap;
    total.good[k] = (total.good[k] ?? 0) + r.good;
    total.scrap[k] = (total.scrap[k] ?? 0) + r.scrap;
  }
  return { scope: summaryOf(scope), window, hours, machines, total };
}
