import { z } from 'zod';

// Shapes the cloud answers with. They belong in @plantline/schema's contracts once the cloud side lands;
// until then the edge parses exactly what it reads, so a cloud change shows up as a clear parse error.

/** The cloud answers 'degraded' (database unreachable) with the same shape. */
export const cloudHealthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  version: z.string(),
  database: z
    .object({
      mode: z.enum(['embedded', 'server']),
      timescaledb: z.boolean(),
      reachable: z.boolean().optional(),
    })
    .optional(),
});

export const edgeIdentitySchema = z.object({
  keyId: z.string(),
  keyName: z.string(),
  tenantId: z.string(),
  tenantName: z.string(),
  plants: z.array(z.object({ id: z.string(), code: z.string(), name: z.string() })),
  permissions: z.array(z.string()),
});
export type EdgeIdentity = z.infer<typeof edgeIdentitySchema>;

/** tRPC v11 non-batched HTTP response envelope (no transformer). */
export const trpcResponseSchema = z.union([
  z.object({ result: z.object({ data: z.unknown() }) }),
  z.object({
    error: z.object({
      message: z.string(),
      data: z.object({ code: z.string(), httpStatus: z.number().optional() }).partial().optional(),
    }),
  }),
]);
