import { type EventKind, type PayloadByKind, topicFor } from '@plantline/schema';

export interface PlantLayout {
  plant: string;
  lines: { code: string; machines: string[]; stations: string[] }[];
}

/** The demo seed's plant (Riverside Assembly): lines L1 and L2, machines M1..M5, stations S1..S2. */
export function demoLayout(
  options: { plant?: string; lines?: string[]; machines?: number; stations?: number } = {},
): PlantLayout {
  const machines = options.machines ?? 5;
  const stations = options.stations ?? 2;
  return {
    plant: options.plant ?? 'RIV',
    lines: (options.lines ?? ['L1', 'L2']).map((code) => ({
      code,
      machines: Array.from({ length: machines }, (_, i) => `M${i + 1}`),
      stations: Array.from({ length: stations }, (_, i) => `S${i + 1}`),
    })),
  };
}

export interface SimEvent<K extends EventKind = EventKind> {
  /** Milliseconds of simulated time since the start of the first shift. */
  at: number;
  topic: string;
  kind: K;
  payload: Omit<PayloadByKind[K], 'ts'>;
}

/** mulberry32: tiny, fast and fully determined by its 32-bit seed (Math.random is neither). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
/** Three 8-hour shifts; planned breaks at these offsets into each shift (planned stops, docs/kpis.md). */
const SHIFT = 8 * HOUR;
const FIRST_SHIFT_START = 6 * HOUR;
const BREAKS = [
  { at: 2 * HOUR, length: 15 * MINUTE, reason: 'BREAK' },
  { at: 4 * HOUR, length: 30 * MINUTE, reason: 'LUNCH' },
  { at: 6 * HOUR, length: 15 * MINUTE, reason: 'BREAK' },
];
const FAILURES = ['JAM', 'TOOL_BREAK', 'ELECTRICAL', 'MATERIAL_SHORTAGE', 'HYDRAULIC', 'SENSOR_FAULT'];
const PRODUCTS = ['BRK-100', 'BRK-200', 'HSG-310', 'SHF-020'];

type State = 'RUNNING' | 'REDUCED_SPEED' | 'MICROSTOP' | 'DOWN' | 'CHANGEOVER' | 'PLANNED_STOP';

interface Machine {
  line: string;
  code: string;
  isLast: boolean;
  stations: string[];
  idealCycleMs: number;
  state: State;
  stateUntil: number;
  product: string;
  order: number;
  partsInOrder: number;
  nextPartAt: number;
  nextTelemetryAt: number;
  serial: number;
}

/**
 * A plant that behaves like one: machines run, slow down, microstop, fail with a reason, change over
 * between orders and stop for the planned breaks of each shift; they count parts with some scrap, send
 * telemetry, and the last machine of a line has its parts scanned at the line's stations. Everything
 * comes from one seeded generator, so the same seed gives the same sequence of events.
 */
export class PlantModel {
  readonly #random: () => number;
  readonly #machines: Machine[];
  readonly #plant: string;
  #queue: SimEvent[] = [];

  /** Where in a shift simulated time 0 lies, so the breaks fall where the plant's calendar has them. */
  readonly #shiftPhaseMs: number;

  constructor(layout: PlantLayout, seed: number, options: { shiftPhaseMs?: number } = {}) {
    this.#shiftPhaseMs = options.shiftPhaseMs ?? 0;
    this.#random = seededRandom(seed);
    this.#plant = layout.plant;
    this.#machines = layout.lines.flatMap((line) =>
      line.machines.map((code, index) => ({
        line: line.code,
        code,
        isLast: index === line.machines.length - 1,
        stations: line.stations,
        idealCycleMs: Math.round(20_000 + this.#random() * 40_000),
        state: 'RUNNING' as State,
        stateUntil: 0,
        product: PRODUCTS[index % PRODUCTS.length]!,
        order: 1000 + index * 100,
        partsInOrder: 0,
        nextPartAt: 0,
        nextTelemetryAt: Math.round(this.#random() * 30_000),
        serial: 0,
      })),
    );
    // Started during a planned break (a real plant at 10:05): the machines are on it too.
    const initialBreak = breakAt(0, this.#shiftPhaseMs);
    for (const machine of this.#machines) {
      if (initialBreak === undefined) this.#enter(machine, 'RUNNING', 0);
      else this.#enter(machine, 'PLANNED_STOP', 0, initialBreak.until, initialBreak.reason);
    }
  }

  /** The next event in simulated time (never runs out). */
  next(): SimEvent {
    // A queued event is final only once no machine can still produce an earlier one (scans lag parts).
    while (this.#queue.length === 0 || this.#queue[0]!.at > this.#earliestMoment()) this.#step();
    return this.#queue.shift()!;
  }

  /** Advances the machine whose next moment is earliest; ties go to layout order, keeping it deterministic. */
  #step(): void {
    let machine = this.#machines[0]!;
    let when = this.#nextMoment(machine);
    for (const candidate of this.#machines) {
      const moment = this.#nextMoment(candidate);
      if (moment < when) {
        machine = candidate;
        when = moment;
      }
    }
    if (when === machine.nextTelemetryAt) {
      machine.nextTelemetryAt = when + 30 * SECOND;
      const running = machine.state === 'RUNNING' || machine.state === 'REDUCED_SPEED';
      this.#emit(when, machine.line, machine.code, 'telemetry', {
        values: {
          spindle_temp_c: round(running ? 55 + this.#random() * 12 : 30 + this.#random() * 8, 1),
          power_kw: round(running ? 7 + this.#random() * 4 : 0.4 + this.#random() * 0.3, 2),
        },
      });
      return;
    }
    if (when === machine.stateUntil) {
      this.#afterState(machine, when);
      return;
    }
    this.#part(machine, when);
  }

  #earliestMoment(): number {
    let earliest = Number.POSITIVE_INFINITY;
    for (const machine of this.#machines) earliest = Math.min(earliest, this.#nextMoment(machine));
    return earliest;
  }

  #nextMoment(machine: Machine): number {
    const producing = machine.state === 'RUNNING' || machine.state === 'REDUCED_SPEED';
    return Math.min(
      machine.nextTelemetryAt,
      machine.stateUntil,
      producing ? machine.nextPartAt : Number.POSITIVE_INFINITY,
    );
  }

  #part(machine: Machine, at: number): void {
    const scrap = this.#random() < 0.025;
    this.#emit(at, machine.line, machine.code, 'count', {
      good: scrap ? 0 : 1,
      scrap: scrap ? 1 : 0,
      product: machine.product,
      order: `PO-${machine.order}`,
    });
    machine.partsInOrder++;
    if (machine.isLast && !scrap) {
      machine.serial++;
      const serial = `${machine.product}-${machine.line}-${String(machine.serial).padStart(6, '0')}`;
      const [pack, ship] = machine.stations;
      if (pack)
        this.#emit(at + 2 * SECOND, machine.line, machine.code, 'scan', {
          code: serial,
          symbology: 'qr',
          action: 'pack',
          station: pack,
        });
      if (ship && machine.serial % 20 === 0) {
        const pallet = `PAL-${machine.line}-${String(machine.serial / 20).padStart(5, '0')}`;
        this.#emit(at + 5 * SECOND, machine.line, machine.code, 'scan', {
          code: pallet,
          symbology: 'datamatrix',
          action: 'ship',
          station: ship,
        });
      }
    }
    const slow = machine.state === 'REDUCED_SPEED' ? 1.6 : 1;
    machine.nextPartAt = at + Math.round(machine.idealCycleMs * slow * (0.97 + this.#random() * 0.08));
  }

  /** What follows a state: planned breaks win, orders end with a changeover, otherwise chance decides. */
  #afterState(machine: Machine, at: number): void {
    const plannedBreak = breakAt(at, this.#shiftPhaseMs);
    if (plannedBreak && machine.state !== 'PLANNED_STOP') {
      this.#enter(machine, 'PLANNED_STOP', at, plannedBreak.until - at, plannedBreak.reason);
    } else if (machine.partsInOrder >= 300 && machine.state !== 'CHANGEOVER') {
      machine.partsInOrder = 0;
      machine.order += 1;
      machine.product = PRODUCTS[Math.floor(this.#random() * PRODUCTS.length)]!;
      this.#enter(machine, 'CHANGEOVER', at, (15 + this.#random() * 30) * MINUTE, 'PRODUCT_CHANGE');
    } else if (machine.state !== 'RUNNING') {
      this.#enter(machine, 'RUNNING', at);
    } else {
      const roll = this.#random();
      if (roll < 0.55) this.#enter(machine, 'MICROSTOP', at, (10 + this.#random() * 80) * SECOND);
      else if (roll < 0.8) this.#enter(machine, 'REDUCED_SPEED', at, (3 + this.#random() * 20) * MINUTE);
      else {
        const reason = FAILURES[Math.floor(this.#random() * FAILURES.length)]!;
        this.#enter(machine, 'DOWN', at, (3 + this.#random() * 40) * MINUTE, reason);
      }
    }
  }

  #enter(machine: Machine, state: State, at: number, lengthMs?: number, reason?: string): void {
    machine.state = state;
    // Running lasts until something happens: minutes to hours, or until the next planned break.
    const length = lengthMs ?? (5 + this.#random() * 60) * MINUTE;
    const nextBreak = nextBreakStart(at, this.#shiftPhaseMs);
    machine.stateUntil = Math.round(
      state === 'PLANNED_STOP' ? at + length : Math.min(at + length, nextBreak),
    );
    if (state === 'RUNNING' || state === 'REDUCED_SPEED')
      machine.nextPartAt = Math.max(machine.nextPartAt, at + 1000);
    this.#emit(at, machine.line, machine.code, 'state', reason ? { state, reason } : { state });
  }

  #emit<K extends EventKind>(
    at: number,
    line: string,
    machine: string,
    kind: K,
    payload: SimEvent<K>['payload'],
  ): void {
    const event = {
      at,
      topic: topicFor({ plant: this.#plant, line, machine, kind }),
      kind,
      payload,
    } as SimEvent;
    // Scans are emitted a few seconds ahead; keep the queue in time order.
    let index = this.#queue.length;
    while (index > 0 && this.#queue[index - 1]!.at > at) index--;
    this.#queue.splice(index, 0, event);
  }
}

/** The start of the shift `at` lies in, in simulated time. */
function shiftStartOf(at: number, phase: number): number {
  return Math.floor((at + phase) / SHIFT) * SHIFT - phase;
}

function breakAt(at: number, phase: number): { until: number; reason: string } | undefined {
  const shiftStart = shiftStartOf(at, phase);
  for (const planned of BREAKS) {
    const start = shiftStart + planned.at;
    if (at >= start && at < start + planned.length)
      return { until: start + planned.length, reason: planned.reason };
  }
  return undefined;
}

function nextBreakStart(at: number, phase: number): number {
  const shiftStart = shiftStartOf(at, phase);
  for (const planned of BREAKS) if (shiftStart + planned.at > at) return shiftStart + planned.at;
  return shiftStart + SHIFT + BREAKS[0]!.at;
}

/**
 * How far into its shift `now` is, for a plant whose three shifts start at 06:00, 14:00 and 22:00
 * local time in `timeZone` (the demo seed's calendar, cloud production defaults). Wall-clock local
 * time, so a DST change shifts it the way it shifts the plant's own shifts.
 */
export function shiftPhaseAt(now: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hourCycle: 'h23',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(now);
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const msOfDay =
    ((part('hour') * 60 + part('minute')) * 60 + part('second')) * SECOND + now.getUTCMilliseconds();
  return (((msOfDay - FIRST_SHIFT_START) % SHIFT) + SHIFT) % SHIFT;
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
