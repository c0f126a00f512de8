import { emailDigests } from '@plantline/schema';
import { z } from 'zod';
import { DomainError, idInput, type Principal } from '../../platform/index.js';
import {
  permittedProcedure,
  router,
  signedInProcedure,
  signedInSubscription,
} from '../../trpc/procedures.js';
import { deliveryStatuses, listDeliveries } from './delivery-log.js';
import { listNotifications, markRead, unreadCount } from './inbox.js';
import { KIND_MAX_LENGTH, KIND_PATTERN, TEST_KIND } from './kinds.js';
import { liveNotifications } from './live.js';
import { createNotifications } from './notify.js';
import { changePreferences, readPreferences } from './preferences.js';

const kindInput = z
  .string()
  .max(KIND_MAX_LENGTH)
  .regex(KIND_PATTERN, 'A kind is <area>.<event>, in a–z, 0–9 and -');

/** Notifications are a person's: an API key has none. */
function userOf(principal: Principal): string {
  if (principal.userId === null) throw new DomainError('forbidden', 'Notifications are for signed-in users');
  return principal.userId;
}

/*
 * Every procedure here is the caller's own business: signed in is enough, and each reads or changes
 * only the caller's notifications and preferences — except the delivery log, which is the tenant's.
 */
export const notificationsRouter = router({
  /** The caller's notifications, newest first, a page at a time (`next` continues). */
  list: signedInProcedure
    .input(
      z.object({
        unreadOnly: z.boolean().optional(),
        before: idInput.optional(),
        limit: z.number().int().min(1).max(100).default(20),
      }),
    )
    .query(({ ctx, input }) => listNotifications(ctx.tx, userOf(ctx.principal), input)),

  unreadCount: signedInProcedure.query(async ({ ctx }) => ({
    unread: await unreadCount(ctx.tx, userOf(ctx.principal)),
  })),

  markRead: signedInProcedure
    .meta({ unaudited: 'Reading one’s own notification changes no business record' })
    .input(z.union([z.object({ ids: z.array(idInput).min(1).max(500) }), z.object({ all: z.literal(true) })]))
    .mutation(async ({ ctx, input }) => {
      const userId = userOf(ctx.principal);
      const changed = await markRead(ctx.tx, userId, input);
      const { tenantId } = ctx.principal;
      if (changed > 0) ctx.afterCommit(() => ctx.deps.bus.emit('notifications.read', { tenantId, userId }));
      return { changed, unread: await unreadCount(ctx.tx, userId) };
    }),

  preferences: router({
    get: signedInProcedure.query(({ ctx }) =>
      readPreferences(ctx.tx, userOf(ctx.principal), ctx.deps.email !== null),
    ),
    /**
     * Unaudited: how a person is told — email or not, a digest or not — is their own setting, not a
     * record of production or quality; the notifications themselves and the changes they report are
     * what the trail covers (21 CFR 11.10(e) asks for the records' changes).
     */
    set: signedInProcedure
      .meta({ unaudited: 'A user’s own delivery preferences are not GMP records' })
      .input(
        z.object({
          kinds: z
            .array(z.object({ kind: kindInput, email: z.boolean().nullable() }))
            .max(200)
            .optional(),
          digest: z.enum(emailDigests).nullable().optional(),
        }),
      )
      .mutation(async ({ ctx, input }) => {
        const userId = userOf(ctx.principal);
        await changePreferences(ctx.tx, ctx.principal.tenantId, userId, input);
        return readPreferences(ctx.tx, userId, ctx.deps.email !== null);
      }),
  }),

  /** The caller's unread count at once, then again with the new ones whenever something changes. */
  live: signedInSubscription.subscription(({ ctx, signal }) =>
    liveNotifications(ctx.deps, ctx.principal, signal),
  ),

  /**
   * A notification to oneself, by email too when the server has email set up — whatever one's
   * preferences say — so an administrator can check the mail server from the web app.
   */
  sendTest: signedInProcedure
    .meta({ unaudited: 'A test notification to oneself changes no business record' })
    .mutation(async ({ ctx }) => {
      const userId = userOf(ctx.principal);
      const { emails } = await createNotifications(
        ctx,
        {
          to: { userIds: [userId] },
          kind: TEST_KIND,
          title: 'Test notification',
          body: 'You asked Plantline for a test notification. If you read this, notifications reach you.',
          link: '/notifications',
        },
        { forceEmail: true },
      );
      return { email: emails > 0 ? ('queued' as const) : ('off' as const) };
    }),

  deliveries: router({
    /**
     * The tenant's delivery log. tenant.manage: it shows every user's address and every subject,
     * across plants, and belongs with the tenant's notification settings.
     */
    list: permittedProcedure('tenant.manage')
      .input(
        z.object({
          status: z.enum(deliveryStatuses).optional(),
          userId: idInput.optional(),
          before: idInput.optional(),
          limit: z.number().int().min(1).max(200).default(50),
        }),
      )
      .query(async ({ ctx, input }) => ({
        emailConfigured: ctx.deps.email !== null,
        ...(await listDeliveries(ctx.tx, input)),
      })),
  }),
});
