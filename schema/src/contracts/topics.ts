/*
 * The MQTT topic scheme over the plant hierarchy (docs/device-integration.md, "Topics"):
 *   plantline/v1/{plant}/{line}/{machine}/{kind}
 * Codes are the plant, line and machine (or station) codes from master data. The edge subscribes
 * to `plantline/#` and parses every topic with parseTopic; a malformed one is dead-lettered.
 */
export const TOPIC_ROOT = 'plantline/v1';
/**
 * Every topic under this first level is Plantline's: one that is not a valid contract topic is a
 * misconfigured device, dead-lettered with the reason rather than ignored.
 */
export const TOPIC_NAMESPACE = 'plantline';
export const eventKinds = ['state', 'count', 'scan', 'telemetry'] as const;
export type EventKind = (typeof eventKinds)[number];

/** Plant, line and machine codes: what master data accepts, so topics and codes always agree. */
export const CODE_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;

export interface TopicAddress {
  plant: string;
  line: string;
  machine: string;
  kind: EventKind;
}

export type TopicParse = { ok: true; address: TopicAddress } | { ok: false; reason: string };

export function parseTopic(topic: string): TopicParse {
  const parts = topic.split('/');
  if (parts.length !== 6 || `${parts[0]}/${parts[1]}` !== TOPIC_ROOT) {
    return { ok: false, reason: `topic must be ${TOPIC_ROOT}/{plant}/{line}/{machine}/{kind}` };
  }
  const [, , plant, line, machine, kind] = parts as [string, string, string, string, string, string];
  for (const [name, code] of [
    ['plant', plant],
    ['line', line],
    ['machine', machine],
  ] as const) {
    if (!CODE_PATTERN.test(code))
      return { ok: false, reason: `${name} code "${code}" must be 1–32 of A–Z a–z 0–9 _ -` };
  }
  if (!(eventKinds as readonly string[]).includes(kind)) {
    return { ok: false, reason: `kind "${kind}" must be one of ${eventKinds.join(', ')}` };
  }
  return { ok: true, address: { plant, line, machine, kind: kind as EventKind } };
}

export function isPlantlineTopic(topic: string): boolean {
  return topic === TOPIC_NAMESPACE || topic.startsWith(`${TOPIC_NAMESPACE}/`);
}

export function topicFor(address: TopicAddress): string {
  return `${TOPIC_ROOT}/${address.plant}/${address.line}/${address.machine}/${address.kind}`;
}
