import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/index.js';
import { type TestDatabase, testEngines } from '../../testing/engines.js';
import { InMemoryLoginLimiter, type LoginLimiter, type LoginLimiterOptions } from './login-limiter.js';
import { SharedLoginLimiter } from './login-limiter-shared.js';

/*
 * The same cases for the limits counted in the process and in the database (login-limiter-shared.ts),
 * on both engines; on a server the ten concurrent reservations really run at once, each in its own
 * transaction, and still only the limit's three get through.
 */

interface Kind {
  name: string;
  open(): Promise<void>;
  close(): Promise<void>;
  make(options: LoginLimiterOptions): Promise<LoginLimiter>;
}

function inDatabase(engine: (typeof testEngines)[number]): Kind {
  let test: TestDatabase | undefined;
  const db = (): Database => {
    if (test === undefined) throw new Error('the database is not open');
    return test.db;
  };
  return {
    name: `in the database (${engine.name} engine)`,
    open: async () => {
      test = await engine.create();
    },
    close: async () => {
      await test?.drop();
    },
    make: async (options) => {
      // Every case starts from no attempts, as a new in-process limiter does.
      await db().ownerTransact(null, (tx) => tx.execute(sql`delete from login_attempts`));
      return new SharedLoginLimiter(db(), options);
    },
  };
}

const kinds: Kind[] = [
  {
    name: 'in the process',
    open: async () => undefined,
    close: async () => undefined,
    make: async (options) => new InMemoryLoginLimiter(options),
  },
  ...testEngines.map(inDatabase),
];

async function limiter(kind: Kind) {
  let clock = 1_000_000;
  const l = await kind.make({
    windowMs: 60_000,
    maxFailuresPerAccountAndAddress: 3,
    maxFailuresPerAccount: 8,
    maxFailuresPerAddress: 5,
    now: () => clock,
  });
  return { l, advance: (ms: number) => (clock += ms) };
}

/** An attempt that fails: its reservation is never released. */
async function fail(l: LoginLimiter, account: string, address: string) {
  const attempt = await l.reserve(account, address);
  if (!attempt.allowed) throw new Error(`${account} from ${address} was throttled`);
}

describe.each(kinds)('sign-in limits counted $name', (kind) => {
  beforeAll(() => kind.open());
  afterAll(() => kind.close());

  it('counts an attempt when it is reserved, so concurrent attempts never pass the limit', async () => {
    const { l } = await limiter(kind);
    // Ten attempts reserved before any of them has an answer: only the limit gets through.
    const attempts = await Promise.all(Array.from({ length: 10 }, () => l.reserve('a@x.test', '10.0.0.1')));
    expect(attempts.filter((a) => a.allowed)).toHaveLength(3);
  });

  it('releases a reservation that succeeds and clears the account', async () => {
    const { l } = await limiter(kind);
    await fail(l, 'a@x.test', '10.0.0.1');
    await fail(l, 'a@x.test', '10.0.0.1');
    const right = await l.reserve('a@x.test', '10.0.0.1');
    if (!right.allowed) throw new Error('throttled too early');
    await right.succeeded();
    // The pair starts over: three more failures are allowed.
    for (let i = 0; i < 3; i++) await fail(l, 'a@x.test', '10.0.0.1');
    expect((await l.reserve('a@x.test', '10.0.0.1')).allowed).toBe(false);
  });

  it('blocks an account from one address until the oldest failure leaves the window', async () => {
    const { l, advance } = await limiter(kind);
    for (let i = 0; i < 3; i++) {
      await fail(l, 'a@x.test', '10.0.0.1');
      advance(1_000);
    }
    // failures at t0, t0+1s, t0+2s; now t0+3s: the first leaves the window at t0+60s
    expect(await l.reserve('A@X.test', '10.0.0.1')).toEqual({ allowed: false, retryAfterMs: 57_000 });
    advance(56_999);
    expect((await l.reserve('a@x.test', '10.0.0.1')).allowed).toBe(false);
    advance(1);
    expect((await l.reserve('a@x.test', '10.0.0.1')).allowed).toBe(true);
  });

  it('lets the account in from another address after one address used up its attempts', async () => {
    const { l } = await limiter(kind);
    for (let i = 0; i < 3; i++) await fail(l, 'a@x.test', '203.0.113.9');
    expect((await l.reserve('a@x.test', '203.0.113.9')).allowed).toBe(false);
    expect((await l.reserve('a@x.test', '10.0.0.2')).allowed).toBe(true);
  });

  it('blocks the account everywhere only after the larger account limit, from many addresses', async () => {
    const { l, advance } = await limiter(kind);
    // Eight failures from three addresses, none past its per-pair limit, reach the account's limit.
    for (const address of ['203.0.113.1', '203.0.113.2']) {
      for (let i = 0; i < 3; i++) await fail(l, 'a@x.test', address);
    }
    await fail(l, 'a@x.test', '203.0.113.3');
    await fail(l, 'a@x.test', '203.0.113.3');
    advance(10_000);
    expect(await l.reserve('a@x.test', '10.0.0.2')).toEqual({ allowed: false, retryAfterMs: 50_000 });
    expect((await l.reserve('b@x.test', '10.0.0.2')).allowed).toBe(true);
    advance(50_000);
    expect((await l.reserve('a@x.test', '10.0.0.2')).allowed).toBe(true);
  });

  it('blocks an address trying many accounts', async () => {
    const { l } = await limiter(kind);
    for (let i = 0; i < 5; i++) await fail(l, `user${i}@x.test`, '10.0.0.9');
    expect((await l.reserve('fresh@x.test', '10.0.0.9')).allowed).toBe(false);
    expect((await l.reserve('fresh@x.test', '10.0.0.10')).allowed).toBe(true);
  });

  it('does not count a refused attempt', async () => {
    const { l, advance } = await limiter(kind);
    for (let i = 0; i < 3; i++) await fail(l, 'a@x.test', '10.0.0.1');
    advance(30_000);
    for (let i = 0; i < 20; i++) expect((await l.reserve('a@x.test', '10.0.0.1')).allowed).toBe(false);
    // Still free once the three failures leave the window, however often it was refused meanwhile.
    advance(30_000);
    expect((await l.reserve('a@x.test', '10.0.0.1')).allowed).toBe(true);
  });

  it('keeps the address record after a success', async () => {
    const { l } = await limiter(kind);
    for (let i = 0; i < 3; i++) await fail(l, 'a@x.test', '10.0.0.1');
    await fail(l, 'b@x.test', '10.0.0.1');
    const right = await l.reserve('c@x.test', '10.0.0.1');
    if (!right.allowed) throw new Error('throttled too early');
    await right.succeeded();
    await fail(l, 'd@x.test', '10.0.0.1');
    // address 10.0.0.1 now has 5 failures; the success did not count
    expect((await l.reserve('e@x.test', '10.0.0.1')).allowed).toBe(false);
  });

  it('names one refusal per account and window for the audit trail, and starts over after a success', async () => {
    const { l, advance } = await limiter(kind);
    expect(await l.firstRefusalInWindow('a@x.test')).toBe(true);
    expect(await l.firstRefusalInWindow('A@x.test')).toBe(false);
    expect(await l.firstRefusalInWindow('b@x.test')).toBe(true);
    advance(59_999);
    expect(await l.firstRefusalInWindow('a@x.test')).toBe(false);
    advance(1);
    expect(await l.firstRefusalInWindow('a@x.test')).toBe(true);
    const right = await l.reserve('a@x.test', '10.0.0.1');
    if (!right.allowed) throw new Error('throttled too early');
    await right.succeeded();
    expect(await l.firstRefusalInWindow('a@x.test')).toBe(true);
  });
});

describe.each(testEngines)('sign-in limits shared by two cloud instances ($name engine)', (engine) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await engine.create();
  });
  afterAll(() => test?.drop());

  it('lets the limit through once whichever instance the attempts reach', async () => {
    const options = {
      windowMs: 60_000,
      maxFailuresPerAccountAndAddress: 3,
      maxFailuresPerAccount: 8,
      maxFailuresPerAddress: 5,
    };
    const instances = [new SharedLoginLimiter(test.db, options), new SharedLoginLimiter(test.db, options)];
    const attempts = await Promise.all(
      Array.from({ length: 10 }, (_, i) => instances[i % 2]!.reserve('shared@x.test', '10.0.0.7')),
    );
    expect(attempts.filter((a) => a.allowed)).toHaveLength(3);
    expect(await instances[0]!.firstRefusalInWindow('shared@x.test')).toBe(true);
    expect(await instances[1]!.firstRefusalInWindow('shared@x.test')).toBe(false);
    // Stored as hashes only: no email or address in the table.
    const stored = await test.db.ownerTransact(null, (tx) =>
      tx.execute(sql`select key_hash from login_attempts`),
    );
    expect(JSON.stringify(stored)).not.toMatch(/shared@x\.test|10\.0\.0\.7/);
  });
});
