import { readFile } from 'node:fs/promises';
import { demoHistoryProgress } from '@plantline/schema';
import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { type Database, rows } from '../../db/index.js';
import { type Scheduler, scopeOf } from '../../platform/index.js';
import { loadUserPrincipal } from '../identity/index.js';
import { createSchedule, requestRun } from '../reports/index.js';
import { demoPerson } from './demo-people.js';

/*
 * The demo's reports (docs/demo.md, "Reports"): once the history backfill has loaded the past days,
 * the supervisor Petra Novak has run OEE by shift for yesterday as a PDF and as XLSX and the downtime
 * Pareto of last week, and scheduled OEE by shift for every shift end at Riverside, to the
 * supervisors. Done by a periodic check rather than at seed time: the runs need the history, which
 * the backfill loads after the cloud has started. Done once per tenant: a tenant with any run is left
 * alone.
 */

export const DEMO_REPORTS_CHECK_MS = 30_000;

export interface DemoReportsDeps {
  readonly db: Database;
  readonly log: Logger;
  /** The backfill's progress file (schema's DEMO_HISTORY_FILE in the data folder). */
  readonly historyFile: string;
  readonly enqueue: (tenantId: string, executionId: string) => Promise<void>;
}

export function scheduleDemoReports(scheduler: Scheduler, deps: DemoReportsDeps): void {
  let done = false;
  scheduler.every('demo-reports', DEMO_REPORTS_CHECK_MS, async () => {
    if (done) return;
    done = await seedDemoReports(deps);
  });
}

/** True once there is nothing more to do: the reports are there, or there is no history to wait for. */
export async function seedDemoReports(deps: DemoReportsDeps): Promise<boolean> {
  const progress = await readFile(deps.historyFile, 'utf8')
    .then((text) => demoHistoryProgress.safeParse(JSON.parse(text)))
    .catch(() => null);
  if (progress === null || !progress.success) return true;
  if (progress.data.state === 'failed') return true;
  if (progress.data.state !== 'done') return false;
  const { tenantId } = progress.data;
  const { db } = deps;
  const [found] = await db.transact({ tenantId, plantIds: 'all' }, (tx) =>
    rows<{ runs: number; supervisor: string | null; riv: string | null; role: string | null }>(
      tx,
      sql`select (select count(*)::int from report_executions) as runs,
                 (select id::text from users where email = ${demoPerson('supervisor').email}) as supervisor,
                 (select id::text from plants where code = 'RIV') as riv,
                 (select id::text from roles where key = 'supervisor') as role`,
    ),
  );
  if (found === undefined || found.runs > 0 || found.supervisor === null || found.riv === null) return true;
  const principal = await loadUserPrincipal(db, tenantId, found.supervisor, null);
  if (principal === null) return true;
  const plantId = found.riv;
  const asked = await db.transact(scopeOf(principal), async (tx) => {
    const runs = [
      await requestRun(tx, principal, {
        reportKey: 'oee-by-shift',
        parameters: { plantId, period: { preset: 'yesterday' } },
        format: 'pdf',
      }),
      await requestRun(tx, principal, {
        reportKey: 'oee-by-shift',
        parameters: { plantId, period: { preset: 'yesterday' } },
        format: 'xlsx',
      }),
      await requestRun(tx, principal, {
        reportKey: 'downtime-pareto',
        parameters: { plantId, period: { preset: 'lastIsoWeek' } },
        format: 'pdf',
      }),
    ];
    if (found.role !== null)
      await createSchedule(tx, principal, {
        name: 'OEE after every shift',
        reportKey: 'oee-by-shift',
        plantId,
        parameters: {},
        format: 'pdf',
        trigger: { kind: 'shiftEnd', shiftName: null },
        recipients: [{ kind: 'role', roleId: found.role }],
        skipIfEmpty: true,
      });
    return runs;
  });
  for (const run of asked) await deps.enqueue(tenantId, run.id);
  deps.log.info({ runs: asked.length }, 'demo reports asked for, and OEE scheduled for every shift end');
  return true;
}
