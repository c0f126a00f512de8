import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from './app-router.js';
import type { Database } from './db/index.js';
import { callerContext } from './testing/context.js';
import { testEngines } from './testing/engines.js';

/*
 * Every procedure declares its access (docs/security.md, "RBAC"), and the one middleware enforces
 * it. The list comes from the router itself, so a procedure added later without a declaration fails
 * here.
 */
const procedures = Object.entries(
  appRouter._def.procedures as unknown as Record<
    string,
    { _def: { meta?: { access?: string }; type: string } }
  >,
);

describe('the application router', () => {
  let db: Database;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const engine = await testEngines[0]!.create();
    db = engine.db;
    drop = engine.drop;
  });
  afterAll(() => drop?.());

  it('declares an access rule on every procedure', () => {
    const undeclared = procedures.filter(([, p]) => p._def.meta?.access === undefined).map(([path]) => path);
    expect(procedures.length).toBeGreaterThan(15);
    expect(undeclared).toEqual([]);
  });

  it('refuses every non-public procedure to an anonymous caller', async () => {
    const ctx = callerContext(db, null);
    const caller = appRouter.createCaller(ctx) as unknown as Record<string, unknown>;
    const refusals: string[] = [];
    for (const [path, procedure] of procedures) {
      if (procedure._def.meta?.access === 'public') continue;
      const fn = path
        .split('.')
        .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller) as (
        input?: unknown,
      ) => Promise<unknown>;
      try {
        const result = await fn(undefined);
        // A subscription resolves to an iterable; the refusal comes with the first value.
        if (result && typeof result === 'object' && Symbol.asyncIterator in result) {
          await (result as AsyncIterable<unknown>)[Symbol.asyncIterator]().next();
        }
        refusals.push(`${path}: allowed`);
      } catch (error) {
        if (!(error instanceof TRPCError) || error.code !== 'UNAUTHORIZED')
          refusals.push(`${path}: ${String(error)}`);
      }
    }
    expect(refusals).toEqual([]);
  });
});
