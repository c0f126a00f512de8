import { z } from 'zod';
import { permittedProcedure, router } from '../../trpc/procedures.js';
import { readLogoInfo, removeLogo, setLogo } from './logo.js';
import { LOGO_MAX_BYTES } from './logo-image.js';
import { readSettingsRecord, updateSettings } from './settings.js';
import { settingsPatchInput } from './settings-rules.js';

const tooBig = `The logo is larger than ${LOGO_MAX_BYTES / 1024} KB`;

/** The image as base64; its length bounds the bytes before they are decoded (4 characters per 3). */
const logoInput = z.object({
  image: z
    .string()
    .min(1, 'Choose an image')
    .max(Math.ceil(LOGO_MAX_BYTES / 3) * 4, tooBig)
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'The image must be sent as base64'),
});

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
  logo: router({
    get: permittedProcedure('tenant.read').query(({ ctx }) => readLogoInfo(ctx.tx)),
    set: permittedProcedure('tenant.manage')
      .input(logoInput)
      .mutation(({ ctx, input }) => setLogo(ctx.tx, ctx.principal, Buffer.from(input.image, 'base64'))),
    remove: permittedProcedure('tenant.manage').mutation(({ ctx }) => removeLogo(ctx.tx, ctx.principal)),
  }),
});
