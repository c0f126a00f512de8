import { randomUUID } from 'node:crypto';
import type { Permission } from '@plantline/schema';
import { TRPCError } from '@trpc/server';
import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { type Database, rows, type Sql } from '../db/index.js';
import {
  type CallerUpkeep,
  type Credential,
  callerOpening,
  keepCallerAlive,
} from '../modules/identity/callers.js';
import { recheckPrincipal } from '../modules/identity/principals.js';
import {
  type AfterCommit,
  type AuditCaller,
  acceptKeptWrites,
  actorOf,
  auditCalls,
  describeAuditCaller,
  type KeptWrite,
  type Principal,
  scopeOf,
  takeKeptWrites,
} from '../platform/index.js';
import type { Context } from './context.js';
import { toTRPCError } from './errors.js';
import { t } from './init.js';
import type { Access } from './meta.js';

/*
 * The procedure builders. `t.procedure` is not exported: every procedure starts from one of
 * these, so the access middleware below runs for all of them, and each declares its access in
 * metadata (app-router.test.ts fails on a procedure that does not).
 */

/** Domain and database refusals become tRPC errors with the right code, in one place. */
const mapErrors = t.middleware(async ({ next, type }) => {
  const result = await next();
  if (!result.ok) {
    const mapped = toTRPCError(result.error);
    if (mapped !== null) throw mapped;
  }
  // A subscription fails while it streams, after this middleware has returned its stream.
  if (result.ok && type === 'subscription' && isAsyncIterable(result.data)) {
    return { ...result, data: mapStreamErrors(result.data) };
  }
  return result;
});

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

async function* mapStreamErrors<T>(stream: AsyncIterable<T>): AsyncGenerator<T> {
  try {
    yield* stream;
  } catch (error) {
    throw toTRPCError(error) ?? error;
  }
}

/**
 * Enforces the declared access, then runs the whole call in one transaction scoped to the
 * caller's tenant, user and plants. A failed call rolls its transaction back.
 */
const enforceAccess = t.middleware(async ({ ctx, meta, next, path, type, getRawInput }) => {
  const access = meta?.access;
  if (access === undefined) {
    throw new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: `${path} declares no access` });
  }
  // Effects that must not be seen unless the call's transaction commits (events on the live bus).
  const immediately: AfterCommit = (effect) => runEffect(ctx.log, effect);
  if (access === 'public')
    return next({ ctx: { principal: ctx.principal, tx: null, afterCommit: immediately } });
  const requestId = ctx.transport === 'http' ? ctx.request.requestId : randomUUID();
  // Read once the caller may call: a refused caller hears that, not what was wrong with the input.
  const callerOf = async (principal: Principal): Promise<AuditCaller> => ({
    actor: actorOf(principal),
    requestId,
    clientAddress: ctx.request.ip,
    reason: type === 'mutation' ? reasonOf(await getRawInput()) : null,
  });
  const effects: (() => void)[] = [];
  const afterCommit: AfterCommit = (effect) => {
    effects.push(effect);
  };
  // The body of the call's transaction, whichever way the caller was found.
  let called: { tx: Sql; principal: Principal; caller: AuditCaller; log: Logger } | undefined;
  const call = async (tx: Sql, principal: Principal, log: Logger) => {
    const caller = await callerOf(principal);
    called = { tx, principal, caller, log };
    acceptKeptWrites(tx);
    describeAuditCaller(tx, caller);
    const result = await next({ ctx: { principal, tx, afterCommit, log } });
    if (!result.ok) throw result.error;
    if (type === 'mutation' && meta?.unaudited === undefined) await refuseUnauditedWrite(tx, path);
    return result;
  };
  const keepWrites = () =>
    called &&
    runKeptWrites(ctx.deps.db, called.log, called.principal, called.caller, takeKeptWrites(called.tx));

  // A query that may read data a moment old runs its work on the read server, when there is one
  // (docs/architecture.md, "The database"); its caller is still found on the primary. A reading
  // query's work runs in a reading transaction, whose parts may run side by side (parallel-reads.ts).
  if ((meta?.lagging || meta?.reading) && type !== 'query') {
    throw new TRPCError({
      code: 'INTERNAL_SERVER_ERROR',
      message: `${path} reads a replica but is no query`,
    });
  }
  // Where the work runs when not in the call's own transaction.
  const apart = meta?.lagging
    ? ctx.deps.db.transactLagging
    : meta?.reading
      ? ctx.deps.db.transactReading
      : undefined;

  const { credential } = ctx;
  if (credential !== null) {
    if (type === 'subscription' || meta?.waits) {
      throw new TRPCError({
        code: 'INTERNAL_SERVER_ERROR',
        message: `${path} needs its caller identified first`,
      });
    }
    // The caller is found by the first statement of the call's own transaction (docs/security.md).
    const now = new Date();
    let upkeep: CallerUpkeep | null = null;
    const opening = callerOpening(credential, { now, policy: ctx.deps.sessionPolicy, mayRotate: true });
    // With a read server, the primary's transaction only finds the caller (a session created a moment
    // ago may not have reached the replica); the work runs in a transaction of its own there.
    let foundThere: Principal | undefined;
    const result = await ctx.deps.db
      .transactOpened(opening, async (tx, found) => {
        if (found.kind === 'refused') {
          if (credential.kind === 'session') ctx.sessionCookie.clear();
          throw new TRPCError({ code: 'UNAUTHORIZED', message: found.problem });
        }
        upkeep = found.upkeep;
        refuseWithout(access, found.principal);
        if (apart !== undefined) {
          foundThere = found.principal;
          return null;
        }
        const { tenantId, userId } = found.principal;
        return call(tx, found.principal, ctx.log.child({ tenantId, userId }));
      })
      .then((called) => {
        if (called !== null) return called;
        const principal = foundThere;
        if (apart === undefined || principal === undefined) throw new Error(`${path} found no caller`);
        const { tenantId, userId } = principal;
        return apart(scopeOf(principal), (tx) => call(tx, principal, ctx.log.child({ tenantId, userId })));
      })
      .finally(async () => {
        await keepWrites();
        if (upkeep !== null) await keepAlive(ctx, upkeep, credential, now);
      });
    for (const effect of effects) runEffect(called?.log ?? ctx.log, effect);
    return result;
  }

  let principal = ctx.principal;
  if (principal === null) {
    throw new TRPCError({ code: 'UNAUTHORIZED', message: ctx.authProblem ?? 'Sign in first' });
  }
  if (ctx.transport === 'ws') {
    const recheck = await recheckPrincipal(ctx.deps.db, principal);
    if (recheck.kind === 'refused') throw new TRPCError({ code: 'UNAUTHORIZED', message: recheck.problem });
    principal = recheck.principal;
  }
  refuseWithout(access, principal);
  // A subscription outlives any transaction; it opens its own per unit of work.
  if (type === 'subscription') return next({ ctx: { principal, tx: null, afterCommit: immediately } });
  if (meta?.waits) {
    const caller = await callerOf(principal);
    const transact: Transact = (work) =>
      ctx.deps.db.transact(scopeOf(principal), async (tx) => {
        describeAuditCaller(tx, caller);
        const result = await work(tx);
        if (type === 'mutation' && meta.unaudited === undefined) await refuseUnauditedWrite(tx, path);
        return result;
      });
    return next({ ctx: { principal, tx: null, afterCommit: immediately, transact } });
  }
  const caller = principal;
  const result = await (apart ?? ctx.deps.db.transact)(scopeOf(caller), (tx) =>
    call(tx, caller, ctx.log),
  ).finally(keepWrites);
  for (const effect of effects) runEffect(ctx.log, effect);
  return result;
});

function refuseWithout(access: Access, principal: Principal) {
  if (access !== 'signed-in' && access !== 'public' && !principal.permissions.has(access)) {
    throw new TRPCError({ code: 'FORBIDDEN', message: `This needs the permission ${access}` });
  }
}

/** Runs a credential's bookkeeping once per request, however many of its calls found it due. */
function keepAlive(ctx: Context, upkeep: CallerUpkeep, credential: Credential, now: Date): Promise<void> {
  ctx.upkeep ??= keepCallerAlive(ctx.deps.db, upkeep, credential, { policy: ctx.deps.sessionPolicy, now })
    .then((renewed) => {
      if (renewed !== null) ctx.sessionCookie.set(renewed.token, renewed.expiresAt);
    })
    .catch((error: unknown) => ctx.log.error({ err: error }, 'renewing the caller’s session or key failed'));
  return ctx.upkeep;
}

/**
 * Records that stay although the call failed (platform/kept-writes.ts: a refused signing), written
 * in a transaction of their own once the call's has ended, before the caller is answered.
 */
async function runKeptWrites(
  db: Database,
  log: Logger,
  principal: Principal,
  caller: AuditCaller,
  writes: readonly KeptWrite[],
) {
  if (writes.length === 0) return;
  try {
    await db.transact(scopeOf(principal), async (tx) => {
      describeAuditCaller(tx, { ...caller, reason: null });
      for (const write of writes) await write(tx);
    });
  } catch (error) {
    log.error({ err: error }, 'writing the record of a refused attempt failed');
  }
}

/**
 * The reason a caller gives for a mutation's changes (EU GMP Annex 11 §9): an optional `reason`
 * member of any mutation's input, read here before the procedure's own schema drops it.
 */
function reasonOf(raw: unknown): string | null {
  if (typeof raw !== 'object' || raw === null || !('reason' in raw)) return null;
  const { reason } = raw;
  if (reason === undefined || reason === null) return null;
  if (typeof reason !== 'string' || reason.length > REASON_MAX) {
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: `A reason is text of at most ${REASON_MAX} characters`,
    });
  }
  return reason.trim() === '' ? null : reason.trim();
}

const REASON_MAX = 1000;

/**
 * Every change is audited in its own transaction or declared exempt in the procedure's metadata
 * (`unaudited`); a mutation that wrote without either is a bug, refused before it commits.
 */
async function refuseUnauditedWrite(tx: Sql, path: string) {
  if (auditCalls(tx) > 0) return;
  const [state] = await rows<{ wrote: boolean }>(
    tx,
    sql`select txid_current_if_assigned() is not null as wrote`,
  );
  if (state?.wrote) throw new Error(`${path} changed data without an audit entry`);
}

function runEffect(log: Logger, effect: () => void) {
  try {
    effect();
  } catch (error) {
    // The call has committed; its caller must still get its answer.
    log.error({ err: error }, 'after-commit effect failed');
  }
}

/**
 * Every subscription, and every call over WebSocket, takes a place in its connection's budget before
 * any other work (call-limits.ts); a call gives it back when answered, a subscription when it ends.
 * Calls over HTTP are bounded by the batch cap instead: only WebSocket carries many at once.
 */
const limitOpenCalls = t.middleware(async ({ ctx, next, type }) => {
  if (ctx.connection === null) return next();
  if (type !== 'subscription') {
    if (ctx.transport === 'http') return next();
    const release = ctx.connection.take('call');
    try {
      return await next();
    } finally {
      release();
    }
  }
  const release = ctx.connection.take('subscription');
  const result = await next().catch((error: unknown) => {
    release();
    throw error;
  });
  if (!result.ok || !isAsyncIterable(result.data)) {
    release();
    return result;
  }
  return { ...result, data: releaseWhenDone(result.data, release) };
});

async function* releaseWhenDone<T>(stream: AsyncIterable<T>, release: () => void): AsyncGenerator<T> {
  try {
    yield* stream;
  } finally {
    release();
  }
}

const checked = t.procedure.use(limitOpenCalls).use(mapErrors).use(enforceAccess);

/** What a query or mutation sees: its caller and the transaction scoped to them. */
export interface CallContext {
  principal: Principal;
  tx: Sql;
  afterCommit: AfterCommit;
}

/**
 * What a subscription sees: its caller and no transaction, since it outlives any; it opens its own per
 * unit of work (`db.transact(scopeOf(principal), …)`).
 */
export interface SubscriptionContext {
  principal: Principal;
  tx: null;
  afterCommit: AfterCommit;
}

/** One unit of work of a waiting call, in a transaction of its own scoped to its caller. */
export type Transact = <T>(work: (tx: Sql) => Promise<T>) => Promise<T>;

/**
 * What a waiting call sees (`permittedWaitingProcedure`): its caller and no call transaction, but
 * `transact` for each unit of work, which names the caller in the audit trail like a call's own
 * transaction does and refuses a mutation's unaudited write the same way.
 */
export interface WaitingContext {
  principal: Principal;
  tx: null;
  afterCommit: AfterCommit;
  transact: Transact;
}

type AccessContext = {
  principal: Principal | null;
  tx: Sql | null;
  afterCommit: AfterCommit;
  transact?: Transact;
};

/** Narrows a query's or mutation's context; a subscription must be built with a subscription builder. */
const requireCaller = t.middleware(({ ctx, next, type, path }) => {
  const { principal, tx, afterCommit } = ctx as typeof ctx & AccessContext;
  if (principal === null) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in first' });
  if (type === 'subscription' || tx === null) {
    throw new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: `${path} needs a subscription builder` });
  }
  return next({ ctx: { principal, tx, afterCommit } satisfies CallContext });
});

/** Narrows a subscription's context; the type leaves no transaction to use by mistake. */
const requireSubscriber = t.middleware(({ ctx, next, type, path }) => {
  const { principal, afterCommit } = ctx as typeof ctx & AccessContext;
  if (principal === null) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in first' });
  if (type !== 'subscription') {
    throw new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: `${path} is not a subscription` });
  }
  return next({ ctx: { principal, tx: null, afterCommit } satisfies SubscriptionContext });
});

/** Narrows a waiting call's context: no call transaction, one per unit of work through `transact`. */
const requireWaiter = t.middleware(({ ctx, next, type, path }) => {
  const { principal, afterCommit, transact } = ctx as typeof ctx & AccessContext;
  if (principal === null) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in first' });
  if (type === 'subscription' || transact === undefined) {
    throw new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: `${path} is not a waiting call` });
  }
  return next({ ctx: { principal, tx: null, afterCommit, transact } satisfies WaitingContext });
});

export const publicProcedure = checked.meta({ access: 'public' });
export const signedInProcedure = checked.meta({ access: 'signed-in' }).use(requireCaller);
export const permittedProcedure = (permission: Permission) =>
  checked.meta({ access: permission }).use(requireCaller);
/**
 * A query that may read data a moment old — KPI history, dashboard figures — and so runs on the read
 * server when one is configured (`DATABASE_READ_URL`; docs/architecture.md, "The database"). Never
 * for what a caller reads back right after writing it.
 */
export const permittedLaggingProcedure = (permission: Permission) =>
  checked.meta({ access: permission, lagging: true }).use(requireCaller);
/**
 * A query that reads a large result in parts, which a reading transaction on a PostgreSQL server runs
 * side by side over one snapshot (db/parallel-reads.ts) — a trace. On the read server when one is
 * configured, so what it reads may lag a moment behind the primary, as a lagging query's does.
 */
export const permittedReadingProcedure = (permission: Permission) =>
  checked.meta({ access: permission, reading: true }).use(requireCaller);
export const signedInSubscription = checked.meta({ access: 'signed-in' }).use(requireSubscriber);
export const permittedSubscription = (permission: Permission) =>
  checked.meta({ access: permission }).use(requireSubscriber);
/**
 * A query or mutation that may wait before it answers: a long poll such as
 * `logistics.printing.jobs`. A call transaction held while waiting would hold a database connection
 * — on the embedded engine its only one, stalling every other call — so it has none and opens one
 * per unit of work with `ctx.transact`.
 */
export const permittedWaitingProcedure = (permission: Permission) =>
  checked.meta({ access: permission, waits: true }).use(requireWaiter);
export const router = t.router;
export const mergeRouters = t.mergeRouters;
