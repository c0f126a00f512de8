import { z } from 'zod';
import { cloudStatusSchema } from '../cloud/cloud-status';

/**
 * The /status document. Later units (broker, outbox) add their own sections; readers such as the CLI
 * parse only what they show, so an older CLI keeps working against a newer edge.
 */
export const edgeStatusSchema = z.object({
  name: z.string(),
  version: z.string(),
  startedAt: z.string(),
  uptimeS: z.number(),
  dataDir: z.string(),
  cloud: cloudStatusSchema,
});
export type EdgeStatus = z.infer<typeof edgeStatusSchema>;
