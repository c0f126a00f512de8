import type { EventKind, LineRow, MachineRow, PlantEvent } from './api-types';

/** The kinds of plant events, in the order the filter shows them (schema/src/contracts/topics.ts). */
export const EVENT_KINDS = ['state', 'count', 'scan', 'telemetry'] as const satisfies readonly EventKind[];

export const KIND_LABELS: Record<EventKind, string> = {
  state: 'Machine state',
  count: 'Count',
  scan: 'Scan',
  telemetry: 'Telemetry',
};

/** What the events page shows, as kept in its URL (so a link, reload or sign-in brings it back). */
export interface EventFilter {
  plantId: string | null;
  lineId: string | null;
  machineId: string | null;
  /** Empty means every kind. */
  kinds: EventKind[];
}

export const EMPTY_FILTER: EventFilter = { plantId: null, lineId: null, machineId: null, kinds: [] };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Reads the filter from the page's query; anything malformed is ignored rather than sent to the API. */
export function parseEventFilter(params: URLSearchParams): EventFilter {
  const id = (name: string) => {
    const value = params.get(name);
    return value !== null && UUID.test(value) ? value.toLowerCase() : null;
  };
  const kinds = EVENT_KINDS.filter((kind) => params.getAll('kind').includes(kind));
  return { plantId: id('plant'), lineId: id('line'), machineId: id('machine'), kinds };
}

/** The query string for a filter ('' when it shows everything). */
export function filterSearch(filter: EventFilter): string {
  const params = new URLSearchParams();
  if (filter.plantId) params.set('plant', filter.plantId);
  if (filter.lineId) params.set('line', filter.lineId);
  if (filter.machineId) params.set('machine', filter.machineId);
  // Every kind chosen is the same as none chosen.
  if (filter.kinds.length < EVENT_KINDS.length) for (const kind of filter.kinds) params.append('kind', kind);
  const search = params.toString();
  return search === '' ? '' : `?${search}`;
}

/** The filter as `events.live` takes it (the live stream filters by place only). */
export function liveInput(filter: EventFilter) {
  return {
    ...(filter.plantId ? { plantIds: [filter.plantId] } : {}),
    ...(filter.lineId ? { lineIds: [filter.lineId] } : {}),
    ...(filter.machineId ? { machineIds: [filter.machineId] } : {}),
  };
}

/** The filter as `events.recent` takes it, for the page after `before` (or the newest). */
export function recentInput(filter: EventFilter, before: string | null, limit: number) {
  return {
    ...liveInput(filter),
    ...(filter.kinds.length > 0 && filter.kinds.length < EVENT_KINDS.length ? { kinds: filter.kinds } : {}),
    ...(before === null ? {} : { before }),
    limit,
  };
}

/** Whether a live event passes the parts of the filter the live stream does not apply (the kinds). */
export function matchesFilter(event: PlantEvent, filter: EventFilter): boolean {
  return (
    (filter.kinds.length === 0 || filter.kinds.includes(event.kind)) &&
    (filter.plantId === null || event.plantId === filter.plantId) &&
    (filter.lineId === null || event.lineId === filter.lineId) &&
    (filter.machineId === null || event.machineId === filter.machineId)
  );
}

/** Newest first; events at the same instant by id (UUIDv7 ids sort by when the edge saw them). */
function newestFirst(a: PlantEvent, b: PlantEvent): number {
  if (a.time !== b.time) return a.time < b.time ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/**
 * Adds events (live ones, or an older page) to those shown: each event once, newest first, at most
 * `cap` of them. `trimmed` says older events were dropped to stay within the cap.
 */
export function mergeEvents(
  shown: readonly PlantEvent[],
  incoming: readonly PlantEvent[],
  cap: number,
): { events: PlantEvent[]; trimmed: boolean } {
  const seen = new Set(shown.map((e) => e.id));
  const fresh = incoming.filter((e) => {
    if (seen.has(e.id)) return false;
    seen.add(e.id);
    return true;
  });
  if (fresh.length === 0) return { events: [...shown], trimmed: false };
  const all = [...shown, ...fresh].sort(newestFirst);
  return all.length > cap ? { events: all.slice(0, cap), trimmed: true } : { events: all, trimmed: false };
}

/** One line describing what an event carries. */
export function eventSummary(event: PlantEvent): string {
  switch (event.kind) {
    case 'state':
      return event.data.reason ? `${event.data.state} · reason ${event.data.reason}` : event.data.state;
    case 'count': {
      const parts = [`${event.data.good} good`, `${event.data.scrap} scrap`];
      if (event.data.product) parts.push(`product ${event.data.product}`);
      if (event.data.order) parts.push(`order ${event.data.order}`);
      return parts.join(' · ');
    }
    case 'scan': {
      const where = event.data.station ? ` at ${event.data.station}` : '';
      return `${event.data.action} ${event.data.code} (${event.data.symbology})${where}`;
    }
    case 'telemetry': {
      const entries = Object.entries(event.data.values).sort(([a], [b]) => a.localeCompare(b));
      const shown = entries.slice(0, 4).map(([name, value]) => `${name} ${value}`);
      const more = entries.length > 4 ? ` +${entries.length - 4} more` : '';
      return shown.join(', ') + more;
    }
  }
}

interface Named {
  id: string;
  code: string;
  name: string;
}

/** Names for the ids events carry, from the master data lists the user can read. */
export interface Directory {
  plants: ReadonlyMap<string, Named>;
  lines: ReadonlyMap<string, Named & { plantId: string }>;
  machines: ReadonlyMap<string, Named & { plantId: string; lineId: string }>;
}

export function buildDirectory(
  plants: readonly Named[],
  lines: readonly LineRow[],
  machines: readonly MachineRow[],
): Directory {
  return {
    plants: new Map(plants.map((p) => [p.id, p])),
    lines: new Map(lines.map((l) => [l.id, l])),
    machines: new Map(machines.map((m) => [m.id, m])),
  };
}

/** A readable name for an id, or a short form of the id when master data does not know it (any more). */
export function nameOf(map: ReadonlyMap<string, Named>, id: string): { code: string; name: string } {
  const found = map.get(id);
  return found ?? { code: id.slice(0, 8), name: `Unknown (${id.slice(0, 8)})` };
}

/** The lines and machines the filter offers: those of the chosen plant (and line). */
export function filterOptions(directory: Directory, filter: EventFilter) {
  const lines = [...directory.lines.values()].filter(
    (l) => filter.plantId === null || l.plantId === filter.plantId,
  );
  const machines = [...directory.machines.values()].filter(
    (m) =>
      (filter.plantId === null || m.plantId === filter.plantId) &&
      (filter.lineId === null || m.lineId === filter.lineId),
  );
  return { plants: [...directory.plants.values()], lines, machines };
}

/** After the plant or line changed: drops a line or machine that no longer belongs to the choice. */
export function consistentFilter(directory: Directory, filter: EventFilter): EventFilter {
  const line = filter.lineId === null ? undefined : directory.lines.get(filter.lineId);
  const lineId =
    line !== undefined && (filter.plantId === null || line.plantId === filter.plantId) ? line.id : null;
  const machine = filter.machineId === null ? undefined : directory.machines.get(filter.machineId);
  const machineId =
    machine !== undefined &&
    (filter.plantId === null || machine.plantId === filter.plantId) &&
    (lineId === null || machine.lineId === lineId)
      ? machine.id
      : null;
  return { ...filter, lineId, machineId };
}

/** Time of an event for the table: the time of day when it is today, else the date too. */
export function formatEventTime(iso: string, now: Date, timeZone?: string): string {
  const at = new Date(iso);
  const day = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone, dateStyle: 'short' }).format(d);
  const time = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).format(at);
  return day(at) === day(now) ? time : `${day(at)} ${time}`;
}
