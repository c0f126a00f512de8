import { applyTrendPatches, type LineTrends, type LiveTrendPoint, trendsOf } from './line-trend';
import type { trpc } from './trpc';

/*
 * The live KPI board's data (docs/kpis.md): `kpi.live` sends a snapshot, then updates that carry
 * only the changed fields of each machine and line (cloud/src/modules/kpi/live-types.ts). Types are
 * inferred from the cloud's router through the client, so a change there shows up here as a type
 * error.
 */
type LiveStream = ReturnType<(typeof trpc)['kpi']['live']['subscribe']>;
export type LiveKpiMessage = LiveStream extends AsyncIterableIterator<infer T> ? T : never;
export type LiveKpiSnapshot = Extract<LiveKpiMessage, { type: 'snapshot' }>;
export type LiveKpiUpdate = Extract<LiveKpiMessage, { type: 'update' }>;
export type LiveShift = NonNullable<LiveKpiSnapshot['shift']>;
export type LiveFigures = LiveKpiSnapshot['plant'];
export type LiveLine = LiveKpiSnapshot['lines'][number];
export type LiveMachine = LiveKpiSnapshot['machines'][number];
export type LiveMachineState = NonNullable<LiveMachine['state']>;
export type Kpi = LiveFigures['oee'];
export type NoDataReason = NonNullable<Kpi['reason']>;

/** What the board shows: the last snapshot with every update since merged in. */
export interface BoardState {
  plantId: string;
  asOf: number;
  shift: LiveShift | null;
  plant: LiveFigures;
  lines: LiveLine[];
  machines: LiveMachine[];
  /** Each line's shift trend (line-trend.ts); minutes per bucket from the snapshot. */
  trends: LineTrends;
  bucketMinutes: number;
}

function mergeById<T, K extends keyof T>(
  current: readonly T[],
  deltas: readonly (Pick<T, K> & Partial<T>)[],
  key: K,
): T[] {
  if (deltas.length === 0) return current as T[];
  const byId = new Map(deltas.map((d) => [d[key], d]));
  // Entities the snapshot did not have are left out: their names only come with the next snapshot.
  return current.map((entity) => {
    const delta = byId.get(entity[key]);
    return delta === undefined ? entity : { ...entity, ...delta };
  });
}

/**
 * The board after a message: a snapshot replaces everything (new shift, master data reloaded); an
 * update merges each delta into its entity (`{ ...last, ...delta }`). Entities without a delta keep
 * their identity, so only the tiles that changed render again. An update before any snapshot, or for
 * another plant (left over from before the plant was switched), changes nothing.
 */
export function applyLiveMessage(board: BoardState | null, message: LiveKpiMessage): BoardState | null {
  if (message.type === 'snapshot') {
    return {
      plantId: message.plantId,
      asOf: message.asOf,
      shift: message.shift,
      plant: message.plant,
      lines: [...message.lines],
      machines: [...message.machines],
      trends: trendsOf(message),
      // Every line's trend has the same bucket; a plant without lines has none to show.
      bucketMinutes: (message.trends[0]?.bucketMs ?? 0) / 60_000,
    };
  }
  if (board === null || board.plantId !== message.plantId) return board;
  return {
    ...board,
    asOf: message.asOf,
    plant: message.plant === null ? board.plant : { ...board.plant, ...message.plant },
    lines: mergeById(board.lines, message.lines, 'lineId'),
    machines: mergeById(board.machines, message.machines, 'machineId'),
    trends: applyTrendPatches(board.trends, message.trends),
  };
}

/** Lines in the snapshot's order, each with its machines. */
export function boardRows(
  board: BoardState,
): { line: LiveLine; machines: LiveMachine[]; trend: readonly LiveTrendPoint[] }[] {
  const byLine = new Map<string, LiveMachine[]>(board.lines.map((l) => [l.lineId, []]));
  for (const machine of board.machines) byLine.get(machine.lineId)?.push(machine);
  return board.lines.map((line) => ({
    line,
    machines: byLine.get(line.lineId) ?? [],
    trend: board.trends[line.lineId] ?? [],
  }));
}

export const NO_DATA_LABELS: Record<NoDataReason, string> = {
  no_planned_busy_time: 'No data: nothing was planned in this shift so far',
  no_production_time: 'No data: no production time to rate',
  no_produced_quantity: 'No data: nothing produced yet',
  missing_ideal_cycle_time: 'No data: a product has no ideal cycle time',
  no_units_inspected: 'No data: no unit inspected',
  operation_without_inspections: 'No data: an operation has no inspections',
  empty_routing: 'No data: the routing has no operations',
};

/** A KPI as the board shows it: a percentage, or "—" with why there is none (docs/kpis.md). */
export function formatKpi(kpi: Kpi): { text: string; label: string; noData: boolean } {
  if (kpi.value === null) return { text: '—', label: NO_DATA_LABELS[kpi.reason], noData: true };
  const text = `${(kpi.value * 100).toFixed(1)} %`;
  return { text, label: text, noData: false };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Time in a state: "0:42", "12:05", "3:07:09", "2 d 04:00" (a clock that ticks every second). */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3_600);
  const minutes = Math.floor((total % 3_600) / 60);
  const seconds = total % 60;
  if (days > 0) return `${days} d ${pad(hours)}:${pad(minutes)}`;
  if (hours > 0) return `${hours}:${pad(minutes)}:${pad(seconds)}`;
  return `${minutes}:${pad(seconds)}`;
}

/** A shift's time range in the plant's time zone, e.g. "06:00–14:00". */
export function formatShiftRange(shift: Pick<LiveShift, 'start' | 'end'>, timeZone?: string): string {
  const time = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  return `${time.format(shift.start)}–${time.format(shift.end)}`;
}

/**
 * The plant the board shows: the one in the URL when the user may see it; else the first of the
 * plants the cloud prefers (kpi.boardPlants: with lines, those that have reported first), once known
 * (`preferred` undefined: not yet, so undefined: wait); else the first plant; null without any plant.
 */
export function chosenPlant(
  plants: readonly { id: string }[],
  wanted: string | null,
  preferred: readonly string[] | null | undefined,
): string | null | undefined {
  const inUrl = plants.find((p) => p.id === wanted);
  if (inUrl !== undefined) return inUrl.id;
  if (plants.length === 0) return null;
  if (preferred === undefined) return undefined;
  const visible = new Set(plants.map((p) => p.id));
  return preferred?.find((id) => visible.has(id)) ?? plants[0]?.id ?? null;
}

/** The board's address for a plant, keeping the other parameters (kiosk); without `kiosk` to leave it. */
export function boardHref(params: URLSearchParams, change: { plant?: string; kiosk?: boolean }): string {
  const next = new URLSearchParams(params);
  if (change.plant !== undefined) next.set('plant', change.plant);
  if (change.kiosk === true) next.set('kiosk', '1');
  if (change.kiosk === false) next.delete('kiosk');
  const query = next.toString();
  return query === '' ? '/board' : `/board?${query}`;
}

/** A readable colour for text on a state's mapping colour (black or white by luminance). */
export function textOn(colour: string | null): string {
  const hex = colour?.match(/^#([0-9a-f]{6})$/i)?.[1];
  if (hex === undefined) return '#1b2733';
  const [r, g, b] = [0, 2, 4].map((i) => Number.parseInt(hex.slice(i, i + 2), 16) / 255) as [
    number,
    number,
    number,
  ];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.5 ? '#1b2733' : '#ffffff';
}
