import { z } from 'zod';

/** The `outbox` section of /status. */
export const outboxStatusSchema = z.object({
  backlogEvents: z.number(),
  bytes: z.number(),
  maxBytes: z.number(),
  quotaUsed: z.number(),
  quotaState: z.enum(['ok', 'warning', 'full']),
  oldestAppendedAt: z.string().nullable(),
  oldestAgeS: z.number().nullable(),
  segments: z.number(),
  appendedTotal: z.number(),
  refusedTotal: z.number(),
  discardedOnRecovery: z.number(),
  error: z.string().nullable(),
});
export type OutboxStatus = z.infer<typeof outboxStatusSchema>;
