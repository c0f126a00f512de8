import { z } from 'zod';
import { CODE_PATTERN, TOPIC_ROOT } from './topics.js';

/*
 * The answer a plant station gets to a scan (docs/device-integration.md, "Answers at a station";
 * docs/logistics.md, "Scanning at a station"). The cloud answers each scan event whose station has a
 * task in its reply to `ingest.push`, next to the event's own result; the edge publishes the answer
 * on the answer topic of the device that scanned:
 *   plantline/v1/{plant}/{line}/{machine}/answer
 * Devices subscribe to it; nothing publishes there but the edge, and the edge's ingress ignores it.
 */

/** The last topic level of an answer: not an event kind, so parseTopic never takes it for one. */
export const ANSWER_TOPIC_KIND = 'answer';

/**
 * What a station says to a scan: the packing results (docs/logistics.md, "Packing by scanning"), and
 * `no_task` when the station has nothing open to scan into (none assigned, the shipment has left, the
 * package is closed); the message says which. A scan with `action: consume` at a machine is answered
 * with the same words (docs/materials.md, "Consuming at a machine").
 */
export const stationAnswerResults = [
  'ok',
  'wrong_item',
  'wrong_lot',
  'expired',
  'over_quantity',
  'not_in_shipment',
  'bad_check_digit',
  'duplicate',
  'unreadable',
  'no_task',
] as const;
export type StationAnswerResult = (typeof stationAnswerResults)[number];

/** One item's progress after the scan, when the scan was of an item. */
export const stationItemProgress = z.object({
  productCode: z.string(),
  packed: z.number(),
  quantity: z.number(),
});

/** The answer in the cloud's reply to `ingest.push`, per answered scan event. */
export const stationAnswer = z.object({
  result: z.enum(stationAnswerResults),
  /** A sentence for the operator, naming what was expected and what was scanned. */
  message: z.string(),
  /** The station's code in master data. */
  station: z.string(),
  /** The shipment or transfer number the station works on, or the order a consume scan was for; null without one. */
  shipment: z.string().nullable(),
  item: stationItemProgress.nullable(),
});
export type StationAnswer = z.infer<typeof stationAnswer>;

/** What the edge publishes on the answer topic: the answer, the scan event it answers, and when. */
export const stationAnswerMessage = stationAnswer.extend({
  /** The scan's event id, as the edge gave it. */
  event: z.string(),
  /** When the edge published the answer (ISO 8601, UTC). */
  ts: z.string(),
});
export type StationAnswerMessage = z.infer<typeof stationAnswerMessage>;

export interface DeviceAddress {
  plant: string;
  line: string;
  machine: string;
}

export function answerTopicFor(address: DeviceAddress): string {
  return `${TOPIC_ROOT}/${address.plant}/${address.line}/${address.machine}/${ANSWER_TOPIC_KIND}`;
}

/** `plantline/v1/{plant}/{line}/{machine}/answer` with valid codes; the device it is for, or null. */
export function parseAnswerTopic(topic: string): DeviceAddress | null {
  const parts = topic.split('/');
  if (parts.length !== 6 || `${parts[0]}/${parts[1]}` !== TOPIC_ROOT || parts[5] !== ANSWER_TOPIC_KIND)
    return null;
  const [, , plant, line, machine] = parts as [string, string, string, string, string, string];
  if (![plant, line, machine].every((code) => CODE_PATTERN.test(code))) return null;
  return { plant, line, machine };
}

/** Any topic under the root whose last of six levels is `answer`, malformed codes included. */
export function isAnswerTopic(topic: string): boolean {
  // Every device message passes here: most are told apart by their end, without a split.
  if (!topic.endsWith(`/${ANSWER_TOPIC_KIND}`)) return false;
  const parts = topic.split('/');
  return parts.length === 6 && `${parts[0]}/${parts[1]}` === TOPIC_ROOT && parts[5] === ANSWER_TOPIC_KIND;
}
