import { permissionCatalogue, permissionSchema } from '@plantline/schema';
import { z } from 'zod';
import { announceAccessChange, DomainError, idInput } from '../../platform/index.js';
import { permittedProcedure, router } from '../../trpc/procedures.js';
import { edgeDeviceCredentials } from '../devices/index.js';
import { createApiKey, describeApiKey, listApiKeys, revokeApiKey } from './api-keys.js';

export const apiKeysRouter = router({
  list: permittedProcedure('apikeys.manage').query(({ ctx }) => listApiKeys(ctx.tx, ctx.principal)),
  /** Returns the key itself once; it cannot be read again. */
  create: permittedProcedure('apikeys.manage')
    .input(
      z.object({
        name: z.string().trim().min(1).max(120),
        scopes: z.array(permissionSchema).min(1).max(permissionCatalogue.length),
        plantIds: z.array(idInput).min(1, 'Choose at least one plant').max(1000),
        expiresAt: z.coerce
          .date()
          .refine((d) => d > new Date(), 'Choose a time in the future')
          .optional(),
      }),
    )
    .mutation(({ ctx, input }) => createApiKey(ctx.tx, ctx.principal, input)),
  revoke: permittedProcedure('apikeys.manage')
    .input(z.object({ id: idInput }))
    .mutation(({ ctx, input }) => {
      announceAccessChange(ctx, { apiKeyId: input.id });
      return revokeApiKey(ctx.tx, ctx.principal, input.id);
    }),
});

export const edgeRouter = router({
  /** An edge node checks its key and learns its tenant and plants (shown in its status). */
  whoami: permittedProcedure('ingest.write').query(({ ctx }) => {
    const { principal } = ctx;
    if (principal.apiKeyId === null) throw new DomainError('forbidden', 'Only API keys identify edge nodes');
    return describeApiKey(ctx.tx, { ...principal, apiKeyId: principal.apiKeyId });
  }),
  /** The device logins an edge verifies on its embedded broker, for its key's plants. */
  deviceCredentials: edgeDeviceCredentials,
});
