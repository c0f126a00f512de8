import { sql } from 'drizzle-orm';
import type { Database } from '../../db/index.js';
import { rows } from '../../db/index.js';

export interface HealthReport {
  status: 'ok' | 'degraded';
  version: string;
  uptimeS: number;
  database: {
    mode: Database['mode'];
    reachable: boolean;
    timescaledb: boolean;
    timescaledbVersion: string | null;
  };
}

/** GET /healthz: cheap enough for a load balancer to call every few seconds. */
export async function healthReport(db: Database, version: string, startedAt: number): Promise<HealthReport> {
  const uptimeS = Math.round((Date.now() - startedAt) / 1000);
  try {
    const [ext] = await db.transact(null, (tx) =>
      rows<{ extversion: string }>(
        tx,
        sql`select extversion from pg_extension where extname = 'timescaledb'`,
      ),
    );
    return {
      status: 'ok',
      version,
      uptimeS,
      database: {
        mode: db.mode,
        reachable: true,
        timescaledb: ext !== undefined,
        timescaledbVersion: ext?.extversion ?? null,
      },
    };
  } catch {
    return {
      status: 'degraded',
      version,
      uptimeS,
      database: { mode: db.mode, reachable: false, timescaledb: false, timescaledbVersion: null },
    };
  }
}
