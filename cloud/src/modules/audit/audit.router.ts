import { z } from 'zod';
import { type AfterCommit, type EventBus, idInput, scopeOf } from '../../platform/index.js';
import { permittedProcedure, router } from '../../trpc/procedures.js';
import { exportCheckpoint, listCheckpoints, verifyAndCheckpoint } from './checkpoints.js';
import { entityHistory, entryFacets, listEntries } from './entries.js';
import { entryFiltersInput } from './entry-filters.js';
import { listVerifications, type VerificationResult, verifyAndRecord } from './verify.js';

/*
 * The audit trail's API (docs/audit.md). Everything needs audit.read: reading the trail, verifying its
 * chain, and signing and exporting checkpoints.
 */

const read = permittedProcedure('audit.read');

const seqInput = z.number().int().min(1);

const entriesRouter = router({
  /** Newest first; pass `nextBefore` back as `before` for the next page. */
  list: read
    .input(
      entryFiltersInput.and(
        z.object({
          before: seqInput.optional(),
          limit: z.number().int().min(1).max(200).default(50),
        }),
      ),
    )
    .query(({ ctx, input }) => listEntries(ctx.tx, scopeOf(ctx.principal), input)),
  /** One record's entries, newest first, at most HISTORY_LIMIT (500); `truncated` says when there are more. */
  history: read
    .input(
      z.object({ entityType: z.string().trim().min(1).max(64), entityId: z.string().trim().min(1).max(200) }),
    )
    .query(({ ctx, input }) => entityHistory(ctx.tx, scopeOf(ctx.principal), input)),
  /** The entity types, actions and actors present, for the viewer's filter menus. */
  facets: read.query(({ ctx }) => entryFacets(ctx.tx, scopeOf(ctx.principal))),
});

/** A broken chain found on request is announced like the daily job's finding, once the run is recorded. */
function announceIfBroken(
  ctx: { principal: { tenantId: string }; deps: { bus: EventBus }; afterCommit: AfterCommit },
  result: VerificationResult,
) {
  if (result.ok || result.firstBadSeq === null) return;
  const failure = {
    tenantId: ctx.principal.tenantId,
    trigger: 'request' as const,
    firstBadSeq: result.firstBadSeq,
    reason: result.reason ?? 'the chain does not check',
  };
  ctx.afterCommit(() => ctx.deps.bus.emit('audit.verification-failed', failure));
}

export const auditRouter = router({
  entries: entriesRouter,
  /**
   * Recomputes the tenant's chain now, from the latest signed checkpoint (default) or from the start.
   */
  verify: read
    .meta({
      unaudited:
        'the run is recorded in audit_verifications (who asked, when, what it found); an audit entry ' +
        'per run would only lengthen the chain it checks',
    })
    .input(
      z
        .object({ from: z.enum(['checkpoint', 'start']).default('checkpoint') })
        .default({ from: 'checkpoint' }),
    )
    .mutation(async ({ ctx, input }) => {
      const { result } = await verifyAndRecord(ctx.tx, ctx.principal.tenantId, {
        trigger: 'request',
        requestedBy: ctx.principal.userId,
        from: input.from,
      });
      announceIfBroken(ctx, result);
      return result;
    }),
  verifications: router({
    /** The latest runs, scheduled and asked for, newest first. */
    list: read
      .input(z.object({ limit: z.number().int().min(1).max(100).default(20) }).default({ limit: 20 }))
      .query(({ ctx, input }) => listVerifications(ctx.tx, ctx.principal.tenantId, input.limit)),
  }),
  checkpoints: router({
    /** The latest checkpoints, newest first. */
    list: read
      .input(z.object({ limit: z.number().int().min(1).max(100).default(20) }).default({ limit: 20 }))
      .query(({ ctx, input }) =>
        listCheckpoints(ctx.tx, ctx.principal.tenantId, ctx.deps.auditSigningKey, input.limit),
      ),
    /**
     * Verifies the chain from the latest checkpoint and, if it checks, signs its head now. The run is
     * in `verification`; `checkpoint` is null when the chain does not check or has no entries yet.
     */
    create: read
      .meta({
        unaudited:
          'the checkpoint is its own record (append-only, signed), and the verification before it is ' +
          'recorded in audit_verifications',
      })
      .mutation(async ({ ctx }) => {
        const outcome = await verifyAndCheckpoint(ctx.tx, ctx.principal.tenantId, ctx.deps.auditSigningKey, {
          trigger: 'request',
          requestedBy: ctx.principal.userId,
        });
        announceIfBroken(ctx, outcome.verification);
        return outcome;
      }),
    /** The signed document of one checkpoint, checkable without Plantline (docs/audit.md). */
    export: read
      .input(z.object({ id: idInput }))
      .query(({ ctx, input }) => exportCheckpoint(ctx.tx, ctx.principal.tenantId, input.id)),
  }),
});
