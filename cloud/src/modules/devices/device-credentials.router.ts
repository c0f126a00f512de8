import { DEVICE_USERNAME_PATTERN } from '@plantline/schema';
import { z } from 'zod';
import { DomainError, idInput } from '../../platform/index.js';
import { permittedProcedure, router } from '../../trpc/procedures.js';
import {
  createDeviceCredential,
  deviceCredentialsForEdge,
  listDeviceCredentials,
  revokeDeviceCredential,
} from './device-credentials.js';

export const deviceCredentialsRouter = router({
  list: permittedProcedure('devices.manage').query(({ ctx }) => listDeviceCredentials(ctx.tx)),
  /** Returns the password once; it cannot be read again. */
  create: permittedProcedure('devices.manage')
    .input(
      z.object({
        username: z.string().trim().regex(DEVICE_USERNAME_PATTERN, 'Use 1–64 of A–Z a–z 0–9 _ . @ -'),
        plantId: idInput,
        lineId: idInput.optional(),
        machineId: idInput.optional(),
      }),
    )
    .mutation(({ ctx, input }) => createDeviceCredential(ctx.tx, ctx.principal, input)),
  revoke: permittedProcedure('devices.manage')
    .input(z.object({ id: idInput }))
    .mutation(({ ctx, input }) => revokeDeviceCredential(ctx.tx, input.id)),
});

/** The edge's side: its key's plants' device logins (edge.deviceCredentials). */
export const edgeDeviceCredentials = permittedProcedure('ingest.write').query(({ ctx }) => {
  if (ctx.principal.apiKeyId === null) {
    throw new DomainError('forbidden', 'Only API keys identify edge nodes');
  }
  return deviceCredentialsForEdge(ctx.tx);
});
