import { type Instant, type InstantRange, type Interval, toMs, union } from './intervals.js';

/*
 * The state timeline of one machine (docs/kpis.md, "Definitions"): a state event starts an interval
 * that lasts until the next state event. The window [start, end) is evaluated up to min(end, now),
 * so the current shift can be evaluated live without counting the future.
 */

/** The loss buckets (docs/kpis.md); each state code maps to one per tenant. */
export const stateBuckets = ['running', 'performance_loss', 'availability_loss', 'planned_stop'] as const;
export type StateBucket = (typeof stateBuckets)[number];

/** A state code's bucket; filled from the tenant's state-code table. */
export type StateMapping = ReadonlyMap<string, StateBucket>;

/**
 * Codes not in the mapping are counted as availability loss and reported as unmapped: the machine is
 * not known to be producing, so the conservative choice is a loss inside PBT — never running time
 * (which would inflate OEE) and never excluded time (which would hide it). The report tells the
 * tenant to map the code.
 */
export const UNMAPPED_BUCKET: StateBucket = 'availability_loss';

export interface StateEvent {
  readonly time: Instant;
  readonly state: string;
  /** The downtime reason sent with the state, if any. */
  readonly reason?: string | null;
}

export interface TimelineInput {
  readonly window: InstantRange;
  /** Bounds the last open interval of a live window; omit for a closed historical window. */
  readonly now?: Instant | null;
  /** The machine's last state event before window.start (the inherited state), if there is one. */
  readonly inherited?: StateEvent | null;
  /** The machine's state events in the window, in any order. */
  readonly events: readonly StateEvent[];
  readonly mapping: StateMapping;
  /** Codes by which the machine or its gateway says "no data / offline": their time is a gap. */
  readonly noDataStates?: Iterable<string>;
  /**
   * With no event of any kind for longer than this, the time from the last event + maxSilenceMs until
   * the next event is a gap: the state is no longer known, whatever the last state event said.
   */
  readonly maxSilenceMs?: number | null;
  /**
   * Times of other events (counts, telemetry, heartbeats) for the silence rule; state event times are
   * added automatically. Include the last one before window.start, or silence after an old inherited
   * state is over-reported.
   */
  readonly activity?: readonly Instant[];
}

export type GapCause =
  /** The window starts before the first known state and no state was inherited. */
  | 'no_initial_state'
  /** The machine reported a no-data state code. */
  | 'no_data_state'
  /** No event at all for longer than maxSilenceMs. */
  | 'silence';

export interface StateSegment extends Interval {
  readonly kind: 'state';
  readonly state: string;
  readonly reason: string | null;
  readonly bucket: StateBucket;
  /** false: the code is not in the mapping and was counted as UNMAPPED_BUCKET. */
  readonly mapped: boolean;
}

export interface GapSegment extends Interval {
  readonly kind: 'gap';
  readonly cause: GapCause;
  /** The no-data state code, for cause 'no_data_state'. */
  readonly state: string | null;
}

export type TimelineSegment = StateSegment | GapSegment;

export interface Gaps {
  readonly totalMs: number;
  readonly intervals: readonly GapSegment[];
}

export interface Timeline {
  /** [window.start, min(window.end, now)); empty when now is before the window. */
  readonly evaluated: Interval;
  /** The window is still open: now is before its end. */
  readonly live: boolean;
  /** Ordered, disjoint, covering `evaluated` exactly. */
  readonly segments: readonly TimelineSegment[];
  readonly gaps: Gaps;
  /** Codes that occurred in the evaluated range without a mapping, sorted. */
  readonly unmappedStates: readonly string[];
}

interface Change {
  readonly time: number;
  readonly seq: number;
  readonly state: string;
  readonly reason: string | null;
}

export function buildTimeline(input: TimelineInput): Timeline {
  const start = toMs(input.window.start);
  const end = toMs(input.window.end);
  if (end < start) throw new RangeError('window end is before its start');
  const now = input.now == null ? null : toMs(input.now);
  const evaluatedEnd = now == null ? end : Math.max(start, Math.min(end, now));
  const evaluated = { start, end: evaluatedEnd };
  const live = now != null && now < end;
  const noDataStates = new Set(input.noDataStates ?? []);

  // Equal times keep input order, so the later of two events at one instant wins (zero-length first).
  const changes: Change[] = sortedBy(
    [...(input.inherited ? [input.inherited] : []), ...input.events]
      .map((e, seq) => ({ time: toMs(e.time), seq, state: e.state, reason: e.reason ?? null }))
      .filter((c) => c.time < evaluatedEnd),
    (a, b) => a.time - b.time || a.seq - b.seq,
  );

  let first = 0;
  while (first + 1 < changes.length && changes[first + 1]!.time <= start) first++;
  const effective = changes.slice(changes[first] && changes[first]!.time <= start ? first : 0);

  const raw: TimelineSegment[] = [];
  const firstTime = effective[0]?.time ?? evaluatedEnd;
  if (firstTime > start) {
    raw.push({
      kind: 'gap',
      start,
      end: Math.min(firstTime, evaluatedEnd),
      cause: 'no_initial_state',
      state: null,
    });
  }
  const unmapped = new Set<string>();
  for (let k = 0; k < effective.length; k++) {
    const c = effective[k]!;
    const segStart = Math.max(c.time, start);
    const segEnd = Math.min(effective[k + 1]?.time ?? evaluatedEnd, evaluatedEnd);
    if (segEnd <= segStart) continue;
    if (noDataStates.has(c.state)) {
      raw.push({ kind: 'gap', start: segStart, end: segEnd, cause: 'no_data_state', state: c.state });
      continue;
    }
    const bucket = input.mapping.get(c.state);
    if (bucket === undefined) unmapped.add(c.state);
    raw.push({
      kind: 'state',
      start: segStart,
      end: segEnd,
      state: c.state,
      reason: c.reason,
      bucket: bucket ?? UNMAPPED_BUCKET,
      mapped: bucket !== undefined,
    });
  }

  const silence = silenceGaps(input, changes, evaluated);
  const segments = mergeAdjacent(silence.length > 0 ? applySilence(raw, silence) : raw);
  const gapSegments = segments.filter((s): s is GapSegment => s.kind === 'gap');
  return {
    evaluated,
    live,
    segments,
    gaps: { totalMs: gapSegments.reduce((sum, g) => sum + (g.end - g.start), 0), intervals: gapSegments },
    unmappedStates: [...unmapped].sort(),
  };
}

function silenceGaps(input: TimelineInput, changes: readonly Change[], evaluated: Interval): Interval[] {
  const limit = input.maxSilenceMs;
  if (limit == null || evaluated.end <= evaluated.start) return [];
  if (!(limit > 0)) throw new RangeError('maxSilenceMs must be above zero');
  const times = sortedBy(
    [...changes.map((c) => c.time), ...(input.activity ?? []).map(toMs)].filter((t) => t < evaluated.end),
    (a, b) => a - b,
  );
  const out: Interval[] = [];
  for (let k = 0; k < times.length; k++) {
    const silentFrom = times[k]! + limit;
    const next = times[k + 1] ?? evaluated.end;
    const s = Math.max(silentFrom, evaluated.start);
    const e = Math.min(next, evaluated.end);
    if (e > s) out.push({ start: s, end: e });
  }
  return union(out);
}

/** Cuts the silent stretches out of state segments; existing gaps keep their own cause. */
function applySilence(segments: readonly TimelineSegment[], silence: readonly Interval[]): TimelineSegment[] {
  const out: TimelineSegment[] = [];
  let j = 0;
  for (const seg of segments) {
    if (seg.kind === 'gap') {
      out.push(seg);
      continue;
    }
    while (j < silence.length && silence[j]!.end <= seg.start) j++;
    let cursor = seg.start;
    for (let k = j; k < silence.length && silence[k]!.start < seg.end; k++) {
      const s = Math.max(silence[k]!.start, seg.start);
      const e = Math.min(silence[k]!.end, seg.end);
      if (s > cursor) out.push({ ...seg, start: cursor, end: s });
      out.push({ kind: 'gap', start: s, end: e, cause: 'silence', state: null });
      cursor = e;
    }
    if (cursor < seg.end) out.push({ ...seg, start: cursor, end: seg.end });
  }
  return out;
}

/** Repeated events of the same state (or the same gap) read as one interval. */
function mergeAdjacent(segments: readonly TimelineSegment[]): TimelineSegment[] {
  const out: TimelineSegment[] = [];
  // The end of the last output segment, extended in place of re-creating it per repeated event.
  let lastEnd = Number.NaN;
  for (const seg of segments) {
    const last = out[out.length - 1];
    if (last && lastEnd === seg.start && sameKind(last, seg)) {
      lastEnd = seg.end;
    } else {
      if (last && last.end !== lastEnd) out[out.length - 1] = { ...last, end: lastEnd };
      out.push(seg);
      lastEnd = seg.end;
    }
  }
  const last = out[out.length - 1];
  if (last && last.end !== lastEnd) out[out.length - 1] = { ...last, end: lastEnd };
  return out;
}

function sameKind(a: TimelineSegment, b: TimelineSegment): boolean {
  if (a.kind === 'gap' && b.kind === 'gap') return a.cause === b.cause && a.state === b.state;
  if (a.kind === 'state' && b.kind === 'state') return a.state === b.state && a.reason === b.reason;
  return false;
}

/** Sorts in place unless already sorted: queries usually deliver rows in time order. */
function sortedBy<T>(items: T[], compare: (a: T, b: T) => number): T[] {
  for (let k = 1; k < items.length; k++) {
    if (compare(items[k - 1]!, items[k]!) > 0) return items.sort(compare);
  }
  return items;
}
