import type { HistoryProgress } from '../api-types';

export type { HistoryProgress };

export interface HistoryView {
  /** 0–100, whole numbers. */
  percent: number;
  text: string;
}

const number = new Intl.NumberFormat('en-GB');

/**
 * The line the demo's history bar shows (docs/demo.md), or null when there is nothing to show:
 * no backfill, or one that is done. Days are counted from `from` to `to`.
 */
export function describeHistory(progress: HistoryProgress): HistoryView | null {
  if (progress.state === 'none' || progress.state === 'done') return null;
  const percent =
    progress.eventsTotal > 0
      ? Math.min(100, Math.floor((100 * progress.eventsDone) / progress.eventsTotal))
      : 0;
  const days =
    progress.from !== null && progress.to !== null
      ? Math.round((Date.parse(progress.to) - Date.parse(progress.from)) / 86_400_000)
      : null;
  const what = days === null ? 'the demo history' : `${days} days of demo history`;
  if (progress.state === 'failed')
    return { percent, text: `Loading ${what} stopped at ${percent} %; it resumes on the next start.` };
  return {
    percent,
    text: `Loading ${what}: ${percent} % (${number.format(progress.eventsDone)} of ${number.format(progress.eventsTotal)} events)`,
  };
}
