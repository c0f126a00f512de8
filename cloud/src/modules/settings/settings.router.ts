import { z } from 'zod';
import { permittedProcedure, router } from '../../trpc/procedures.js';
import { readSettingsRecord, updateSettings } from './settings.js';
import { settingsPatchInput } from './settings-rules.js';

export const settingsRouter = router({
  get: permittedProcedure('tenant.read').query(({ ctx }) => readSettingsRecord(ctx.tx)),
  update: permittedProcedure('tenant.manage')
    .input(
      z.object({
        version: z.number().int().min(0),
        patch: settingsPatchInput,
        // Read (and checked) by the access middleware for the audit trail; declared here too since
        // switching "reason required" off needs one while the rule is still on.
        reason: z.string().optional(),
      }),
    )
    .mutation(({ ctx, input }) =>
      updateSettings(ctx.tx, ctx.principal, {
        version: input.version,
        patch: input.patch,
        reason: input.reason ?? null,
      }),
    ),
});
