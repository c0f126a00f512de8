/**
 * What the edge knows of each Sparkplug B edge node it hears from: whether it is born, its last
 * sequence number, the metric aliases of its births and which of its devices are online. Pure: the
 * caller decodes the payload and passes the time, so the rules can be tested without a broker.
 *
 * Sparkplug 3.0 rules followed here: every NBIRTH, NDATA, DBIRTH, DDATA and DDEATH of a node carries
 * `seq`, one more than the node's previous message, wrapping from 255 to 0 (section 6.4.6); an NDEATH
 * ends the session only when its `bdSeq` equals the NBIRTH's (section 6.4.7); a host application that
 * misses a message, or hears from a node or device it has no birth for, or an alias it does not know,
 * asks for a rebirth with the NCMD metric `Node Control/Rebirth` (section 6.4.18) and ignores the node's
 * data until the new NBIRTH.
 */

export const MESSAGE_TYPES = ['NBIRTH', 'NDEATH', 'DBIRTH', 'DDEATH', 'NDATA', 'DDATA'] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

/** Between two rebirth requests to one node that has not answered yet. */
export const REBIRTH_RETRY_MS = 5000;

/** One metric of a decoded payload, its value already reduced to a plain number, boolean or string. */
export interface IncomingMetric {
  name: string | undefined;
  alias: number | undefined;
  value: number | boolean | string | null;
  /** Epoch milliseconds, when the metric carries its own time. */
  timestamp: number | undefined;
}

export interface IncomingMessage {
  group: string;
  node: string;
  /** Set for DBIRTH, DDATA and DDEATH. */
  device: string | undefined;
  type: MessageType;
  seq: number | undefined;
  metrics: readonly IncomingMetric[];
}

export interface ResolvedMetric {
  name: string;
  value: number | boolean | string | null;
  timestamp: number | undefined;
}

export type DropReason = 'no-birth' | 'seq-gap' | 'device-not-born' | 'unknown-alias' | 'no-seq';

export type Verdict =
  /** Take these metrics (births and data); `online` is set when the message changes presence. */
  | { take: true; metrics: ResolvedMetric[]; online?: boolean }
  /**
   * A death, or a birth without metrics to take. `offline`: what the death took offline that was
   * online — the node itself as null, and its devices by id.
   */
  | { take: false; online: boolean; offline?: (string | null)[] }
  /** The same seq as the node's last message: a broker's redelivery. */
  | { take: false; duplicate: true }
  /** An NDEATH whose bdSeq is not the current birth's: an older session's, ignored. */
  | { take: false; stale: true }
  | { take: false; dropped: DropReason; rebirth: boolean };

interface DeviceSession {
  online: boolean;
  born: boolean;
  aliases: Map<number, string>;
}

interface NodeSession {
  born: boolean;
  online: boolean;
  seq: number;
  bdSeq: number | undefined;
  aliases: Map<number, string>;
  devices: Map<string, DeviceSession>;
  rebirthRequestedAt: number | undefined;
}

export interface PresenceEntry {
  group: string;
  node: string;
  device: string | null;
  online: boolean;
}

export class SparkplugSessions {
  #nodes = new Map<string, NodeSession>();

  receive(message: IncomingMessage, now: number): Verdict {
    const key = `${message.group}/${message.node}`;
    let node = this.#nodes.get(key);
    if (message.type === 'NBIRTH') {
      const aliases = new Map<number, string>();
      for (const metric of message.metrics) {
        if (metric.alias !== undefined && metric.name !== undefined) aliases.set(metric.alias, metric.name);
      }
      const bdSeq = message.metrics.find((metric) => metric.name === 'bdSeq')?.value;
      // A new NBIRTH starts a new session: its devices must be born again (section 6.4.9).
      node = {
        born: message.seq !== undefined,
        online: true,
        seq: message.seq ?? 0,
        bdSeq: typeof bdSeq === 'number' ? bdSeq : undefined,
        aliases,
        devices: new Map(),
        rebirthRequestedAt: undefined,
      };
      this.#nodes.set(key, node);
      if (message.seq === undefined) return this.#drop(node, 'no-seq', now);
      return { take: true, metrics: resolve(message.metrics, aliases) ?? [], online: true };
    }
    if (message.type === 'NDEATH') {
      const bdSeq = message.metrics.find((metric) => metric.name === 'bdSeq')?.value;
      if (!node || (node.bdSeq !== undefined && bdSeq !== node.bdSeq)) return { take: false, stale: true };
      const offline: (string | null)[] = node.online ? [null] : [];
      for (const [id, device] of node.devices) if (device.online) offline.push(id);
      node.born = false;
      node.online = false;
      for (const device of node.devices.values()) device.online = false;
      return { take: false, online: false, offline };
    }
    if (!node?.born) return this.#drop(node ?? this.#unborn(key), 'no-birth', now);
    if (message.seq === undefined) return this.#drop(node, 'no-seq', now);
    if (message.seq === node.seq) return { take: false, duplicate: true };
    if (message.seq !== (node.seq + 1) % 256) return this.#drop(node, 'seq-gap', now);
    node.seq = message.seq;
    if (message.type === 'NDATA') {
      const metrics = resolve(message.metrics, node.aliases);
      return metrics ? { take: true, metrics } : this.#drop(node, 'unknown-alias', now);
    }
    const id = message.device ?? '';
    if (message.type === 'DBIRTH') {
      const aliases = new Map<number, string>();
      for (const metric of message.metrics) {
        if (metric.alias !== undefined && metric.name !== undefined) aliases.set(metric.alias, metric.name);
      }
      node.devices.set(id, { online: true, born: true, aliases });
      return { take: true, metrics: resolve(message.metrics, aliases) ?? [], online: true };
    }
    const device = node.devices.get(id);
    if (!device?.born) return this.#drop(node, 'device-not-born', now);
    if (message.type === 'DDEATH') {
      const offline = device.online ? [id] : [];
      device.online = false;
      device.born = false;
      return { take: false, online: false, offline };
    }
    const metrics = resolve(message.metrics, device.aliases);
    return metrics ? { take: true, metrics } : this.#drop(node, 'unknown-alias', now);
  }

  /** The nodes online now, as group and node id. */
  onlineNodes(): { group: string; node: string }[] {
    const nodes: { group: string; node: string }[] = [];
    for (const [key, session] of this.#nodes) {
      const [group = '', node = ''] = splitKey(key);
      if (session.online) nodes.push({ group, node });
    }
    return nodes;
  }

  /** Every node and device heard of, for the status; at most `limit` entries. */
  presence(limit: number): PresenceEntry[] {
    const entries: PresenceEntry[] = [];
    for (const [key, node] of this.#nodes) {
      const [group = '', nodeId = ''] = splitKey(key);
      entries.push({ group, node: nodeId, device: null, online: node.online });
      for (const [device, session] of node.devices) {
        entries.push({ group, node: nodeId, device, online: session.online });
      }
      if (entries.length >= limit) break;
    }
    return entries.slice(0, limit);
  }

  #unborn(key: string): NodeSession {
    const node: NodeSession = {
      born: false,
      online: false,
      seq: 0,
      bdSeq: undefined,
      aliases: new Map(),
      devices: new Map(),
      rebirthRequestedAt: undefined,
    };
    this.#nodes.set(key, node);
    return node;
  }

  /** Ends the session until the next NBIRTH; asks for that birth at most every REBIRTH_RETRY_MS. */
  #drop(node: NodeSession, reason: DropReason, now: number): Verdict {
    node.born = false;
    const rebirth =
      node.rebirthRequestedAt === undefined || now - node.rebirthRequestedAt >= REBIRTH_RETRY_MS;
    if (rebirth) node.rebirthRequestedAt = now;
    return { take: false, dropped: reason, rebirth };
  }
}

/** Names for every metric, from its own name or its birth's alias; undefined when an alias is unknown. */
function resolve(
  metrics: readonly IncomingMetric[],
  aliases: ReadonlyMap<number, string>,
): ResolvedMetric[] | undefined {
  const resolved: ResolvedMetric[] = [];
  for (const metric of metrics) {
    const name = metric.name ?? (metric.alias !== undefined ? aliases.get(metric.alias) : undefined);
    if (name === undefined) return undefined;
    resolved.push({ name, value: metric.value, timestamp: metric.timestamp });
  }
  return resolved;
}

/** Group ids and edge node ids contain no `/` (Sparkplug 3.0, section 4.1.1), so the key splits back. */
function splitKey(key: string): string[] {
  return key.split('/');
}
