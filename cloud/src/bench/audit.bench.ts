import { loadavg } from 'node:os';
import { sql } from 'drizzle-orm';
import { type Database, rows } from '../db/index.js';
import { verifyChain } from '../modules/audit/index.js';
import { createTenant } from '../modules/tenancy/index.js';
import { audit, describeAuditCaller } from '../platform/index.js';
import { openBenchServer } from './bench-support.js';

const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 10_000);
const WRITERS = Number(process.env.BENCH_WRITERS ?? 8);
const VERIFY_ENTRIES = Number(process.env.BENCH_VERIFY_ENTRIES ?? 100_000);
/** Entries per transaction while the verification's chain is filled. */
const FILL_BATCH = 1000;

const log = (line: string) => process.stderr.write(`audit: ${line}\n`);

async function benchTenant(db: Database, label: string) {
  const stamp = `${label}-${process.pid}-${Date.now()}`;
  const tenant = await createTenant(db, {
    name: `Audit benchmark ${label}`,
    slug: `bench-audit-${stamp}`,
    plants: [{ code: 'BEN', name: 'Bench plant', timezone: 'UTC' }],
    admin: {
      email: `bench-audit-${stamp}@bench.plantline.local`,
      displayName: 'Bench',
      password: 'benchmark-password-1',
    },
  });
  return { tenantId: tenant.tenantId, userId: tenant.adminUserId, plantId: tenant.plantIds[0]! };
}

type BenchTenant = Awaited<ReturnType<typeof benchTenant>>;

/**
 * One audited business write, as a module makes it: a product created and its audit entry, in one
 * transaction as the application role, described like an API call.
 */
async function auditedWrite(db: Database, tenant: BenchTenant, n: string, audited = true) {
  await db.transact({ tenantId: tenant.tenantId, userId: tenant.userId, plantIds: 'all' }, async (tx) => {
    describeAuditCaller(tx, {
      actor: { kind: 'user', userId: tenant.userId, apiKeyId: null, onBehalfOfUserId: null },
      requestId: `bench-${n}`,
      clientAddress: '10.0.0.1',
      reason: null,
    });
    const [product] = await rows<{ id: string }>(
      tx,
      sql`insert into products (tenant_id, code, name) values (${tenant.tenantId}, ${`P-${n}`}, ${`Product ${n}`})
          returning id::text as id`,
    );
    const id = product!.id;
    if (!audited) return;
    audit(tx, {
      action: 'product.create',
      entityType: 'product',
      entityId: id,
      entityLabel: `P-${n}`,
      after: { code: `P-${n}`, name: `Product ${n}`, unit: 'pcs' },
    });
  });
}

/**
 * WRITERS writers, writer i in tenants[i % tenants.length], for DURATION_MS: writes per second, audited
 * or (the baseline that shows what the chain costs on this machine) the same writes without audit().
 */
async function writeFor(
  db: Database,
  tenants: BenchTenant[],
  phase: string,
  audited = true,
): Promise<number> {
  const deadline = performance.now() + DURATION_MS;
  const started = performance.now();
  let written = 0;
  await Promise.all(
    Array.from({ length: WRITERS }, async (_, w) => {
      const tenant = tenants[w % tenants.length]!;
      for (let i = 0; performance.now() < deadline; i++) {
        await auditedWrite(db, tenant, `${phase}-${w}-${i}`, audited);
        written++;
      }
    }),
  );
  const rate = written / ((performance.now() - started) / 1000);
  log(
    `${phase}: ${written} ${audited ? 'audited' : 'plain'} writes by ${WRITERS} writers in ${tenants.length} tenant(s): ${Math.round(rate)}/s`,
  );
  return rate;
}

/** VERIFY_ENTRIES entries through the real writer (audit() and the seal), FILL_BATCH per transaction. */
async function fillChain(db: Database, tenant: BenchTenant) {
  const scope = { tenantId: tenant.tenantId, userId: tenant.userId, plantIds: 'all' as const };
  for (let from = 0; from < VERIFY_ENTRIES; from += FILL_BATCH) {
    await db.transact(scope, async (tx) => {
      for (let i = from; i < Math.min(VERIFY_ENTRIES, from + FILL_BATCH); i++) {
        audit(tx, {
          action: 'machine.update',
          entityType: 'machine',
          entityId: `m-${i % 500}`,
          entityLabel: `M${i % 500}`,
          plantId: i % 3 === 0 ? tenant.plantId : null,
          before: { name: `Machine ${i}`, idealCycleS: 12.5, active: true },
          after: { name: `Machine ${i + 1}`, idealCycleS: 12.25, active: true },
          reason: i % 10 === 0 ? 'Cycle time re-measured' : null,
        });
      }
    });
  }
}

/**
 * `pnpm bench audit` (docs/benchmarks.md, docs/audit.md): audited writes per second through the hash
 * chain with WRITERS concurrent writers in one tenant (they queue on its chain head) and spread over
 * as many tenants (they do not), then the verification's speed over VERIFY_ENTRIES entries.
 */
export async function auditBenchmark() {
  const { db, drop } = await openBenchServer('audit');
  try {
    log(`writers ${WRITERS}, ${DURATION_MS} ms per phase, verify ${VERIFY_ENTRIES} entries`);
    const one = await benchTenant(db, 'one');
    await writeFor(db, [one], 'warm-up');
    const plain = await writeFor(db, [one], 'baseline', false);
    const oneTenant = await writeFor(db, [one], 'one-tenant');
    const many = await Promise.all(Array.from({ length: WRITERS }, (_, i) => benchTenant(db, `t${i}`)));
    const manyTenants = await writeFor(db, many, 'many-tenants');

    const chain = await benchTenant(db, 'verify');
    const filled = performance.now();
    await fillChain(db, chain);
    log(
      `chain of ${VERIFY_ENTRIES} entries written in ${((performance.now() - filled) / 1000).toFixed(1)} s`,
    );
    await db.owner.execute(sql`analyze audit_log`);
    const scope = { tenantId: chain.tenantId, plantIds: 'all' as const };
    // One run to warm the cache, one timed.
    await db.transact(scope, (tx) => verifyChain(tx, chain.tenantId, 'start'));
    const started = performance.now();
    const cpu = process.cpuUsage();
    const { result } = await db.transact(scope, (tx) => verifyChain(tx, chain.tenantId, 'start'));
    const seconds = (performance.now() - started) / 1000;
    const cpuUsed = process.cpuUsage(cpu);
    const cpuSeconds = (cpuUsed.user + cpuUsed.system) / 1e6;
    if (!result.ok) throw new Error(`the benchmark's chain does not verify: ${result.reason}`);
    const verifyRate = result.checked / seconds;
    // On a busy machine the wall time is mostly waiting for a core; the cloud's own CPU time per entry
    // is what the rate would be with a core to itself (the database works on another meanwhile).
    const cpuRate = result.checked / cpuSeconds;
    log(
      `verified ${result.checked} entries in ${seconds.toFixed(2)} s: ${Math.round(verifyRate)}/s ` +
        `(cloud CPU ${cpuSeconds.toFixed(2)} s: ${Math.round(cpuRate)}/s per core)`,
    );
    return {
      audited_writes_per_s: Math.round(oneTenant),
      audited_writes_per_s_8_tenants: Math.round(manyTenants),
      plain_writes_per_s: Math.round(plain),
      verify_entries_per_s: Math.round(verifyRate),
      verify_entries_per_cpu_s: Math.round(cpuRate),
      entries: result.checked,
      writers: WRITERS,
      database: db.mode,
      load_1m: Number(loadavg()[0]!.toFixed(2)),
    };
  } finally {
    await drop();
  }
}
