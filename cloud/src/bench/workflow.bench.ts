import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import type { Permission } from '@plantline/schema';
import { definitionSchema } from '@plantline/schema/workflow';
import { TRPCClientError } from '@trpc/client';
import { sql } from 'drizzle-orm';
import { type Database, rows, type Sql } from '../db/index.js';
import { hashPassword } from '../modules/identity/index.js';
import { createTenant } from '../modules/tenancy/index.js';
import { myTasks, type WorkflowEntity, workflowEntityMap } from '../modules/workflow/index.js';
import { type Principal, scopeOf } from '../platform/index.js';
import { signIn } from '../testing/api.js';
import { startTestServer } from '../testing/server.js';
import { openBenchServer, percentile } from './bench-support.js';
import { seedWorkflowLoad } from './workflow-seed.js';

/** 1 = the stated size: 100 000 instances and 1 000 users; 0.05 for a quick run while developing. */
const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const INSTANCES = Math.round(100_000 * SCALE);
const USERS = Math.max(80, Math.round(1_000 * SCALE));
const INBOX_SAMPLES = Number(process.env.BENCH_SAMPLES ?? 300);
const SIGNED = Number(process.env.BENCH_SIGNED ?? 200);
const AUTHORS = 8;
const APPROVERS = 50;
const VOTE_INSTANCES = Number(process.env.BENCH_VOTE_INSTANCES ?? 10);
/** Votes the disposition needs: half the approvers, so half of the votes sent count and half are refused. */
const VOTES_NEEDED = 25;
const PASSWORD = 'benchmark-password-1';

const log = (line: string) => process.stderr.write(`workflow: ${line}\n`);

/** Production orders stand in for NCRs: a record type every build has, with a number and a note. */
const orders: WorkflowEntity = {
  key: 'production_order',
  label: 'Production order',
  table: 'production_orders',
  codeColumn: 'number',
  titleColumn: 'note',
  plantColumn: 'plant_id',
  statusColumn: null,
  createdByColumn: null,
  readPermission: 'masterdata.read',
  fields: [],
  link: (id) => `/orders/${id}`,
};

/** An NCR-like process: a signed submission, a review, and a disposition by quorum. */
const definition = definitionSchema.parse({
  states: [
    { key: 'draft', label: 'Draft', kind: 'initial' },
    {
      key: 'review',
      label: 'Under review',
      kind: 'normal',
      onEnter: [
        { type: 'notify', to: { role: 'bench-lead' }, title: 'Submitted for review' },
        { type: 'start_sla', hours: 48, remindBeforeHours: 8, escalateToRole: 'bench-lead' },
      ],
    },
    { key: 'disposition', label: 'Disposition', kind: 'normal' },
    { key: 'closed', label: 'Closed', kind: 'final', locked: true },
  ],
  transitions: [
    {
      key: 'submit',
      label: 'Submit',
      from: 'draft',
      to: 'review',
      actors: { roles: ['bench-author'] },
      signature: { meaning: 'authorship' },
    },
    {
      key: 'accept',
      label: 'Accept for disposition',
      from: 'review',
      to: 'disposition',
      actors: { permissions: ['quality.manage'] },
      signature: { meaning: 'review' },
    },
    {
      key: 'approve',
      label: 'Approve disposition',
      from: 'disposition',
      to: 'closed',
      approval: {
        groups: [{ label: 'Approvers', role: 'bench-approver', minimum: VOTES_NEEDED }],
        rejectTo: 'review',
      },
    },
  ],
});

/** Each sampled user's principal as the API would build it: their roles' permissions and plants. */
async function principals(tx: Sql, tenantId: string, userIds: readonly string[]): Promise<Principal[]> {
  const found = await rows<{ id: string; permissions: Permission[]; plant_ids: string[] }>(
    tx,
    sql`select u.id::text as id,
               array(select distinct rp.permission from user_roles ur
                       join role_permissions rp on rp.tenant_id = ur.tenant_id and rp.role_id = ur.role_id
                      where ur.user_id = u.id) as permissions,
               array(select upa.plant_id::text from user_plant_access upa where upa.user_id = u.id) as plant_ids
          from users u where u.id = any(${sql.param([...userIds])}::uuid[])`,
  );
  return found.map((u) => {
    const permissions = new Set(u.permissions);
    return {
      kind: 'user',
      tenantId,
      userId: u.id,
      apiKeyId: null,
      sessionId: null,
      permissions,
      plantIds: permissions.has('plants.all') ? 'all' : u.plant_ids,
    };
  });
}

/** myTasks for random users, one transaction each as a request has: the latencies, sorted. */
async function timeInbox(db: Database, tenantId: string, userIds: readonly string[]) {
  const sample = Array.from(
    { length: INBOX_SAMPLES },
    () => userIds[Math.floor(Math.random() * userIds.length)]!,
  );
  const people = await db.transact({ tenantId, plantIds: 'all' }, (tx) => principals(tx, tenantId, sample));
  const byId = new Map(people.map((p) => [p.userId, p]));
  const entities = workflowEntityMap([orders]);
  const latencies: number[] = [];
  let open = 0;
  for (const [i, userId] of [...sample, ...sample.slice(0, 20)].entries()) {
    const principal = byId.get(userId)!;
    const started = performance.now();
    const page = await db.transact(scopeOf(principal), (tx) =>
      myTasks(tx, principal, { limit: 20 }, entities),
    );
    // The first 20 warm the caches and are not counted.
    if (i >= 20) {
      latencies.push(performance.now() - started);
      open += page.counts.open;
    }
  }
  latencies.sort((a, b) => a - b);
  return { latencies, meanOpen: open / latencies.length };
}

type Seeded = Awaited<ReturnType<typeof seedWorkflowLoad>>;

/** Signed submissions through the API by AUTHORS people at once: transitions per second. */
async function timeSignedTransitions(url: string, seeded: Seeded) {
  const queue = seeded.draftInstanceIds.slice(0, SIGNED);
  const total = queue.length;
  let failures = 0;
  const started = performance.now();
  await Promise.all(
    seeded.authorEmails.map(async (email) => {
      const author = await signIn(url, email, PASSWORD);
      let first = true;
      for (let instanceId = queue.pop(); instanceId !== undefined; instanceId = queue.pop()) {
        try {
          const result = await author.trpc.workflow.instances.act.mutate({
            instanceId,
            transitionKey: 'submit',
            expectedVersion: 1,
            idempotencyKey: randomUUID(),
            // Both components at the first signing of the session, the password alone after (21 CFR 11.200(a)(1)).
            signature: first ? { email, password: PASSWORD } : { password: PASSWORD },
          });
          if (result.outcome !== 'moved') failures++;
          first = false;
        } catch (error) {
          failures++;
          if (failures <= 3) log(`a signed transition failed: ${String(error)}`);
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { perSecond: (total - failures) / seconds, total, failures };
}

/**
 * APPROVERS people vote on the same VOTE_INSTANCES instances at once, each with the version they saw.
 * Every vote must be stored or refused with a reason: lost = sent − refused − stored.
 */
async function voteAtOnce(url: string, db: Database, tenantId: string, seeded: Seeded) {
  const approvers = await Promise.all(seeded.approverEmails.map((email) => signIn(url, email, PASSWORD)));
  let refused = 0;
  let acknowledged = 0;
  let unanswered = 0;
  await Promise.all(
    approvers.map(async (approver) => {
      const order = [...seeded.voteInstanceIds].sort(() => Math.random() - 0.5);
      for (const instanceId of order) {
        try {
          await approver.trpc.workflow.instances.act.mutate({
            instanceId,
            transitionKey: 'approve',
            expectedVersion: 1,
            idempotencyKey: randomUUID(),
            decision: 'approve',
          });
          acknowledged++;
        } catch (error) {
          const status = error instanceof TRPCClientError ? (error.data?.httpStatus ?? 0) : 0;
          if (status >= 400 && status < 500 && error instanceof Error && error.message !== '') refused++;
          else unanswered++;
        }
      }
    }),
  );
  const [stored] = await db.transact({ tenantId, plantIds: 'all' }, (tx) =>
    rows<{ votes: number; fired: number; instances_fired: number }>(
      tx,
      sql`select (select count(*)::int from approvals
                   where instance_id = any(${sql.param(seeded.voteInstanceIds)}::uuid[]) and voided_at is null) as votes,
                 (select count(*)::int from workflow_events
                   where instance_id = any(${sql.param(seeded.voteInstanceIds)}::uuid[]) and kind = 'transition') as fired,
                 (select count(distinct instance_id)::int from workflow_events
                   where instance_id = any(${sql.param(seeded.voteInstanceIds)}::uuid[]) and kind = 'transition')
                   as instances_fired`,
    ),
  );
  const sent = approvers.length * seeded.voteInstanceIds.length;
  return {
    sent,
    stored: stored!.votes,
    refused,
    acknowledged,
    unanswered,
    lost: sent - refused - stored!.votes,
    doubleFires: stored!.fired - stored!.instances_fired,
    fired: stored!.instances_fired,
  };
}

/**
 * `pnpm bench workflow` (docs/benchmarks.md, docs/workflows.md): the inbox at INSTANCES instances and
 * USERS users, signed transitions per second through the API, and votes never lost under APPROVERS
 * approvers voting on the same instances at once.
 */
export async function workflowBenchmark() {
  const { db, drop } = await openBenchServer('workflow');
  try {
    const stamp = `${process.pid}-${Date.now()}`;
    const tenant = await createTenant(db, {
      name: 'Workflow benchmark',
      slug: `bench-workflow-${stamp}`,
      plants: ['RIV', 'LAK', 'HIL'].map((code) => ({ code, name: `Plant ${code}`, timezone: 'UTC' })),
      admin: {
        email: `bench-workflow-${stamp}@bench.plantline.local`,
        displayName: 'Bench',
        password: PASSWORD,
      },
    });
    log(`scale ${SCALE}: ${INSTANCES} instances, ${USERS} users`);
    const seedStarted = performance.now();
    const seeded = await seedWorkflowLoad(db, {
      tenant,
      stamp,
      definition,
      instances: INSTANCES,
      users: USERS,
      authors: AUTHORS,
      approvers: APPROVERS,
      voteInstances: VOTE_INSTANCES,
      passwordHash: await hashPassword(PASSWORD),
    });
    log(
      `seeded in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s: ${seeded.openTasks} open tasks`,
    );

    const inbox = await timeInbox(db, tenant.tenantId, seeded.userIds);
    log(
      `inbox: p50 ${percentile(inbox.latencies, 50).toFixed(2)} ms, p99 ${percentile(inbox.latencies, 99).toFixed(2)} ms` +
        ` over ${inbox.latencies.length} users (${Math.round(inbox.meanOpen)} open tasks each on average)`,
    );

    // Everyone signs in from this one address at once; the sign-in throttle is not what is measured.
    const server = await startTestServer(db, { maxFailuresPerAddress: 10_000 });
    server.deps.workflowEntities = workflowEntityMap([orders]);
    try {
      const signed = await timeSignedTransitions(server.url, seeded);
      log(`signed transitions: ${signed.total - signed.failures} in a row, ${signed.perSecond.toFixed(1)}/s`);
      const votes = await voteAtOnce(server.url, db, tenant.tenantId, seeded);
      log(
        `votes: ${votes.sent} sent, ${votes.stored} stored, ${votes.refused} refused with a reason, ` +
          `${votes.unanswered} unanswered; ${votes.fired} instances moved, ${votes.doubleFires} fired twice`,
      );
      return {
        inbox_p50_ms: Number(percentile(inbox.latencies, 50).toFixed(2)),
        inbox_p99_ms: Number(percentile(inbox.latencies, 99).toFixed(2)),
        inbox_mean_open_tasks: Math.round(inbox.meanOpen),
        signed_transitions_per_s: Number(signed.perSecond.toFixed(1)),
        signed_failures: signed.failures,
        votes_sent: votes.sent,
        votes_stored: votes.stored,
        votes_refused: votes.refused,
        lost_votes: votes.lost,
        double_fires: votes.doubleFires,
        instances: INSTANCES,
        users: USERS,
        open_tasks: seeded.openTasks,
        database: db.mode,
        load_1m: Number(loadavg()[0]!.toFixed(2)),
      };
    } finally {
      await server.close();
    }
  } finally {
    await drop();
  }
}
