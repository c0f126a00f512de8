import { z } from 'zod';
import { idInput } from '../../platform/index.js';
import { router, signedInProcedure } from '../../trpc/procedures.js';
import { listSignatures, readableRecord } from './signatures.js';
import { signingRequirement } from './signing-auth.js';

/** A record of any type workflows run on; the type's read permission is checked in code. */
const workflowRecordInput = z.object({
  entityType: z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'Not a record type'),
  entityId: idInput,
});

/** Electronic signatures (docs/workflows.md, "Electronic signatures"); signing itself is an action. */
export const signaturesRouter = router({
  /** What the caller's next signing needs: both components or the password only. */
  requirement: signedInProcedure.query(({ ctx }) => signingRequirement(ctx)),
  list: signedInProcedure.input(workflowRecordInput).query(async ({ ctx, input }) => {
    const { entity, record } = await readableRecord(ctx, input);
    return listSignatures(ctx.tx, { entityType: entity.key, entityId: record.id });
  }),
});
