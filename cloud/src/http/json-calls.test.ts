import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, signIn } from '../testing/api.js';
import { type Tenants, type TestServer, useTestApp } from '../testing/app.js';
import { testEngines } from '../testing/engines.js';
import { startTestServer } from '../testing/server.js';
import { SESSION_COOKIE } from './cookies.js';

const MAX_BODY_BYTES = 16 * 1024;

interface Answer {
  /** Whether the body came with a length: the direct answer has one, tRPC's streams its body. */
  sized: boolean;
  status: number;
  contentType: string | null;
  vary: string | null;
  setCookie: string[];
  body: unknown;
}

/*
 * The server answers JSON calls itself (json-calls.ts) instead of through tRPC's handler. The same
 * requests go to a second server over the same database that leaves every call to tRPC, and must be
 * answered alike: status, content type, cookies and body, successes and failures, alone and batched.
 */
describe.each(testEngines)('JSON calls answered directly, as tRPC answers them ($name engine)', (engine) => {
  const app = useTestApp(engine, { maxBodyBytes: MAX_BODY_BYTES });
  let tenants: Tenants;
  let direct: TestServer;
  let viaTrpc: TestServer;
  let admin: ApiClient;
  let readerKey: string;

  beforeAll(async () => {
    ({ tenants, server: direct, admin } = app);
    viaTrpc = await startTestServer(app.database.db, {
      maxBodyBytes: MAX_BODY_BYTES,
      directJsonCalls: false,
    });
    readerKey = (
      await admin.trpc.apiKeys.create.mutate({
        name: 'Plant reader',
        scopes: ['plants.read'],
        plantIds: [tenants.a.plantIds[0]!],
      })
    ).key;
  });

  afterAll(() => viaTrpc?.close());

  async function ask(server: TestServer, path: string, init: RequestInit): Promise<Answer> {
    const response = await fetch(`${server.url}/trpc/${path}`, init);
    const text = await response.text();
    return {
      sized: response.headers.has('content-length'),
      status: response.status,
      contentType: response.headers.get('content-type'),
      vary: response.headers.get('vary'),
      setCookie: response.headers.getSetCookie(),
      body: text === '' ? null : JSON.parse(text),
    };
  }

  /**
   * The same request to both servers; their answers, which must be equal but for how the body is
   * framed, which shows who answered: the direct path unless `answered` says tRPC should have.
   */
  async function both(path: string, init: RequestInit = {}, answered = 'directly'): Promise<Answer> {
    const [mine, trpcs] = [await ask(direct, path, init), await ask(viaTrpc, path, init)];
    expect({ ...mine, sized: false }, path).toEqual(trpcs);
    expect(mine.sized, `${path} answered ${answered}`).toBe(answered === 'directly');
    return mine;
  }

  const asAdmin = (headers: Record<string, string> = {}) => ({
    headers: { cookie: `${SESSION_COOKIE}=${admin.jar.token}`, ...headers },
  });
  const asKey = () => ({ headers: { authorization: `Bearer ${readerKey}` } });
  const postJson = (body: string | Uint8Array, headers: Record<string, string> = {}): RequestInit => ({
    method: 'POST',
    body,
    headers: {
      cookie: `${SESSION_COOKIE}=${admin.jar.token}`,
      'content-type': 'application/json',
      ...headers,
    },
  });
  const input = (value: unknown) => `input=${encodeURIComponent(JSON.stringify(value))}`;

  it('answers queries alone, with and without input, and their refusals', async () => {
    expect((await both('auth.me', asAdmin())).status).toBe(200);
    const plantId = tenants.a.plantIds[0]!;
    expect((await both(`masterdata.lines.list?${input({ plantId })}`, asAdmin())).status).toBe(200);
    expect((await both('masterdata.lines.list?input=%7B', asAdmin())).status).toBe(400);
    expect((await both(`masterdata.lines.list?${input({ plantId: 'nope' })}`, asAdmin())).status).toBe(400);
    expect((await both('auth.me')).status).toBe(401);
    expect((await both('users.list', asKey())).status).toBe(403);
    expect((await both('tenancy.plants.list', asKey())).status).toBe(200);
    expect((await both('auth.me', asKey())).status).toBe(403);
  });

  it('clears a refused session cookie the same way', async () => {
    const answer = await both('auth.me', { headers: { cookie: `${SESSION_COOKIE}=not-a-session` } });
    expect(answer.status).toBe(401);
    expect(answer.setCookie).toHaveLength(1);
  });

  it('answers batches, mixed ones with 207, and a batch input that is not an object', async () => {
    const batch = 'auth.me,tenancy.plants.list,users.list?batch=1';
    expect((await both(`${batch}&input=%7B%7D`, asAdmin())).status).toBe(200);
    expect((await both('tenancy.plants.list,users.list?batch=1', asKey())).status).toBe(207);
    const lists = 'masterdata.lines.list,masterdata.areas.list?batch=1';
    expect((await both(`${lists}&input=%5B1%5D`, asAdmin())).status).toBe(400);
    expect((await both(`${lists}&${input({ 1: { plantId: 'nope' } })}`, asAdmin())).status).toBe(207);
    const posted = await both('auth.me,tenancy.plants.list?batch=1', postJson('{"0":null}'));
    expect(posted.status).toBe(200);
    const charset = postJson('{}', { 'content-type': 'application/json; charset=utf-8' });
    expect((await both('auth.me,tenancy.plants.list?batch=1', charset)).status).toBe(200);
  });

  it('answers mutations and their bad bodies, plain, compressed and too large', async () => {
    expect((await both('users.update', postJson('{"id": "x"}'))).status).toBe(400);
    expect((await both('users.update', postJson('{"id": '))).status).toBe(400);
    expect((await both('users.update', postJson(''))).status).toBe(400);
    const gzipped = gzipSync(Buffer.from('{"id": "x"}'));
    expect((await both('users.update', postJson(gzipped, { 'content-encoding': 'gzip' }))).status).toBe(400);
    const large = JSON.stringify({ id: 'x', displayName: 'n'.repeat(MAX_BODY_BYTES) });
    expect((await both('users.update', postJson(large))).status).toBe(413);
    expect(
      (await both('users.update,users.update?batch=1', postJson('{"0":{"id":"x"},"1":{}}'))).status,
    ).toBe(400);
  });

  it('reads a call’s body before its transaction: a client that left does not hold the database', async () => {
    // The call waits for the database (on the embedded engine, behind this transaction) while its
    // client sends the whole request and goes; its body must already be read by then.
    let release = () => {};
    const held = app.database.db.ownerTransact(
      { tenantId: tenants.a.tenantId, plantIds: 'all' },
      () =>
        new Promise<void>((resolve) => {
          release = resolve;
        }),
    );
    const body = JSON.stringify({ 0: { plantId: tenants.a.plantIds[0] } });
    const { hostname, port } = new URL(direct.url);
    const socket = connect(Number(port), hostname);
    socket.write(
      [
        'POST /trpc/masterdata.lines.list?batch=1 HTTP/1.1',
        `Host: ${hostname}`,
        'Content-Type: application/json',
        `Cookie: ${SESSION_COOKIE}=${admin.jar.token}`,
        `Content-Length: ${Buffer.byteLength(body)}`,
        '',
        body,
      ].join('\r\n'),
    );
    await sleep(300);
    socket.destroy();
    await sleep(100);
    release();
    await held;
    expect((await ask(direct, 'auth.me', asAdmin())).status).toBe(200);
  });

  it('signs out alike, clearing the cookie', async () => {
    const [first, second] = [
      await signIn(direct.url, tenants.a.adminEmail),
      await signIn(direct.url, tenants.a.adminEmail),
    ];
    const logout = (server: TestServer, client: typeof first) =>
      ask(server, 'auth.logout', {
        method: 'POST',
        headers: { cookie: `${SESSION_COOKIE}=${client.jar.token}`, 'content-type': 'application/json' },
      });
    const [mine, trpcs] = [await logout(direct, first), await logout(viaTrpc, second)];
    expect({ ...mine, sized: false }).toEqual(trpcs);
    expect(mine.sized).toBe(true);
    expect(mine.status).toBe(200);
  });

  it('leaves what it does not answer to tRPC: wrong methods, unknown paths, streaming', async () => {
    expect((await both('users.update', asAdmin(), 'by tRPC')).status).toBe(405);
    expect((await both('no.such.procedure', asAdmin(), 'by tRPC')).status).toBe(404);
    const streamed = asAdmin({ 'trpc-accept': 'application/jsonl' });
    expect((await both('auth.me', streamed, 'by tRPC')).status).toBe(400);
    expect((await both('auth.me%2Cusers.list?batch=1', asAdmin(), 'by tRPC')).status).toBe(200);
    const tooMany = `${Array.from({ length: 51 }, () => 'auth.me').join(',')}?batch=1`;
    expect((await both(tooMany, asAdmin(), 'by tRPC')).status).toBe(400);
  });
});
