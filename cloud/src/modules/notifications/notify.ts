import { tables } from '@plantline/schema';
import { sql } from 'drizzle-orm';
import { type Database, rows, type Sql } from '../../db/index.js';
import { type AfterCommit, DomainError, type EventBus, type Scope } from '../../platform/index.js';
import { tenantSettings } from '../settings/index.js';
import { KIND_MAX_LENGTH, KIND_PATTERN } from './kinds.js';
import { type Recipients, resolveRecipients, selectorsOf } from './recipients.js';

/** What a module says when it notifies (docs/notifications.md, "Notifying from a module"). */
export interface NotificationRequest {
  to: Recipients | readonly Recipients[];
  /** What happened, `<area>.<event>` (`audit.verify.failed`): users turn email on or off per kind. */
  kind: string;
  title: string;
  body?: string | null;
  /** A path in the web app (`/orders/…`); emails carry it as a full link. */
  link?: string | null;
  /** The plant it is about: only recipients who reach the plant get it. */
  plantId?: string | null;
  entity?: { type: string; id: string } | null;
}

/**
 * The transaction to notify in, with what runs once it commits. A procedure passes its own context
 * (`notify(ctx, …)`); a job passes its transaction, an `afterCommit` that runs effects once its
 * transaction has committed, and the app's dependencies.
 */
export interface NotifyContext {
  tx: Sql;
  afterCommit: AfterCommit;
  deps: { bus: EventBus; email: { readonly enabled: boolean } | null };
}

export interface Notified {
  /** The users notified, each once. */
  userIds: string[];
  /** How many of them get an email of their own for it (the rest see it in the app or a digest). */
  emails: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TITLE_MAX = 200;
const BODY_MAX = 4000;
const LINK_MAX = 2000;

/**
 * Notifies the recipients in the caller's transaction: one notification per active recipient, and for
 * each who gets email for this kind without a digest, an email queued with it. Nothing is seen —
 * bell, live stream, email — unless the transaction commits.
 */
export function notify(ctx: NotifyContext, request: NotificationRequest): Promise<Notified> {
  return createNotifications(ctx, request, { forceEmail: false });
}

/**
 * notify() in a transaction of its own, for work that has none (a job): scoped to `scope`, the bus
 * told once it has committed.
 */
export async function notifyNow(
  deps: { db: Database; bus: EventBus; email: { readonly enabled: boolean } | null },
  scope: Scope,
  request: NotificationRequest,
): Promise<Notified> {
  const effects: (() => void)[] = [];
  const notified = await deps.db.transact(scope, (tx) =>
    notify({ tx, afterCommit: (effect) => effects.push(effect), deps }, request),
  );
  for (const effect of effects) effect();
  return notified;
}

/** notify(), and for the test notification an email whatever the recipient's preferences. */
export async function createNotifications(
  ctx: NotifyContext,
  request: NotificationRequest,
  options: { forceEmail: boolean },
): Promise<Notified> {
  const checked = checkRequest(request);
  const { tx } = ctx;
  const recipients = await resolveRecipients(tx, request.to, checked.plantId);
  if (recipients.length === 0) return { userIds: [], emails: 0 };
  const tenantId = await tenantInScope(tx);
  const created = await tx
    .insert(tables.notifications)
    .values(
      recipients.map((r) => ({
        tenantId,
        userId: r.userId,
        kind: checked.kind,
        title: checked.title,
        body: checked.body,
        link: checked.link,
        plantId: checked.plantId,
        entityType: checked.entity?.type ?? null,
        entityId: checked.entity?.id ?? null,
      })),
    )
    .returning({ id: tables.notifications.id, userId: tables.notifications.userId });
  const emailed =
    ctx.deps.email?.enabled === true
      ? await emailedRecipients(tx, checked.kind, recipients, options.forceEmail)
      : [];
  const notificationOf = new Map(created.map((n) => [n.userId, n.id]));
  if (emailed.length > 0) {
    await tx.insert(tables.notificationDeliveries).values(
      emailed.map((r) => ({
        tenantId,
        notificationId: notificationOf.get(r.userId) ?? null,
        userId: r.userId,
        address: r.email,
        subject: checked.title,
      })),
    );
  }
  const userIds = recipients.map((r) => r.userId);
  const { bus } = ctx.deps;
  ctx.afterCommit(() => bus.emit('notifications.created', { tenantId, userIds }));
  return { userIds, emails: emailed.length };
}

/** Who gets an email of their own: email on for the kind (theirs, else the tenant's), no digest. */
async function emailedRecipients(
  tx: Sql,
  kind: string,
  recipients: { userId: string; email: string }[],
  force: boolean,
) {
  if (force) return recipients;
  const defaults = (await tenantSettings(tx)).notifications;
  const wanted = await rows<{ user_id: string }>(
    tx,
    sql`select u.id::text as user_id
          from unnest(${sql.param(recipients.map((r) => r.userId))}::uuid[]) as u(id)
         where coalesce((select p.email from notification_preferences p
                          where p.user_id = u.id and p.kind = ${kind}), ${defaults.emailByDefault})
           and coalesce((select d.digest from notification_digests d where d.user_id = u.id),
                        ${defaults.defaultDigest}) = 'off'`,
  );
  const ids = new Set(wanted.map((w) => w.user_id));
  return recipients.filter((r) => ids.has(r.userId));
}

async function tenantInScope(tx: Sql): Promise<string> {
  const [row] = await rows<{ id: string | null }>(tx, sql`select plantline.current_tenant_id()::text as id`);
  if (row?.id == null) throw new Error('notify() needs a transaction scoped to a tenant');
  return row.id;
}

function checkRequest(request: NotificationRequest) {
  const invalid = (message: string) => new DomainError('invalid', `Notification: ${message}`);
  const kind = request.kind;
  if (kind.length > KIND_MAX_LENGTH || !KIND_PATTERN.test(kind))
    throw invalid(`the kind ${JSON.stringify(kind.slice(0, 40))} is not <area>.<event> in a–z, 0–9 and -`);
  const title = request.title.trim();
  if (title === '' || title.length > TITLE_MAX) throw invalid(`a title of 1–${TITLE_MAX} characters`);
  const body = request.body?.trim() || null;
  if (body !== null && body.length > BODY_MAX) throw invalid(`a body of at most ${BODY_MAX} characters`);
  const link = request.link ?? null;
  // A path of this app only: an email must not become a way to send users elsewhere.
  if (link !== null && (!/^\/(?![/\\])/.test(link) || link.length > LINK_MAX || /[\s\p{Cc}]/u.test(link)))
    throw invalid('a link is a path of the web app, such as /orders/…');
  const plantId = request.plantId ?? null;
  if (plantId !== null && !UUID.test(plantId)) throw invalid('the plant is an id');
  const entity = request.entity ?? null;
  if (entity !== null && (entity.type.length === 0 || entity.type.length > 100 || entity.id.length > 200))
    throw invalid('an entity has a type of 1–100 and an id of at most 200 characters');
  for (const selector of selectorsOf(request.to)) {
    const within = 'plantId' in selector ? (selector.plantId ?? null) : null;
    if (within !== null && !UUID.test(within)) throw invalid('the recipients’ plant is an id');
  }
  return { kind, title, body, link, plantId, entity };
}
