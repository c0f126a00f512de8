import { MESSAGE_TYPES, type MessageType } from './sparkplug-sessions';

/*
 * Sparkplug B's topics and values as the edge reads them (Sparkplug 3.0, sections 4.1 and 6.4).
 */

/** Sparkplug 3.0, section 4.1.1: the namespace of every Sparkplug B topic. */
export const SPARKPLUG_NAMESPACE = 'spBv1.0';

/**
 * The command filters a Sparkplug node subscribes to (`spBv1.0/{group}/NCMD/{node}`, `…/DCMD/{node}`,
 * either followed by `/#` or a device id): the embedded broker lets a device read these, nothing more.
 */
export function isSparkplugCommandFilter(filter: string): boolean {
  const [namespace, group, type, node, tail, ...rest] = filter.split('/');
  const plain = (level: string | undefined) => level !== undefined && /^[^+#]+$/.test(level);
  return (
    namespace === SPARKPLUG_NAMESPACE &&
    (type === 'NCMD' || type === 'DCMD') &&
    plain(group) &&
    plain(node) &&
    rest.length === 0 &&
    (tail === undefined || tail === '#' || plain(tail))
  );
}

export function isSparkplugTopic(topic: string): boolean {
  return topic.startsWith(`${SPARKPLUG_NAMESPACE}/`);
}

/** `spBv1.0/{group}/{type}/{node}[/{device}]` (Sparkplug 3.0, section 4.1.1), or undefined for others. */
export function parseSparkplugTopic(
  topic: string,
): { group: string; node: string; device: string | undefined; type: MessageType } | undefined {
  const [namespace, group, type, node, device, ...rest] = topic.split('/');
  if (namespace !== SPARKPLUG_NAMESPACE || !group || !node || rest.length > 0) return undefined;
  if (!(MESSAGE_TYPES as readonly string[]).includes(type ?? '')) return undefined;
  const messageType = type as MessageType;
  const forDevice = messageType.startsWith('D');
  if (forDevice !== (device !== undefined && device.length > 0)) return undefined;
  return { group, node, device: forDevice ? device : undefined, type: messageType };
}

/** The session's own metrics (Sparkplug 3.0, sections 6.4.7 and 6.4.18), which no mapping is for. */
export function isControlMetric(name: string): boolean {
  return name === 'bdSeq' || name.startsWith('Node Control/') || name.startsWith('Device Control/');
}

/** Sparkplug's 64-bit integers arrive as Long objects (protobufjs); Plantline's values are numbers. */
export function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'object' && value !== null && 'toNumber' in value) {
    return (value as { toNumber(): number }).toNumber();
  }
  return undefined;
}

export function plainValue(value: unknown): number | boolean | string | null {
  if (typeof value === 'boolean' || typeof value === 'string') return value;
  return toNumber(value) ?? null;
}

/**
 * The topic of a primary host application's STATE (Sparkplug 3.0, "Topic Namespace"): retained, so a
 * node that waits for its primary host sees at once whether the host is online.
 */
export function hostStateTopic(hostId: string): string {
  return `${SPARKPLUG_NAMESPACE}/STATE/${hostId}`;
}

export function isHostStateTopic(topic: string): boolean {
  return topic.startsWith(`${SPARKPLUG_NAMESPACE}/STATE/`);
}

/**
 * A STATE payload (Sparkplug 3.0, "Payloads"): UTF-8 JSON. The birth and the will of one
 * connection carry the same timestamp, from when the connection was made, so a node can tell a
 * stale STATE from the current one.
 */
export function hostStatePayload(online: boolean, timestamp: number): Buffer {
  return Buffer.from(JSON.stringify({ online, timestamp }));
}
