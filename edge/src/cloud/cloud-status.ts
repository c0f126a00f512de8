import { z } from 'zod';
import { edgeIdentitySchema } from './cloud-contract';

/** The `cloud` section of the edge's /status document. */
export const cloudStatusSchema = z.object({
  url: z.string(),
  /** True when the last /healthz check got a healthy answer. */
  reachable: z.boolean(),
  lastCheckAt: z.string().nullable(),
  /** Why the last check failed; null once a check succeeds. */
  lastError: z.string().nullable(),
  cloudVersion: z.string().nullable(),
  apiKeyConfigured: z.boolean(),
  /** Who the cloud says this edge is (edge.whoami); null until known or once the key is rejected. */
  identity: edgeIdentitySchema.nullable(),
  /** Why the identity could not be confirmed, e.g. "API key revoked or unknown". */
  authError: z.string().nullable(),
});
export type CloudStatus = z.infer<typeof cloudStatusSchema>;
