import type { Sql } from '../../db/index.js';
import { toMs } from './intervals.js';
import type { WindowInput } from './kpi-scope.js';
import { prepareKpiQuery, summaryOf } from './oee-query.js';
import { sliceStates } from './oee-source.js';
import { buildTimeline, type GapCause, type StateBucket } from './timeline.js';

/*
 * A machine's state timeline for the UI (`kpi.stateTimeline`): the same segments the OEE is
 * computed from — clipped to the window, the inherited state at its start, gaps shown as gaps —
 * each with its bucket and the colour and name from the tenant's state mapping, plus the shifts and
 * planned downtimes to shade behind them.
 */

/** A timeline is drawn, not summed: a month of per-second states is already more than a chart shows. */
export const MAX_TIMELINE_DAYS = 31;

export type TimelineSegmentView =
  | {
      readonly kind: 'state';
      readonly start: number;
      readonly end: number;
      readonly state: string;
      readonly reason: string | null;
      readonly bucket: StateBucket;
      /** false: the code has no mapping and is counted as availability loss until it gets one. */
      readonly mapped: boolean;
      /** The mapping's colour and name; null for an unmapped code. */
      readonly colour: string | null;
      readonly name: string | null;
    }
  | {
      readonly kind: 'gap';
      readonly start: number;
      readonly end: number;
      readonly cause: GapCause;
      readonly state: string | null;
    };

export async function stateTimeline(
  tx: Sql,
  input: { machineId: string; window: WindowInput },
  now = Date.now(),
) {
  const { scope, window, range, sources } = await prepareKpiQuery(
    tx,
    { scope: { kind: 'machine', id: input.machineId }, window: input.window },
    now,
    { counts: false, maxDays: MAX_TIMELINE_DAYS },
  );
  const source = sources.machines.get(input.machineId)!;
  const timeline = buildTimeline({
    ...sliceStates(source, range),
    window: range,
    now,
    mapping: sources.mapping,
  });
  const segments: TimelineSegmentView[] = timeline.segments.map((s) => {
    if (s.kind === 'gap') return { kind: 'gap', start: s.start, end: s.end, cause: s.cause, state: s.state };
    const code = s.mapped ? sources.stateCodes.get(s.state) : undefined;
    return {
      kind: 'state',
      start: s.start,
      end: s.end,
      state: s.state,
      reason: s.reason,
      bucket: s.bucket,
      mapped: s.mapped,
      colour: code?.colour ?? null,
      name: code?.name ?? null,
    };
  });
  const clip = <T extends { start: number; end: number }>(items: readonly T[]) =>
    items
      .filter((i) => i.end > timeline.evaluated.start && i.start < timeline.evaluated.end)
      .map((i) => ({
        ...i,
        start: Math.max(i.start, timeline.evaluated.start),
        end: Math.min(i.end, timeline.evaluated.end),
      }));
  const machine = scope.machines[0]!;
  return {
    scope: summaryOf(scope),
    machine: { id: machine.id, code: machine.code, name: machine.name, lineId: machine.lineId },
    window,
    evaluated: timeline.evaluated,
    segments,
    gapMs: timeline.gaps.totalMs,
    unmappedStates: timeline.unmappedStates,
    shifts: clip(sources.shifts),
    plannedDowntimes: clip(
      source.plannedDowntimes.map((d) => ({
        start: toMs(d.start),
        end: toMs(d.end),
        reason: d.reason ?? null,
      })),
    ),
  };
}
