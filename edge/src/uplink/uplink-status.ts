import { z } from 'zod';

/** The `uplink` section of /status; with the outbox section it tells how a replay is going. */
export const uplinkStatusSchema = z.object({
  state: z.enum(['idle', 'sending', 'backing-off', 'auth-error', 'no-api-key', 'stopped']),
  batchSize: z.number(),
  /** Batches that may be in flight at once, one per lane (docs/architecture.md, "The uplink"). */
  lanes: z.number(),
  /** Read from the outbox and not yet stored in the cloud. */
  eventsInFlight: z.number(),
  lastError: z.string().nullable(),
  lastSuccessAt: z.string().nullable(),
  /** Events the cloud stored (accepted or duplicate) since the edge started. */
  sentTotal: z.number(),
  duplicateTotal: z.number(),
  rejectedTotal: z.number(),
  sentPerS: z.number(),
  lastBatch: z.object({ events: z.number(), ms: z.number(), gzipBytes: z.number() }).nullable(),
  /** Seconds until the backlog is gone at the current net rate; null when it is not shrinking. */
  etaS: z.number().nullable(),
});
export type UplinkStatus = z.infer<typeof uplinkStatusSchema>;
