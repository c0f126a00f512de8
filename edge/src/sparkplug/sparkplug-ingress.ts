import { type SparkplugMapping, type SparkplugRule, TOPIC_ROOT } from '@plantline/schema';
import type { DeadLetterStore } from '../dead-letter/dead-letter-store';
import { newEventId } from '../ingress/event-id';
import type { Ingress, IngressOutcome } from '../ingress/ingress';
import type { Origin } from '../ingress/resend-index';
import type { Logger } from '../logger';
import type { Unit } from '../unit';
import { CounterBaselines, type PendingCount } from './counter-baselines';
import { readSparkplugMapping, SparkplugRules } from './sparkplug-mapping';
import { codec, type DecodedPayload, decodeSparkplugPayload } from './sparkplug-payloads';
import {
  type DropReason,
  type PresenceEntry,
  type ResolvedMetric,
  SparkplugSessions,
} from './sparkplug-sessions';
import {
  isControlMetric,
  isSparkplugTopic,
  parseSparkplugTopic,
  SPARKPLUG_NAMESPACE,
} from './sparkplug-topics';

/** Publishes a command on the broker the edge takes its messages from (QoS 0, Sparkplug 3.0 section 6.4.18). */
export type CommandPublisher = (topic: string, payload: Buffer) => Promise<void>;

export interface SparkplugStatus {
  rules: number;
  /** Sparkplug B messages received, malformed ones included. */
  receivedTotal: number;
  /** Plantline events made from mapped metrics and handed to the ingress. */
  eventsTotal: number;
  /** Metrics without a rule, bdSeq and Node Control/… apart: ignored. */
  unmappedMetricsTotal: number;
  /** Payloads that are no Sparkplug B payload, and mapped values no event can be made of: dead letters. */
  malformedTotal: number;
  /** Messages dropped because the node must be born again, by reason. */
  droppedTotal: Record<DropReason, number>;
  duplicatesTotal: number;
  rebirthRequestsTotal: number;
  /**
   * Nodes and devices heard of, with the machines (`plant/line/machine`) their rules map to. The cloud
   * hears of a death through the offline state of a state rule that names one.
   */
  presence: (PresenceEntry & { machines: string[] })[];
}

const LISTED_PRESENCE = 100;

/** What a metric became: a Plantline message (a count with its event id), or why it is a dead letter. */
type Made = { topic: string; payload: object; id?: string } | { reason: string };

/**
 * The edge's second way in: Sparkplug B messages from `spBv1.0/#`, decoded with Eclipse Tahu's
 * sparkplug-payload, checked for sequence and births (sparkplug-sessions.ts), and their mapped metrics
 * turned into ordinary Plantline messages handed to the ingress, which validates and stores them as if
 * a device had published them on the MQTT contract. Everything else goes on to the ingress unchanged.
 */
export class SparkplugIngress implements Unit {
  readonly name = 'sparkplug';
  #rules = new SparkplugRules({ rules: [] });
  #sessions = new SparkplugSessions();
  /** Last value of each counter metric, so that its increase is the count; kept across births and restarts. */
  readonly #counters: CounterBaselines;
  #stats = {
    receivedTotal: 0,
    eventsTotal: 0,
    unmappedMetricsTotal: 0,
    malformedTotal: 0,
    duplicatesTotal: 0,
    rebirthRequestsTotal: 0,
    droppedTotal: { 'no-birth': 0, 'seq-gap': 0, 'device-not-born': 0, 'unknown-alias': 0, 'no-seq': 0 },
  };

  constructor(
    private readonly deps: {
      ingress: Ingress;
      deadLetters: DeadLetterStore;
      /**
       * The file (EDGE_SPARKPLUG_MAPPING), or the mapping itself; undefined: the rules come from the
       * cloud (sparkplug-sync.ts, through useMapping) and none apply until they do.
       */
      mapping: string | SparkplugMapping | undefined;
      /** Bound late: the broker is built after its ingress. */
      publishCommand: CommandPublisher;
      log: Logger;
      /** Where counters' last values are kept (counter-baselines.ts); without it, in memory only. */
      countersFile?: string;
    },
  ) {
    this.#counters = new CounterBaselines(deps.countersFile);
  }

  async start(): Promise<void> {
    // Counts the last run had made but perhaps not stored: the cloud keeps each id once.
    const pending = await this.#counters.load();
    for (const count of pending) {
      await this.deps.ingress.acceptWithId(
        count.topic,
        Buffer.from(count.payload),
        new Date(count.receivedAt),
        count.id,
      );
    }
    this.#counters.settled(pending.map((count) => count.id));
    const { mapping } = this.deps;
    if (mapping === undefined) return;
    this.useMapping(typeof mapping === 'string' ? await readSparkplugMapping(mapping) : mapping);
    this.deps.log.info({ rules: this.#rules.size }, 'Sparkplug B mapping loaded');
  }

  /**
   * Maps by these rules from the next message on. Counter baselines stay: a counter whose rule is
   * unchanged goes on counting from its last value.
   */
  useMapping(mapping: SparkplugMapping): void {
    const before = this.#rules;
    this.#rules = new SparkplugRules(mapping);
    // A metric mapped just now would otherwise wait for its next change to be heard of: the nodes
    // whose rules changed are asked for their births, which carry every metric's current value.
    for (const { group, node } of this.#sessions.onlineNodes()) {
      if (before.signatureOf(group, node) !== this.#rules.signatureOf(group, node)) {
        this.#requestRebirth(group, node);
      }
    }
  }

  async stop(): Promise<void> {
    await this.#counters.flush();
  }

  /**
   * Same contract as Ingress.accept: resolves once everything the message became is stored.
   * `allows`, when given, is whether the publisher may write the Plantline topic a metric maps to.
   */
  async accept(
    topic: string,
    payload: Buffer,
    origin?: Origin,
    receivedAt = new Date(),
    allows?: (plantlineTopic: string) => boolean,
  ): Promise<IngressOutcome> {
    if (!isSparkplugTopic(topic)) return this.deps.ingress.accept(topic, payload, origin, receivedAt);
    const address = parseSparkplugTopic(topic);
    // STATE and commands are host applications' traffic, not a node's data.
    if (address === undefined) return 'ignored';
    this.#stats.receivedTotal++;
    let decoded: DecodedPayload;
    try {
      decoded = decodeSparkplugPayload(payload);
    } catch (err) {
      return this.#deadLetter(
        topic,
        `not a Sparkplug B payload: ${(err as Error).message}`,
        payload,
        receivedAt,
      );
    }
    const { seq, metrics, timestamp: payloadTs } = decoded;
    const verdict = this.#sessions.receive({ ...address, seq, metrics }, receivedAt.getTime());
    if ('duplicate' in verdict) {
      this.#stats.duplicatesTotal++;
      return 'ignored';
    }
    if ('dropped' in verdict) {
      this.#stats.droppedTotal[verdict.dropped]++;
      this.deps.log.warn(
        { topic, reason: verdict.dropped, rebirth: verdict.rebirth },
        'Sparkplug message dropped',
      );
      if (verdict.rebirth) this.#requestRebirth(address.group, address.node);
      return 'ignored';
    }
    if (!verdict.take) {
      if (!('offline' in verdict) || verdict.offline === undefined) return 'ignored';
      // An NDEATH is often the broker's will, whose timestamp is from when the node connected.
      const ts = address.type === 'NDEATH' ? receivedAt.getTime() : (payloadTs ?? receivedAt.getTime());
      const offline = this.#offlineStates(address, verdict.offline, ts);
      return this.#store(offline, topic, payload, receivedAt, allows);
    }
    const counters: { key: string; value: number }[] = [];
    const messages = this.#toMessages(address, verdict.metrics, payloadTs ?? receivedAt.getTime(), counters);
    return this.#store(messages, topic, payload, receivedAt, allows, counters);
  }

  /**
   * Hands the messages made of one Sparkplug message to the ingress; resolves once all are stored.
   * Counters' new values and the counts they made are on disk first (counter-baselines.ts).
   */
  async #store(
    messages: Made[],
    topic: string,
    payload: Buffer,
    receivedAt: Date,
    allows: ((plantlineTopic: string) => boolean) | undefined,
    counters: { key: string; value: number }[] = [],
  ): Promise<IngressOutcome> {
    // What each message becomes: a dead letter's reason, or the text the ingress is handed.
    const judged = messages.map((message) =>
      'reason' in message
        ? message
        : allows && !allows(message.topic)
          ? { reason: `${message.topic} is outside the device's rights` }
          : { ...message, text: JSON.stringify(message.payload) },
    );
    const at = receivedAt.toISOString();
    const counts: PendingCount[] = [];
    for (const message of judged) {
      if ('text' in message && message.id !== undefined)
        counts.push({ id: message.id, topic: message.topic, payload: message.text, receivedAt: at });
    }
    // Set before anything is awaited, so that the next message of the counter counts from here.
    if (counters.length > 0) await this.#counters.record(counters, counts);
    const outcomes = judged.map((message) => {
      if ('reason' in message) return this.#deadLetter(topic, message.reason, payload, receivedAt);
      this.#stats.eventsTotal++;
      const body = Buffer.from(message.text);
      return message.id === undefined
        ? this.deps.ingress.accept(message.topic, body, undefined, receivedAt)
        : this.deps.ingress.acceptWithId(message.topic, body, receivedAt, message.id);
    });
    await Promise.all(outcomes);
    if (counts.length > 0) this.#counters.settled(counts.map((count) => count.id));
    return outcomes.length > 0 ? 'stored' : 'ignored';
  }

  status(): SparkplugStatus {
    return {
      rules: this.#rules.size,
      ...this.#stats,
      droppedTotal: { ...this.#stats.droppedTotal },
      presence: this.#sessions.presence(LISTED_PRESENCE).map((entry) => ({
        ...entry,
        machines: this.#rules.machinesOf(entry.group, entry.node, entry.device),
      })),
    };
  }

  /** The offline state of each state rule that has one, of what a death took offline. */
  #offlineStates(
    address: { group: string; node: string },
    offline: (string | null)[],
    ts: number,
  ): { topic: string; payload: object }[] {
    const out: { topic: string; payload: object }[] = [];
    for (const device of offline) {
      for (const rule of this.#rules.rulesOf(address.group, address.node, device)) {
        if (rule.kind !== 'state' || rule.offline === undefined) continue;
        const topic = `${TOPIC_ROOT}/${rule.plant}/${rule.line}/${rule.machine}/state`;
        out.push({ topic, payload: { state: rule.offline, ts } });
      }
    }
    return out;
  }

  /** One state event per state metric; one count event per counter that grew; telemetry per machine. */
  #toMessages(
    address: { group: string; node: string; device: string | undefined },
    metrics: ResolvedMetric[],
    payloadTs: number,
    counters: { key: string; value: number }[],
  ): Made[] {
    const device = address.device ?? null;
    const out: Made[] = [];
    const telemetry = new Map<string, { topic: string; values: Record<string, number>; ts: number }>();
    for (const metric of metrics) {
      const rule = this.#rules.find(address.group, address.node, device, metric.name);
      if (rule === undefined) {
        if (!isControlMetric(metric.name)) this.#stats.unmappedMetricsTotal++;
        continue;
      }
      // A null value (Sparkplug's is_null) says the value is unknown: nothing to record.
      if (metric.value === null) continue;
      const ts = metric.timestamp ?? payloadTs;
      const machineTopic = `${TOPIC_ROOT}/${rule.plant}/${rule.line}/${rule.machine}`;
      if (rule.kind === 'state') {
        const text = String(metric.value);
        const state = rule.states ? rule.states[text] : text;
        if (state === undefined) out.push({ reason: `${metric.name}: no state code for the value ${text}` });
        else out.push({ topic: `${machineTopic}/state`, payload: { state, ts } });
      } else if (rule.kind === 'count') {
        const increase = this.#counterIncrease(address, rule, metric.value, counters);
        if (typeof increase === 'string') out.push({ reason: `${metric.name}: ${increase}` });
        else if (increase > 0) {
          // Its own id now, so that the count has the same one if it is handed over again after a restart.
          const payload = { [rule.count]: increase, ts };
          out.push({ topic: `${machineTopic}/count`, payload, id: newEventId() });
        }
      } else {
        const value = typeof metric.value === 'boolean' ? Number(metric.value) : metric.value;
        if (typeof value !== 'number' || !Number.isFinite(value)) {
          out.push({
            reason: `${metric.name}: telemetry needs a number, got ${JSON.stringify(metric.value)}`,
          });
          continue;
        }
        // One telemetry event per machine and time, as a device on the MQTT contract would send it.
        const key = `${machineTopic} ${ts}`;
        const entry = telemetry.get(key) ?? { topic: `${machineTopic}/telemetry`, values: {}, ts };
        entry.values[rule.name] = value;
        telemetry.set(key, entry);
      }
    }
    for (const { topic, values, ts } of telemetry.values()) out.push({ topic, payload: { values, ts } });
    return out;
  }

  /**
   * The count a counter's new value stands for: its increase over the last value seen, or, when it went
   * down (the counter was reset), the new value itself. The first value seen only sets the baseline.
   */
  #counterIncrease(
    address: { group: string; node: string; device: string | undefined },
    rule: SparkplugRule,
    value: number | boolean | string,
    counters: { key: string; value: number }[],
  ): number | string {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
      return `a counter must be a whole number ≥ 0, got ${JSON.stringify(value)}`;
    }
    const key = JSON.stringify([address.group, address.node, address.device ?? null, rule.metric]);
    const last = this.#counters.get(key);
    if (last !== value) counters.push({ key, value });
    if (last === undefined) return 0;
    return value >= last ? value - last : value;
  }

  #requestRebirth(group: string, node: string): void {
    this.#stats.rebirthRequestsTotal++;
    const payload = Buffer.from(
      codec.encodePayload({
        timestamp: Date.now(),
        metrics: [{ name: 'Node Control/Rebirth', type: 'Boolean', value: true }],
      }),
    );
    const topic = `${SPARKPLUG_NAMESPACE}/${group}/NCMD/${node}`;
    this.deps
      .publishCommand(topic, payload)
      .catch((err: unknown) =>
        this.deps.log.warn(
          { topic, err: err instanceof Error ? err.message : String(err) },
          'rebirth request not sent',
        ),
      );
  }

  async #deadLetter(topic: string, reason: string, payload: Buffer, at: Date): Promise<IngressOutcome> {
    this.#stats.malformedTotal++;
    await this.deps.deadLetters.add({ source: 'device', topic, reason, payload, at });
    return 'dead-letter';
  }
}
