import {
  DEMO_CHANGEOVER,
  DEMO_PRODUCTS,
  DEMO_REASONS,
  type DemoMachineCharacter,
  type EventKind,
  type PayloadByKind,
  topicFor,
} from '@plantline/schema';
import { type PlantLayout, TYPICAL_CHARACTER } from './layout';
import { breakAt, nextBreakStart } from './shift-clock';

export { demoLayout, demoPlantLayout, type MachineProfile, type PlantLayout, plantLayout } from './layout';
export { shiftPhaseAt } from './shift-clock';

export interface SimEvent<K extends EventKind = EventKind> {
  /** Milliseconds of simulated time since the model started. */
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
const TELEMETRY_EVERY = MINUTE;
const FAILURES = DEMO_REASONS.filter((r) => r.repairMinutes !== undefined);
const DEFAULT_PRODUCTS = DEMO_PRODUCTS.slice(0, 2).map((p) => p.code);

type State = 'RUNNING' | 'REDUCED_SPEED' | 'MICROSTOP' | 'DOWN' | 'CHANGEOVER' | 'PLANNED_STOP';

interface Machine {
  line: string;
  code: string;
  isLast: boolean;
  stations: string[];
  idealCycleMs: number;
  character: DemoMachineCharacter;
  products: readonly string[];
  productIndex: number;
  state: State;
  stateUntil: number;
  order: number;
  /** The plant's own order the machine works on, until it has made its good parts; then its own numbers. */
  named: { number: string; product: string; left: number } | null;
  partsInOrder: number;
  nextPartAt: number;
  nextTelemetryAt: number;
  serial: number;
}

export interface PlantModelOptions {
  /** Where in a shift simulated time 0 lies, so the breaks fall where the plant's calendar has them. */
  shiftPhaseMs?: number;
  /** The number of the first production order (orders are PO-<plant>-<number>). */
  firstOrder?: number;
  /**
   * Per line code, the order the plant has in progress there: the line's last machine counts its
   * parts for it (its number and product) until it has made `quantity` good ones, then changes over
   * and goes on with its own order numbers (docs/demo.md, "Materials and stock").
   */
  orders?: Readonly<Record<string, LineOrder>>;
}

/** An order of the plant's, as its line is told to make it. */
export interface LineOrder {
  number: string;
  product: string;
  /** Good parts still to make. */
  quantity: number;
}

/**
 * A plant that behaves like one (docs/demo.md): machines run at or slower than their ideal cycle,
 * slow down, microstop, fail with a reason and a repair time, change over between orders and stop
 * for the planned breaks of each shift; they count parts with their own scrap rate, send telemetry,
 * and the last machine of a line has its parts scanned at the stations. Each machine's character
 * (schema's demo-plant.ts) sets how often. One seeded generator: the same seed, the same events.
 */
export class PlantModel {
  readonly #random: () => number;
  readonly #machines: Machine[];
  readonly #plant: string;
  readonly #shiftPhaseMs: number;
  #queue: SimEvent[] = [];

  constructor(layout: PlantLayout, seed: number, options: PlantModelOptions = {}) {
    this.#shiftPhaseMs = options.shiftPhaseMs ?? 0;
    this.#random = seededRandom(seed);
    this.#plant = layout.plant;
    let order = options.firstOrder ?? 1000;
    this.#machines = layout.lines.flatMap((line) =>
      line.machines.map((code, index) => {
        const profile = line.profiles?.[code];
        const character = profile?.character ?? TYPICAL_CHARACTER;
        const products = line.products ?? DEFAULT_PRODUCTS;
        const isLast = index === line.machines.length - 1;
        const given = isLast ? options.orders?.[line.code] : undefined;
        const named = given === undefined || given.quantity <= 0 ? null : { ...given, left: given.quantity };
        const idealCycleMs = Math.round(
          profile ? profile.idealCycleSeconds * SECOND : 20_000 + this.#random() * 40_000,
        );
        // Orders are under way when the model starts, so changeovers do not all fall together; a given
        // order starts now (the draw is made all the same, keeping the seeded sequence of the rest).
        const underWay = Math.floor(this.#random() * character.orderSize);
        return {
          line: line.code,
          code,
          isLast,
          stations: line.stations,
          idealCycleMs,
          character,
          products,
          productIndex: index % products.length,
          state: 'RUNNING' as State,
          stateUntil: 0,
          order: order++,
          named,
          partsInOrder: named === null ? underWay : 0,
          nextPartAt: 0,
          nextTelemetryAt: Math.round(this.#random() * TELEMETRY_EVERY),
          serial: 0,
        };
      }),
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
      machine.nextTelemetryAt = when + TELEMETRY_EVERY;
      const running = producing(machine.state);
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
    return Math.min(
      machine.nextTelemetryAt,
      machine.stateUntil,
      producing(machine.state) ? machine.nextPartAt : Number.POSITIVE_INFINITY,
    );
  }

  /** One cycle from now: never shorter than ideal; up to `cycleSpread` longer, or much longer when slowed. */
  #cycle(machine: Machine): number {
    const slower =
      machine.state === 'REDUCED_SPEED'
        ? 1.3 + this.#random() * 0.4
        : 1 + this.#random() * machine.character.cycleSpread;
    return Math.ceil(machine.idealCycleMs * slower);
  }

  #part(machine: Machine, at: number): void {
    const scrap = this.#random() < machine.character.scrapRate;
    const { named } = machine;
    const product = named?.product ?? machine.products[machine.productIndex]!;
    this.#emit(at, machine.line, machine.code, 'count', {
      good: scrap ? 0 : 1,
      scrap: scrap ? 1 : 0,
      product,
      order: named?.number ?? `PO-${this.#plant}-${machine.order}`,
    });
    machine.partsInOrder++;
    if (named !== null && !scrap) named.left--;
    if (machine.isLast && !scrap) this.#scan(machine, product, at);
    machine.nextPartAt = at + this.#cycle(machine);
    const done = named === null ? machine.partsInOrder >= machine.character.orderSize : named.left <= 0;
    if (done) {
      // The order is done: the next one needs a changeover (an availability loss, not a planned stop).
      machine.named = null;
      machine.partsInOrder = 0;
      machine.order += 100;
      machine.productIndex = (machine.productIndex + 1) % machine.products.length;
      const [low, high] = DEMO_CHANGEOVER.minutes;
      this.#enter(machine, 'CHANGEOVER', at, this.#between(low, high) * MINUTE, DEMO_CHANGEOVER.reason);
    }
  }

  #scan(machine: Machine, product: string, at: number): void {
    machine.serial++;
    const serial = `${product}-${machine.line}-${String(machine.serial).padStart(6, '0')}`;
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

  /**
   * What follows a state: planned breaks win; after a stop the machine runs again; a run ends with a
   * failure, a microstop or a slow spell, in proportion to how often the machine's character has them
   * (competing exponential clocks, so each happens at its own mean rate).
   */
  #afterState(machine: Machine, at: number): void {
    const plannedBreak = breakAt(at, this.#shiftPhaseMs);
    if (plannedBreak && machine.state !== 'PLANNED_STOP') {
      this.#enter(machine, 'PLANNED_STOP', at, plannedBreak.until - at, plannedBreak.reason);
      return;
    }
    if (machine.state !== 'RUNNING') {
      this.#enter(machine, 'RUNNING', at);
      return;
    }
    const c = machine.character;
    const rates = [1 / c.mtbfMinutes, 1 / c.microstopEveryMinutes, 1 / c.slowSpellEveryMinutes];
    const roll = this.#random() * (rates[0]! + rates[1]! + rates[2]!);
    if (roll < rates[0]!) {
      const failure = FAILURES[Math.floor(this.#random() * FAILURES.length)]!;
      const [low, high] = failure.repairMinutes!;
      this.#enter(machine, 'DOWN', at, this.#between(low, high) * MINUTE, failure.code);
    } else if (roll < rates[0]! + rates[1]!) {
      this.#enter(machine, 'MICROSTOP', at, this.#between(10, 90) * SECOND);
    } else {
      this.#enter(machine, 'REDUCED_SPEED', at, this.#between(3, 20) * MINUTE);
    }
  }

  #enter(machine: Machine, state: State, at: number, lengthMs?: number, reason?: string): void {
    const wasProducing = producing(machine.state);
    machine.state = state;
    const length = lengthMs ?? this.#runLength(machine);
    machine.stateUntil = Math.round(
      state === 'PLANNED_STOP' ? at + length : Math.min(at + length, nextBreakStart(at, this.#shiftPhaseMs)),
    );
    // Back from a stop the part in the machine starts over: the next one comes a full cycle later.
    if (producing(state) && !wasProducing)
      machine.nextPartAt = Math.max(machine.nextPartAt, at + this.#cycle(machine));
    this.#emit(at, machine.line, machine.code, 'state', reason ? { state, reason } : { state });
  }

  /** How long a run lasts until the first of failure, microstop or slow spell (exponential). */
  #runLength(machine: Machine): number {
    const c = machine.character;
    const ratePerMinute = 1 / c.mtbfMinutes + 1 / c.microstopEveryMinutes + 1 / c.slowSpellEveryMinutes;
    return (-Math.log(1 - this.#random()) / ratePerMinute) * MINUTE;
  }

  #between(low: number, high: number): number {
    return low + this.#random() * (high - low);
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

function producing(state: State): boolean {
  return state === 'RUNNING' || state === 'REDUCED_SPEED';
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
