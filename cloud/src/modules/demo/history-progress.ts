import { readFile } from 'node:fs/promises';
import { demoHistoryProgress } from '@plantline/schema';

export interface HistoryProgress {
  state: 'running' | 'done' | 'failed' | 'none';
  eventsDone: number;
  eventsTotal: number;
  from: string | null;
  to: string | null;
}

const NONE: HistoryProgress = { state: 'none', eventsDone: 0, eventsTotal: 0, from: null, to: null };

/**
 * How far the demo's history backfill has come, for the caller's tenant: the backfill keeps its
 * progress in the cloud's data folder (schema's DEMO_HISTORY_FILE, docs/demo.md). Any other tenant,
 * no file, or a file that cannot be read: `none`; so is a backfill planned by the seed but not begun
 * (only `pnpm start` runs it: a cloud started on its own leaves it pending).
 */
export async function readHistoryProgress(
  file: string | undefined,
  tenantId: string,
): Promise<HistoryProgress> {
  if (file === undefined) return NONE;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return NONE;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return NONE;
  }
  const parsed = demoHistoryProgress.safeParse(json);
  if (!parsed.success || parsed.data.tenantId !== tenantId) return NONE;
  const { state, eventsDone, eventsTotal, from, to } = parsed.data;
  if (state === 'pending') return NONE;
  return { state, eventsDone, eventsTotal, from, to };
}
