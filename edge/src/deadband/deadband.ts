import type { DeadbandMode, TelemetryDeadband } from '@plantline/schema';

/*
 * The telemetry deadband the ingress applies before the outbox (docs/device-integration.md, "Telemetry
 * deadbands"; the rules' contract: schema/src/contracts/telemetry-deadbands.ts). Each value of a
 * telemetry message is a sample of its series — plant, line, machine and value name. A sample is kept
 * when its series has no rule, when it is the series' first, when it leaves the deadband around the last
 * kept value, or when the heartbeat interval has passed since that one (by the events' own times, so a
 * device's buffered backlog is filtered as it was measured). Everything else is counted and dropped.
 * States, counts and scans never come here.
 */

export interface MachineAddress {
  plant: string;
  line: string;
  machine: string;
}

interface Rule {
  mode: DeadbandMode;
  deadband: number;
  heartbeatMs: number;
}

interface ScopeRules {
  byMetric: Map<string, Rule>;
  /** The rule for the scope's values without one of their own name. */
  any: Rule | undefined;
}

interface Series {
  value: number;
  timeMs: number;
}

interface MachineSeries {
  /** The machine's scopes, nearest first: machine, line, plant (missing ones left out). */
  scopes: ScopeRules[];
  series: Map<string, Series>;
}

export interface DeadbandCounts {
  received: number;
  suppressed: number;
}

export interface DeadbandStats {
  rules: number;
  samplesReceived: number;
  samplesSuppressed: number;
  /** Telemetry messages none of whose values were kept: acknowledged and not stored. */
  messagesSuppressed: number;
  /** Series whose last kept value is remembered. */
  series: number;
  /** Per value name, most received first (at most `limit` of stats()). */
  metrics: ({ name: string } & DeadbandCounts)[];
}

/** Memory bounds: beyond them a series is passed unfiltered and a name counted only in the totals. */
export const DEADBAND_BOUNDS = { maxMachines: 10_000, maxSeries: 100_000, maxMetricNames: 1000 } as const;

/** Exceeds, as in OPC UA Part 4 §7.22.2; the percentage is of the last kept value (contract above). */
export function outsideDeadband(rule: Pick<Rule, 'mode' | 'deadband'>, last: number, value: number): boolean {
  const change = Math.abs(value - last);
  if (rule.mode === 'absolute') return change > rule.deadband;
  if (rule.mode === 'percent') return change > (rule.deadband / 100) * Math.abs(last);
  return true;
}

export class DeadbandFilter {
  #scopes = new Map<string, ScopeRules>();
  #rulesKey = '[]';
  #ruleCount = 0;
  #machines = new Map<string, MachineSeries>();
  #trackedSeries = 0;
  #metrics = new Map<string, DeadbandCounts>();
  #totals = { samplesReceived: 0, samplesSuppressed: 0, messagesSuppressed: 0 };

  /**
   * A change of rules starts every series afresh (its next sample is kept), so a tightened or removed
   * rule never compares against a value kept under another. The same rules again change nothing.
   */
  replaceRules(rules: readonly TelemetryDeadband[]): void {
    const key = JSON.stringify(rules);
    if (key === this.#rulesKey) return;
    this.#rulesKey = key;
    this.#ruleCount = rules.length;
    this.#scopes = new Map();
    for (const rule of rules) {
      const scopeKey = scopeKeyOf(rule.plant, rule.line, rule.line === null ? null : rule.machine);
      let scope = this.#scopes.get(scopeKey);
      if (!scope) {
        scope = { byMetric: new Map(), any: undefined };
        this.#scopes.set(scopeKey, scope);
      }
      const compiled: Rule = {
        mode: rule.mode,
        deadband: rule.deadband,
        heartbeatMs: (rule.heartbeatS ?? 0) * 1000,
      };
      if (rule.metric === null) scope.any = compiled;
      else scope.byMetric.set(rule.metric, compiled);
    }
    this.#machines.clear();
    this.#trackedSeries = 0;
  }

  /**
   * The values to store: `values` itself when all are kept, a copy with the kept ones when some are,
   * undefined when none is. The decision is made here, synchronously, so samples are judged in the
   * order the ingress receives them.
   */
  filter(
    address: MachineAddress,
    values: Readonly<Record<string, number>>,
    timeMs: number,
  ): Record<string, number> | undefined {
    const names = Object.keys(values);
    this.#totals.samplesReceived += names.length;
    const machine = this.#scopes.size === 0 ? undefined : this.#machineOf(address);
    let dropped: Set<string> | undefined;
    for (const name of names) {
      const counts = this.#countsOf(name);
      if (counts) counts.received++;
      if (machine === undefined || this.#keep(machine, name, values[name]!, timeMs)) continue;
      if (counts) counts.suppressed++;
      dropped ??= new Set();
      dropped.add(name);
    }
    if (dropped === undefined) return values;
    this.#totals.samplesSuppressed += dropped.size;
    if (dropped.size === names.length) {
      this.#totals.messagesSuppressed++;
      return undefined;
    }
    // fromEntries defines own properties, so a value named `__proto__` stays a value.
    return Object.fromEntries(Object.entries(values).filter(([name]) => !dropped.has(name)));
  }

  /**
   * Forgets the last kept values of these series: their samples were kept but could not be stored
   * (outbox full or failing), so the device's resend must be judged as a first sample, not dropped as
   * equal to itself.
   */
  release(address: MachineAddress, names: readonly string[]): void {
    const machine = this.#machines.get(scopeKeyOf(address.plant, address.line, address.machine));
    if (!machine) return;
    for (const name of names) if (machine.series.delete(name)) this.#trackedSeries--;
  }

  stats(limit = 50): DeadbandStats {
    const metrics = [...this.#metrics]
      .map(([name, counts]) => ({ name, ...counts }))
      .sort((a, b) => b.received - a.received || (a.name < b.name ? -1 : 1))
      .slice(0, limit);
    return { rules: this.#ruleCount, ...this.#totals, series: this.#trackedSeries, metrics };
  }

  #keep(machine: MachineSeries, name: string, value: number, timeMs: number): boolean {
    const rule = ruleOf(machine.scopes, name);
    if (rule === undefined || rule.mode === 'off') return true;
    const last = machine.series.get(name);
    if (last === undefined) {
      if (this.#trackedSeries < DEADBAND_BOUNDS.maxSeries) {
        machine.series.set(name, { value, timeMs });
        this.#trackedSeries++;
      }
      return true;
    }
    // A sample older than the last kept one (a device replaying out of order) cannot be judged
    // against it: kept, and the series keeps its newer reference.
    if (timeMs < last.timeMs) return true;
    if (timeMs - last.timeMs >= rule.heartbeatMs || outsideDeadband(rule, last.value, value)) {
      last.value = value;
      last.timeMs = timeMs;
      return true;
    }
    return false;
  }

  #machineOf(address: MachineAddress): MachineSeries | undefined {
    const key = scopeKeyOf(address.plant, address.line, address.machine);
    let machine = this.#machines.get(key);
    if (!machine && this.#machines.size < DEADBAND_BOUNDS.maxMachines) {
      const scopes = [
        key,
        scopeKeyOf(address.plant, address.line, null),
        scopeKeyOf(address.plant, null, null),
      ]
        .map((scopeKey) => this.#scopes.get(scopeKey))
        .filter((scope): scope is ScopeRules => scope !== undefined);
      machine = { scopes, series: new Map() };
      this.#machines.set(key, machine);
    }
    return machine;
  }

  #countsOf(name: string): DeadbandCounts | undefined {
    let counts = this.#metrics.get(name);
    if (!counts && this.#metrics.size < DEADBAND_BOUNDS.maxMetricNames) {
      counts = { received: 0, suppressed: 0 };
      this.#metrics.set(name, counts);
    }
    return counts;
  }
}

/** The nearest scope decides; within a scope a rule for the value's name beats the scope's general one. */
function ruleOf(scopes: readonly ScopeRules[], name: string): Rule | undefined {
  for (const scope of scopes) {
    const rule = scope.byMetric.get(name) ?? scope.any;
    if (rule) return rule;
  }
  return undefined;
}

/** Codes cannot contain '/' (CODE_PATTERN), so the joined key is unambiguous. */
function scopeKeyOf(plant: string, line: string | null, machine: string | null): string {
  return `${plant}/${line ?? ''}/${machine ?? ''}`;
}
