import { inflateSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../db/index.js';
import { SESSION_COOKIE } from '../../http/cookies.js';
import { addUser, signIn } from '../../testing/api.js';
import { type TestApp, useTestApp } from '../../testing/app.js';
import { testEngines } from '../../testing/engines.js';
import { TEST_PASSWORD } from '../../testing/tenants.js';
import { renderSignaturePage } from './signature-page.js';
import { orderUnderReview, sessionPrincipal, signingCaller } from './signing-fixtures.js';

/*
 * The printable manifestation of a record's signatures (21 CFR 11.50(b); docs/workflows.md,
 * "Electronic signatures"): GET /api/workflow/signatures/<type>/<id>.pdf, read back as text.
 */

/**
 * The text lines of a PDF written by pdfkit: its content streams, inflated, their TJ strings decoded.
 * Each stream is cut by its dictionary's /Length: compressed bytes may end in a carriage return, which
 * a search for the "endstream" keyword would take for the line break before it.
 */
function pdfText(pdf: Buffer): string[] {
  const raw = pdf.toString('latin1');
  const lines: string[] = [];
  for (const stream of raw.matchAll(/\/Length (\d+)(?! \d+ R)[^>]*>>\s*stream\r?\n/g)) {
    const start = (stream.index ?? 0) + stream[0].length;
    let content = pdf.subarray(start, start + Number(stream[1]));
    try {
      content = inflateSync(content);
    } catch {
      // Not compressed.
    }
    for (const shown of content.toString('latin1').matchAll(/\[(.*?)\]\s*TJ/g)) {
      const parts = [...(shown[1] ?? '').matchAll(/<([0-9a-fA-F]*)>/g)];
      lines.push(parts.map((p) => Buffer.from(p[1] ?? '', 'hex').toString('latin1')).join(''));
    }
  }
  return lines;
}

describe.each(testEngines)('the signatures PDF ($name engine)', (engine) => {
  const app: TestApp = useTestApp(engine);
  let plantId: string;

  beforeAll(async () => {
    plantId = app.tenants.a.plantIds[0]!;
    await app.admin.trpc.tenancy.plants.update.mutate({ id: plantId, patch: { timezone: 'Europe/Berlin' } });
  });

  const download = (path: string, token?: string) =>
    fetch(
      `${app.server.url}${path}`,
      token === undefined ? {} : { headers: { cookie: `${SESSION_COOKIE}=${token}` } },
    );

  it('prints each signature with name, meaning, times, status and hash, then the fields as signed', async () => {
    const { orderId, number } = await orderUnderReview(app, plantId, 'Bracket, 40 pieces');
    const client = await signIn(app.server.url, app.tenants.a.adminEmail);
    const caller = signingCaller(app, await sessionPrincipal(app, client));
    const delegator = await addUser(app.admin, {
      roleIds: [app.tenants.a.roleIds.quality!],
      plantIds: [plantId],
    });
    const first = await caller.sign({
      entityId: orderId,
      email: app.tenants.a.adminEmail,
      password: TEST_PASSWORD,
      onBehalfOf: { id: delegator.id, name: 'Bea Delegator' },
    });
    await caller.editNote({ entityId: orderId, note: 'Bracket, 45 pieces' });
    const second = await caller.sign({ entityId: orderId, password: TEST_PASSWORD });
    const [signedAt] = await app.database.db.ownerTransact(
      { tenantId: app.tenants.a.tenantId, plantIds: 'all' },
      (tx) =>
        rows<{ at: string }>(
          tx,
          sql`select to_char(signed_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS') as at
              from electronic_signatures where id = ${second.id}`,
        ),
    );

    const response = await download(
      `/api/workflow/signatures/production_order/${orderId}.pdf`,
      client.jar.token!,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toBe(`inline; filename="signatures-${number}.pdf"`);
    const pdf = Buffer.from(await response.arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfText(pdf);

    expect(text).toContain('Electronic signatures');
    expect(text).toContain(`Production order ${number} \u0097 Bracket, 45 pieces`);
    expect(text).toContain('Tenant: Tenant A');
    expect(text).toContain('Plant: A plant 1 (time zone Europe/Berlin)');
    expect(text).toContain('1. Admin A for Bea Delegator');
    expect(text).toContain('2. Admin A');
    expect(text.filter((line) => line === 'Meaning: Approval')).toHaveLength(2);
    expect(text).toContain('Identified by: email and password');
    expect(text).toContain('Identified by: password, in a session already signed with both');
    expect(text.find((line) => line.startsWith('Status: VOIDED '))).toMatch(
      / UTC \u0097 Note changed after signing$/,
    );
    expect(text).toContain('Status: valid');
    expect(text).toContain(`Record SHA-256: ${first.recordSha256}`);
    expect(text).toContain(`Record SHA-256: ${second.recordSha256}`);
    expect(text.find((line) => line.startsWith(`Signed: ${signedAt?.at} UTC`))).toMatch(
      / \u0097 \d{4}-\d\d-\d\d \d\d:\d\d:\d\d Europe\/Berlin \(UTC\+0[12]:00\)$/,
    );
    // The fields as each signature bound them: the note before and after the edit.
    expect(text).toContain('Fields as signed (signature 1)');
    expect(text).toContain('Fields as signed (signature 2)');
    expect(text).toContain('Note: Bracket, 40 pieces');
    expect(text).toContain('Note: Bracket, 45 pieces');
    expect(text).toContain('Quantity: 40');
    // References and people by name, never a bare id.
    expect(text.filter((line) => /: [0-9a-f]{8}-[0-9a-f]{4}-/.test(line))).toEqual([]);
  });

  it('answers only those who may read the record', async () => {
    const { orderId } = await orderUnderReview(app, plantId);
    const path = `/api/workflow/signatures/production_order/${orderId}.pdf`;
    expect((await download(path)).status).toBe(401);
    const viewer = await app.admin.trpc.rbac.roles.create.mutate({
      key: 'pdf-viewer',
      name: 'KPI viewer',
      permissions: ['kpi.read'],
    });
    const outsider = await signIn(
      app.server.url,
      (await addUser(app.admin, { roleIds: [viewer.id], plantIds: [plantId] })).email,
    );
    expect((await download(path, outsider.token)).status).toBe(403);
    expect((await download(path, app.adminB.token)).status).toBe(404);
    expect(
      (await download(`/api/workflow/signatures/no_such_type/${orderId}.pdf`, app.admin.token)).status,
    ).toBe(400);
    expect(
      (await download('/api/workflow/signatures/production_order/not-an-id.pdf', app.admin.token)).status,
    ).toBe(404);
    const post = await fetch(`${app.server.url}${path}`, { method: 'POST' });
    expect(post.status).toBe(405);
    const empty = await download(path, app.admin.token);
    expect(empty.status).toBe(200);
    expect(pdfText(Buffer.from(await empty.arrayBuffer()))).toContain('The record has no signatures.');
  });
});

describe('the signature page', () => {
  it('names the action by its label and the record’s people and references by name', async () => {
    const owner = '0b9c1d2e-3f40-4a5b-8c6d-7e8f90a1b2c3';
    const pdf = await renderSignaturePage(
      {
        recordType: 'NCR',
        code: 'NCR-RIV-2026-00001',
        title: 'Porosity',
        tenant: 'Demo',
        plant: null,
        printedAt: new Date('2026-12-01T10:00:00Z'),
        printedBy: null,
        signatures: [
          {
            id: 's1',
            signerName: 'Maria Keller',
            onBehalfOfName: null,
            meaning: 'approval',
            signedAt: new Date('2026-12-01T09:00:00Z'),
            recordSha256: 'ab'.repeat(32),
            components: 'both',
            transitionKey: 'approve',
            round: 4,
            voidedAt: null,
            voidReason: null,
            fields: { owner_id: owner, title: 'Porosity' },
          },
        ],
        fields: new Map([['owner_id', { ref: 'owner_id', label: 'Owner', kind: 'user', settable: true }]]),
        actions: new Map([['approve', 'Approve disposition']]),
        names: new Map([[owner, 'Maria Keller']]),
      },
      { compress: false },
    );
    const text = pdfText(pdf);
    expect(text).toContain('Action: Approve disposition');
    expect(text).toContain('Owner: Maria Keller');
    expect(text.some((line) => line.includes('round'))).toBe(false);
  });
});
