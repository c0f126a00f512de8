import { sql } from 'drizzle-orm';
import { rows, type Sql } from '../../db/index.js';
import { auditCreate, auditUpdate, DomainError, notFound, type Principal } from '../../platform/index.js';
import type { NotifyContext } from '../notifications/index.js';
import { type DelegationPeriod, delegatorsFor, nextDelegationChange } from './engine/index.js';
import { DELEGATION_KIND, type WorkflowNotification, workflowNotify } from './workflow-notify.js';

/*
 * Dated delegation (docs/workflows.md, "Delegation"): "A acts for B from … to …". While it runs, A
 * sees B's tasks and may vote and sign where B could, always recorded as A for B (21 CFR 11.100(a): a
 * signature is never reassigned, so nothing is ever made in B's name). Delegations are never edited:
 * a wrong one is revoked and a new one given, so the trail shows both.
 */

/** Where the people named by a delegation read about it. */
export const DELEGATIONS_PAGE = '/tasks/delegations';

const iso = (column: string) =>
  sql.raw(`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

export interface Person {
  id: string;
  name: string;
}

/**
 * Whom `delegateId` may act for at `at`, by name. Only delegators still active count: a deactivated
 * user's authority ends with their account. The period rule is the engine's (delegatorsFor: direct
 * delegations only, startsAt ≤ at < endsAt, not revoked by then); the query only narrows the rows.
 */
export async function activeDelegators(tx: Sql, delegateId: string, at: Date): Promise<Person[]> {
  const found = await rows<{
    delegator_id: string;
    delegate_id: string;
    name: string;
    starts_at: string;
    ends_at: string;
    revoked_at: string | null;
  }>(
    tx,
    sql`select d.delegator_id::text as delegator_id, d.delegate_id::text as delegate_id, u.display_name as name,
               ${iso('d.starts_at')} as starts_at, ${iso('d.ends_at')} as ends_at, ${iso('d.revoked_at')} as revoked_at
          from workflow_delegations d
          join users u on u.tenant_id = d.tenant_id and u.id = d.delegator_id and u.is_active
         where d.delegate_id = ${delegateId}::uuid
           and d.ends_at > ${at.toISOString()}::timestamptz
           and d.starts_at <= ${at.toISOString()}::timestamptz`,
  );
  const periods = found.map(periodOf);
  const names = new Map(found.map((r) => [r.delegator_id, r.name]));
  return delegatorsFor(periods, delegateId, at)
    .map((id) => ({ id, name: names.get(id) ?? '' }))
    .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

type PeriodRow = {
  delegator_id: string;
  delegate_id: string;
  starts_at: string;
  ends_at: string;
  revoked_at: string | null;
};

const periodOf = (r: PeriodRow): DelegationPeriod => ({
  delegatorId: r.delegator_id,
  delegateId: r.delegate_id,
  startsAt: new Date(r.starts_at),
  endsAt: new Date(r.ends_at),
  revokedAt: r.revoked_at === null ? null : new Date(r.revoked_at),
});

/** When whom `delegateId` acts for next changes by itself (a start or an end), or null. */
export async function nextDelegationChangeOf(tx: Sql, delegateId: string, now: Date): Promise<Date | null> {
  const found = await rows<PeriodRow>(
    tx,
    sql`select delegator_id::text as delegator_id, delegate_id::text as delegate_id,
               ${iso('starts_at')} as starts_at, ${iso('ends_at')} as ends_at, ${iso('revoked_at')} as revoked_at
          from workflow_delegations
         where delegate_id = ${delegateId}::uuid and revoked_at is null and ends_at > ${now.toISOString()}::timestamptz`,
  );
  return nextDelegationChange(found.map(periodOf), delegateId, now);
}

export type DelegationStatus = 'scheduled' | 'active' | 'ended' | 'revoked';

export interface Delegation {
  id: string;
  delegator: Person;
  delegate: Person;
  /** ISO 8601. */
  startsAt: string;
  endsAt: string;
  reason: string;
  createdBy: Person | null;
  createdAt: string;
  revokedAt: string | null;
  status: DelegationStatus;
}

interface DelegationRow {
  id: string;
  delegator_id: string;
  delegator_name: string;
  delegate_id: string;
  delegate_name: string;
  starts_at: string;
  ends_at: string;
  reason: string;
  created_by: string | null;
  created_by_name: string | null;
  created_at: string;
  revoked_at: string | null;
}

const delegationColumns = sql`d.id::text as id,
  d.delegator_id::text as delegator_id, dr.display_name as delegator_name,
  d.delegate_id::text as delegate_id, de.display_name as delegate_name,
  ${iso('d.starts_at')} as starts_at, ${iso('d.ends_at')} as ends_at, d.reason,
  d.created_by::text as created_by, cb.display_name as created_by_name,
  ${iso('d.created_at')} as created_at, ${iso('d.revoked_at')} as revoked_at`;

const delegationJoins = sql`join users dr on dr.tenant_id = d.tenant_id and dr.id = d.delegator_id
  join users de on de.tenant_id = d.tenant_id and de.id = d.delegate_id
  left join users cb on cb.tenant_id = d.tenant_id and cb.id = d.created_by`;

/** Where a delegation stands at `now`. */
export function delegationStatus(
  d: { startsAt: Date; endsAt: Date; revokedAt: Date | null },
  now: Date,
): DelegationStatus {
  if (d.revokedAt !== null && d.revokedAt <= now) return 'revoked';
  if (now >= d.endsAt) return 'ended';
  return now < d.startsAt ? 'scheduled' : 'active';
}

function delegation(row: DelegationRow, now: Date): Delegation {
  return {
    id: row.id,
    delegator: { id: row.delegator_id, name: row.delegator_name },
    delegate: { id: row.delegate_id, name: row.delegate_name },
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    reason: row.reason,
    createdBy: row.created_by === null ? null : { id: row.created_by, name: row.created_by_name ?? '' },
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
    status: delegationStatus(
      {
        startsAt: new Date(row.starts_at),
        endsAt: new Date(row.ends_at),
        revokedAt: row.revoked_at === null ? null : new Date(row.revoked_at),
      },
      now,
    ),
  };
}

/** Ended and revoked delegations stay in the list this long; the audit trail keeps them for good. */
const PAST_DAYS = 90;
const LIST_MAX = 500;

function userOf(principal: Principal): string {
  if (principal.userId === null)
    throw new DomainError('forbidden', 'Delegations are between signed-in users');
  return principal.userId;
}

/**
 * The caller's delegations, given and received; with users.manage, everyone's. Current and planned
 * ones first, then those that ended or were revoked in the last PAST_DAYS days.
 */
export async function listDelegations(tx: Sql, principal: Principal, now: Date): Promise<Delegation[]> {
  const userId = userOf(principal);
  const everyone = principal.permissions.has('users.manage');
  const found = await rows<DelegationRow>(
    tx,
    sql`select ${delegationColumns}
          from workflow_delegations d ${delegationJoins}
         where ${everyone ? sql`true` : sql`(d.delegator_id = ${userId}::uuid or d.delegate_id = ${userId}::uuid)`}
           and coalesce(least(d.revoked_at, d.ends_at), d.ends_at)
               > ${now.toISOString()}::timestamptz - make_interval(days => ${PAST_DAYS})
         order by (coalesce(d.revoked_at, d.ends_at) > ${now.toISOString()}::timestamptz) desc,
                  d.starts_at desc, d.id desc
         limit ${LIST_MAX}`,
  );
  return found.map((row) => delegation(row, now));
}

/** The active users a delegation may name, by name: the page's picker. */
export async function delegationPeople(tx: Sql): Promise<Person[]> {
  return rows<Person>(
    tx,
    sql`select id::text as id, display_name as name from users where is_active order by display_name, id`,
  );
}

export interface DelegationInput {
  /** Whose authority is delegated; the caller's own when absent. */
  delegatorId?: string | undefined;
  delegateId: string;
  startsAt: Date;
  endsAt: Date;
  reason: string;
}

type DelegationContext = NotifyContext & { principal: Principal };

async function activeUser(tx: Sql, id: string): Promise<Person | null> {
  const [found] = await rows<Person & { active: boolean }>(
    tx,
    sql`select id::text as id, display_name as name, is_active as active from users where id = ${id}::uuid`,
  );
  if (found === undefined) return null;
  return found.active ? { id: found.id, name: found.name } : null;
}

/**
 * Gives a delegation: one's own by default; another user's needs users.manage (someone away cannot
 * give theirs). Both people must be active users of the tenant, the period must end in the future, and
 * the two may not already have a delegation that overlaps it. Audited; both are notified.
 */
export async function createDelegation(
  ctx: DelegationContext,
  input: DelegationInput,
  now: Date,
): Promise<Delegation> {
  const { tx, principal } = ctx;
  const callerId = userOf(principal);
  const delegatorId = input.delegatorId ?? callerId;
  if (delegatorId !== callerId && !principal.permissions.has('users.manage')) {
    throw new DomainError('forbidden', 'Delegating for someone else needs the permission users.manage');
  }
  if (delegatorId === input.delegateId) {
    throw new DomainError('invalid', 'Nobody delegates to themselves', { delegateId: 'Choose someone else' });
  }
  if (input.endsAt <= input.startsAt) {
    throw new DomainError('invalid', 'The delegation must end after it starts', {
      endsAt: 'After the start',
    });
  }
  if (input.endsAt <= now) {
    throw new DomainError('invalid', 'The delegation would already be over', { endsAt: 'In the future' });
  }
  const delegator = await activeUser(tx, delegatorId);
  if (delegator === null) throw notFound('Active user to delegate for');
  const delegate = await activeUser(tx, input.delegateId);
  if (delegate === null)
    throw new DomainError('invalid', 'The delegate must be an active user', {
      delegateId: 'Not an active user',
    });
  const [overlap] = await rows<{ id: string }>(
    tx,
    sql`select id::text as id from workflow_delegations
         where delegator_id = ${delegatorId}::uuid and delegate_id = ${input.delegateId}::uuid
           and revoked_at is null
           and starts_at < ${input.endsAt.toISOString()}::timestamptz
           and ends_at > ${input.startsAt.toISOString()}::timestamptz
         limit 1`,
  );
  if (overlap !== undefined) {
    throw new DomainError(
      'conflict',
      `${delegate.name} already acts for ${delegator.name} in part of that period`,
    );
  }
  const [created] = await rows<{ id: string }>(
    tx,
    sql`insert into workflow_delegations (tenant_id, delegator_id, delegate_id, starts_at, ends_at, reason, created_by)
        values (${principal.tenantId}::uuid, ${delegatorId}::uuid, ${input.delegateId}::uuid,
                ${input.startsAt.toISOString()}::timestamptz, ${input.endsAt.toISOString()}::timestamptz,
                ${input.reason}, ${callerId}::uuid)
        returning id::text as id`,
  );
  if (created === undefined) throw new Error('the delegation was not stored');
  const saved = await delegationById(tx, created.id, now);
  auditCreate(tx, 'workflow_delegation', auditedFields(saved), { label: delegationLabel(saved) });
  announce(ctx, saved);
  await tellBoth(ctx, saved, 'given');
  return saved;
}

/**
 * Ends a delegation now. The two people it names may revoke it, and so may users.manage. A
 * delegation already over or revoked is a conflict: there is nothing left to end.
 */
export async function revokeDelegation(ctx: DelegationContext, id: string, now: Date): Promise<Delegation> {
  const { tx, principal } = ctx;
  const callerId = userOf(principal);
  const [locked] = await rows<{ id: string }>(
    tx,
    sql`select id::text as id from workflow_delegations where id = ${id}::uuid for update`,
  );
  if (locked === undefined) throw notFound('Delegation');
  const before = await delegationById(tx, id, now);
  const party = before.delegator.id === callerId || before.delegate.id === callerId;
  if (!party && !principal.permissions.has('users.manage')) throw notFound('Delegation');
  if (before.status === 'revoked' || before.status === 'ended') {
    throw new DomainError('conflict', `This delegation is already ${before.status}`);
  }
  await tx.execute(
    sql`update workflow_delegations set revoked_at = ${now.toISOString()}::timestamptz where id = ${id}::uuid`,
  );
  const after = await delegationById(tx, id, now);
  auditUpdate(
    tx,
    'workflow_delegation',
    auditedFields(before),
    auditedFields(after),
    {
      label: delegationLabel(after),
    },
    'revoke',
  );
  announce(ctx, after);
  await tellBoth(ctx, after, 'revoked');
  return after;
}

async function delegationById(tx: Sql, id: string, now: Date): Promise<Delegation> {
  const [row] = await rows<DelegationRow>(
    tx,
    sql`select ${delegationColumns} from workflow_delegations d ${delegationJoins} where d.id = ${id}::uuid`,
  );
  if (row === undefined) throw notFound('Delegation');
  return delegation(row, now);
}

function auditedFields(d: Delegation) {
  return {
    id: d.id,
    delegatorId: d.delegator.id,
    delegateId: d.delegate.id,
    startsAt: d.startsAt,
    endsAt: d.endsAt,
    reason: d.reason,
    revokedAt: d.revokedAt,
  };
}

const delegationLabel = (d: Delegation) => `${d.delegate.name} for ${d.delegator.name}`;

const day = (isoText: string) => `${isoText.slice(0, 16).replace('T', ' ')} UTC`;

/** Once committed, both people's open inboxes look again: the delegate's tasks change with it. */
function announce(ctx: DelegationContext, d: Delegation) {
  const payload = { tenantId: ctx.principal.tenantId, userIds: [d.delegator.id, d.delegate.id] };
  ctx.afterCommit(() => ctx.deps.bus.emit('workflow.delegations-changed', payload));
}

/** Both people hear of it, each in words about themselves. */
async function tellBoth(ctx: NotifyContext, d: Delegation, what: 'given' | 'revoked') {
  const period = `${day(d.startsAt)} to ${day(d.endsAt)}`;
  const reason = d.reason === '' ? null : `Reason: ${d.reason}`;
  const common: Pick<WorkflowNotification, 'kind' | 'link' | 'entity'> = {
    kind: DELEGATION_KIND,
    link: DELEGATIONS_PAGE,
    entity: { type: 'workflow_delegation', id: d.id },
  };
  await workflowNotify(ctx, {
    ...common,
    to: { userIds: [d.delegate.id] },
    title:
      what === 'given'
        ? `You act for ${d.delegator.name} from ${period}`
        : `You no longer act for ${d.delegator.name}`,
    body: reason,
  });
  await workflowNotify(ctx, {
    ...common,
    to: { userIds: [d.delegator.id] },
    title:
      what === 'given'
        ? `${d.delegate.name} acts for you from ${period}`
        : `${d.delegate.name} no longer acts for you`,
    body: reason,
  });
}
