import type { EventKind } from '@plantline/schema';

/** What each kind carries on the live stream, as stored. */
export interface LiveEventData {
  state: { state: string; reason: string | null };
  count: { good: number; scrap: number; product: string | null; order: string | null };
  scan: { code: string; symbology: string; action: string; station: string | null };
  telemetry: { values: Record<string, number> };
}

/** One stored plant event, resolved to master data ids: what `events.live` streams. */
export type LiveEvent = {
  [K in EventKind]: {
    id: string;
    kind: K;
    plantId: string;
    lineId: string;
    machineId: string;
    /** ISO 8601: when it happened. */
    time: string;
    receivedAt: string;
    data: LiveEventData[K];
  };
}[EventKind];
