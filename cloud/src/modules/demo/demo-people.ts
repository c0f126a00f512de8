import { randomUUID } from 'node:crypto';
import { type BuiltinRoleKey, tables } from '@plantline/schema';
import { and, eq } from 'drizzle-orm';
import type { AppDeps } from '../../app-deps.js';
import type { Database } from '../../db/index.js';
import { actorOf, describeAuditCaller, type Principal, scopeOf } from '../../platform/index.js';
import { createUser, loadUserPrincipal, login, signOut } from '../identity/index.js';
import { act, type WorkflowContext } from '../workflow/index.js';

/*
 * The demo's people (docs/demo.md, "People"): enough of each built-in role that the default NCR and
 * change order workflows can be walked end to end, separation of duties included — two Quality
 * signatures from people other than the initiator, an Engineering one beside them, a change board of
 * two engineers and one of Quality; a planner and a shipper take a shipment from plan to truck. They
 * share the administrator's password, so one password opens every door of the demo. They work at
 * Riverside, where the demo's NCRs and due requests are: pages that list one plant at a time open on a
 * person's first plant.
 */

export type DemoPersonKey =
  | 'qualityLead'
  | 'quality2'
  | 'quality3'
  | 'engineer1'
  | 'engineer2'
  | 'operator'
  | 'supervisor'
  | 'planner'
  | 'shipping';

export interface DemoPerson {
  key: DemoPersonKey;
  email: string;
  displayName: string;
  role: BuiltinRoleKey;
  /** Plant codes they reach (the administrator reaches every plant through plants.all). */
  plants: readonly string[];
  /** What they do in the demo, as the start banner and docs/demo.md say it. */
  part: string;
}

const DOMAIN = 'demo.plantline.local';

export const DEMO_PEOPLE: readonly DemoPerson[] = [
  {
    key: 'qualityLead',
    email: `maria.keller@${DOMAIN}`,
    displayName: 'Maria Keller',
    role: 'quality',
    plants: ['RIV'],
    part: 'Quality lead: reviews NCRs, proposes dispositions, closes',
  },
  {
    key: 'quality2',
    email: `jonas.weber@${DOMAIN}`,
    displayName: 'Jonas Weber',
    role: 'quality',
    plants: ['RIV'],
    part: 'Quality: material review board, change board',
  },
  {
    key: 'quality3',
    email: `amira.haddad@${DOMAIN}`,
    displayName: 'Amira Haddad',
    role: 'quality',
    plants: ['RIV'],
    part: 'Quality: material review board, change board',
  },
  {
    key: 'engineer1',
    email: `tom.becker@${DOMAIN}`,
    displayName: 'Tom Becker',
    role: 'engineer',
    plants: ['RIV'],
    part: 'Engineer: change board, use-as-is dispositions, workflows',
  },
  {
    key: 'engineer2',
    email: `lena.fischer@${DOMAIN}`,
    displayName: 'Lena Fischer',
    role: 'engineer',
    plants: ['RIV'],
    part: 'Engineer: change board, use-as-is dispositions, workflows',
  },
  {
    key: 'operator',
    email: `ravi.patel@${DOMAIN}`,
    displayName: 'Ravi Patel',
    role: 'operator',
    plants: ['RIV'],
    part: 'Operator: raises and submits NCRs',
  },
  {
    key: 'supervisor',
    email: `petra.novak@${DOMAIN}`,
    displayName: 'Petra Novak',
    role: 'supervisor',
    plants: ['RIV'],
    part: 'Supervisor: raises NCRs, gets overdue reviews',
  },
  {
    key: 'planner',
    email: `nora.lindqvist@${DOMAIN}`,
    displayName: 'Nora Lindqvist',
    role: 'planner',
    plants: ['RIV'],
    part: 'Planner: plans shipments from delivery requests, promises dates',
  },
  {
    key: 'shipping',
    email: `sam.okafor@${DOMAIN}`,
    displayName: 'Sam Okafor',
    role: 'shipper',
    plants: ['RIV'],
    part: 'Shipping: packs shipments by scanning, prints labels, ships',
  },
];

export function demoPerson(key: DemoPersonKey): DemoPerson {
  const person = DEMO_PEOPLE.find((p) => p.key === key);
  if (person === undefined) throw new Error(`No demo person ${key}`);
  return person;
}

/**
 * Creates the demo people as an administrator creates users (one audited `user.create` each, by the
 * system, as the rest of the seed), with their role and plants.
 */
export async function createDemoPeople(
  db: Database,
  tenant: { tenantId: string; roleIds: Record<string, string>; plantIds: Record<string, string> },
  admin: Principal,
  password: string,
): Promise<void> {
  await db.ownerTransact({ tenantId: tenant.tenantId, plantIds: 'all' }, async (tx) => {
    for (const person of DEMO_PEOPLE) {
      const roleId = tenant.roleIds[person.role];
      if (roleId === undefined) throw new Error(`The tenant has no built-in role ${person.role}`);
      await createUser(tx, admin, {
        email: person.email,
        displayName: person.displayName,
        password,
        roleIds: [roleId],
        plantIds: person.plants.map((code) => {
          const id = tenant.plantIds[code];
          if (id === undefined) throw new Error(`The demo has no plant ${code}`);
          return id;
        }),
      });
    }
  });
}

/** The app's parts the demo people work with: a procedure's `ctx.deps` as the workflow sees it, and sign-in's. */
export type DemoAppDeps = WorkflowContext['deps'] & Pick<AppDeps, 'sessionPolicy' | 'log'>;

/** Signed in, as from the sign-in page of the seed's own process. */
const SEED_REQUEST = { ip: 'unknown', userAgent: 'Plantline demo seed', secure: false } as const;

/**
 * People at work: each signs in once with their email and password (a real session, which their
 * electronic signatures need), does their part through the functions the API's procedures call, in a
 * transaction scoped as a call of theirs, and signs out at the end.
 */
export class DemoDesk {
  private readonly sessions = new Map<string, Principal>();

  constructor(
    private readonly deps: DemoAppDeps,
    readonly password: string,
  ) {}

  /** As `email`, in one transaction like one API call; effects after commit, as the API runs them. */
  async as<T>(email: string, work: (ctx: WorkflowContext) => Promise<T>): Promise<T> {
    const principal = await this.session(email);
    const effects: (() => void)[] = [];
    const result = await this.deps.db.transact(scopeOf(principal), (tx) => {
      describeAuditCaller(tx, {
        actor: actorOf(principal),
        requestId: randomUUID(),
        clientAddress: null,
        reason: null,
      });
      return work({ tx, principal, afterCommit: (effect) => effects.push(effect), deps: this.deps });
    });
    for (const effect of effects) effect();
    return result;
  }

  /**
   * Takes a transition of a record's workflow, or votes on it, as `email` would on the record's page:
   * against the instance's current version, signing with their email and password when `signed`.
   */
  async act(
    email: string,
    record: { entityType: string; entityId: string },
    step: { transition: string; decision?: 'approve'; comment?: string; signed?: boolean },
  ): Promise<void> {
    await this.as(email, async (ctx) => {
      const wi = tables.workflowInstances;
      const [instance] = await ctx.tx
        .select({ id: wi.id, version: wi.version })
        .from(wi)
        .where(and(eq(wi.entityType, record.entityType), eq(wi.entityId, record.entityId)));
      if (instance === undefined) throw new Error(`${record.entityType} ${record.entityId} has no workflow`);
      await act(ctx, {
        instanceId: instance.id,
        transitionKey: step.transition,
        expectedVersion: instance.version,
        idempotencyKey: randomUUID(),
        decision: step.decision,
        comment: step.comment,
        signature: step.signed === true ? { email, password: this.password } : undefined,
      });
    });
  }

  /** Everyone signed in here signs out. */
  async close(): Promise<void> {
    for (const principal of this.sessions.values()) {
      const { sessionId, userId } = principal;
      if (sessionId === null || userId === null) continue;
      await this.deps.db.transact(scopeOf(principal), (tx) => signOut(tx, { sessionId, userId }));
    }
    this.sessions.clear();
  }

  private async session(email: string): Promise<Principal> {
    const open = this.sessions.get(email);
    if (open !== undefined) return open;
    const signedIn = await login(
      this.deps,
      { email, password: this.password },
      { ...SEED_REQUEST, requestId: randomUUID() },
    );
    const principal = await loadUserPrincipal(
      this.deps.db,
      signedIn.tenant.id,
      signedIn.user.id,
      signedIn.session.sessionId,
    );
    if (principal === null) throw new Error(`${email} cannot act: no active account`);
    this.sessions.set(email, principal);
    return principal;
  }
}
