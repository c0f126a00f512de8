import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { Logger } from 'pino';
import { appWorkflowEntities } from './build-app-deps.js';
import type { Database } from './db/index.js';
import { startBusRelay } from './modules/events/index.js';
import {
  createOperatorKey,
  createTenant,
  listOperatorKeys,
  listTenants,
  resumeTenant,
  revokeOperatorKey,
  suspendTenant,
  TENANT_SLUG,
  type TenantSummary,
  timezoneInput,
} from './modules/tenancy/index.js';
import { DomainError, EventBus } from './platform/index.js';

/*
 * The commands of `pnpm tenant` (tenant-cli.ts; docs/security.md, "Tenants"): the operator creates,
 * lists, suspends and resumes tenants as the database's owner.
 */

export const TENANT_USAGE = `Usage:
  pnpm tenant list
  pnpm tenant create --name "Acme Metal" --slug acme --plant "HAM=Hamburg works@Europe/Berlin"
                     [--plant …] --admin-email admin@acme.example [--admin-name "Ada Admin"]
      The administrator's password is PLANTLINE_ADMIN_PASSWORD when set, else one is made and
      printed once.
  pnpm tenant suspend <slug> --reason "Contract ended"
  pnpm tenant resume <slug>
  pnpm tenant operator-key create --name "Provisioning robot"
      A key for the system API (docs/security.md, "Tenants"), printed once.
  pnpm tenant operator-key list
  pnpm tenant operator-key revoke <id or prefix>`;

export type TenantCommand =
  | { kind: 'list' }
  | {
      kind: 'create';
      name: string;
      slug: string;
      plants: { code: string; name: string; timezone: string }[];
      adminEmail: string;
      adminName: string;
    }
  | { kind: 'suspend'; slug: string; reason: string }
  | { kind: 'resume'; slug: string }
  | { kind: 'operator-key-create'; name: string }
  | { kind: 'operator-key-list' }
  | { kind: 'operator-key-revoke'; key: string };

/** The command the arguments name, or a DomainError saying what is wrong with them. */
export function parseTenantCommand(argv: readonly string[]): TenantCommand {
  const [command, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: [...rest],
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      slug: { type: 'string' },
      plant: { type: 'string', multiple: true },
      'admin-email': { type: 'string' },
      'admin-name': { type: 'string' },
      reason: { type: 'string' },
    },
  });
  const invalid = (message: string) => new DomainError('invalid', `${message}\n\n${TENANT_USAGE}`);
  switch (command) {
    case 'list':
      return { kind: 'list' };
    case 'create': {
      const { name, slug, plant = [], 'admin-email': adminEmail } = values;
      if (!name || !slug || !adminEmail) throw invalid('create needs --name, --slug and --admin-email');
      if (!TENANT_SLUG.test(slug))
        throw invalid(`The slug "${slug}" must be 2 to 63 lower-case letters, digits or dashes`);
      if (plant.length === 0) throw invalid('create needs at least one --plant CODE=Name@Time/Zone');
      const plants = plant.map((text) => {
        const match = /^([^=]+)=([^@]+)@(.+)$/.exec(text);
        if (match === null) throw invalid(`"${text}" is not CODE=Name@Time/Zone`);
        const timezone = match[3]!.trim();
        if (!timezoneInput.safeParse(timezone).success)
          throw invalid(`"${timezone}" is not an IANA time zone`);
        return { code: match[1]!.trim(), name: match[2]!.trim(), timezone };
      });
      return {
        kind: 'create',
        name,
        slug,
        plants,
        adminEmail,
        adminName: values['admin-name'] ?? 'Administrator',
      };
    }
    case 'suspend': {
      const [slug] = positionals;
      if (!slug || !values.reason?.trim()) throw invalid('suspend needs the slug and --reason');
      return { kind: 'suspend', slug, reason: values.reason };
    }
    case 'resume': {
      const [slug] = positionals;
      if (!slug) throw invalid('resume needs the slug');
      return { kind: 'resume', slug };
    }
    case 'operator-key': {
      const [action, key] = positionals;
      if (action === 'list') return { kind: 'operator-key-list' };
      if (action === 'create') {
        if (!values.name?.trim()) throw invalid('operator-key create needs --name');
        return { kind: 'operator-key-create', name: values.name };
      }
      if (action === 'revoke') {
        if (!key) throw invalid('operator-key revoke needs the key’s id or prefix');
        return { kind: 'operator-key-revoke', key };
      }
      throw invalid('operator-key takes create, list or revoke');
    }
    default:
      throw invalid(command === undefined ? 'Name a command' : `Unknown command "${command}"`);
  }
}

/** Runs one command; what it prints goes to `out`. */
export async function runTenantCommand(
  db: Database,
  command: TenantCommand,
  options: { log: Logger; out: (line: string) => void; adminPassword?: string },
): Promise<void> {
  const { out } = options;
  switch (command.kind) {
    case 'list': {
      const tenants = await listTenants(db);
      if (tenants.length === 0) out('No tenants.');
      for (const tenant of tenants) out(describe(tenant));
      return;
    }
    case 'create': {
      const password = options.adminPassword ?? randomBytes(18).toString('base64url');
      const created = await createTenant(
        db,
        {
          name: command.name,
          slug: command.slug,
          plants: command.plants,
          admin: { email: command.adminEmail, displayName: command.adminName, password },
        },
        { workflowEntities: appWorkflowEntities() },
      );
      out(`Created tenant ${command.slug} (${created.tenantId}) with ${created.plantIds.length} plant(s).`);
      out(`Administrator: ${command.adminEmail}`);
      if (options.adminPassword === undefined)
        out(`Password (shown once, change it after signing in): ${password}`);
      return;
    }
    case 'suspend': {
      // On a server, running cloud instances hear the change through the bus relay and end the
      // tenant's live subscriptions at once; every call is refused from now on either way.
      const bus = new EventBus((error) => options.log.error({ err: error }, 'bus listener failed'));
      const relay = startBusRelay({ db, bus, log: options.log });
      await relay?.ready;
      try {
        out(describe(await suspendTenant(db, command.slug, command.reason, bus)));
      } finally {
        await relay?.stop();
      }
      return;
    }
    case 'resume':
      out(describe(await resumeTenant(db, command.slug)));
      return;
    case 'operator-key-create': {
      const { id, key } = await createOperatorKey(db, command.name);
      out(`Operator key ${id} for "${command.name.trim()}" (shown once, keep it secret):`);
      out(key);
      return;
    }
    case 'operator-key-list': {
      const keys = await listOperatorKeys(db);
      if (keys.length === 0) out('No operator keys.');
      for (const k of keys)
        out(
          `${k.id}\tplo_${k.prefix}_…\t${k.name}\t${k.revokedAt === null ? `last used ${k.lastUsedAt ?? 'never'}` : `REVOKED ${k.revokedAt}`}`,
        );
      return;
    }
    case 'operator-key-revoke':
      await revokeOperatorKey(db, command.key);
      out(`Revoked operator key ${command.key}.`);
      return;
  }
}

function describe(tenant: TenantSummary): string {
  const state =
    tenant.suspendedAt === null
      ? 'active'
      : `SUSPENDED since ${tenant.suspendedAt} (${tenant.suspendedReason})`;
  return `${tenant.slug}\t${tenant.name}\t${state}\tplants ${tenant.plants.join(', ') || '—'}\t${tenant.users} active user(s)`;
}
