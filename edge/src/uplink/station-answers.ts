import {
  answerTopicFor,
  type EventEnvelope,
  type StationAnswer,
  type StationAnswerMessage,
} from '@plantline/schema';

/*
 * The cloud's answers to scans at stations (docs/device-integration.md, "Answers at a station"),
 * published for the scanner on its answer topic: QoS 1, not retained — an answer is about one scan,
 * and a device that connects later must not read an old one as its own.
 */

/** Where answers go: the embedded broker, or the plant's broker when the edge is its client. */
export interface AnswerPublisher {
  publishAnswer(topic: string, payload: Buffer): Promise<void>;
}

/** The answer topic and message for a scan event, as the edge stored it in its outbox. */
export function answerFor(
  event: Pick<EventEnvelope, 'id' | 'plant' | 'line' | 'machine'>,
  answer: StationAnswer,
  now: Date,
): { topic: string; message: StationAnswerMessage } {
  return {
    topic: answerTopicFor(event),
    message: { event: event.id, ...answer, ts: now.toISOString() },
  };
}
