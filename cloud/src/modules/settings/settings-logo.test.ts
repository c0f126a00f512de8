import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { tables } from '@plantline/schema';
import { asc, like } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../http/cookies.js';
import { addUser, signIn } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { type SignedIn, useTestApp } from '../../testing/app.js';
import { testEngines } from '../../testing/engines.js';
import { pngOf } from '../../testing/images.js';

/*
 * The tenant's logo (docs/settings.md, "Logo"): checked when uploaded, audited by digest and size,
 * served at /api/tenant/logo with its digest as ETag, and drawn on report PDFs (docs/reports.md,
 * "Formats"), whose images pdfimages lists.
 */

const run = promisify(execFile);
const base64 = (bytes: Buffer) => bytes.toString('base64');

describe.each(testEngines)('the tenant logo ($name engine)', (engine) => {
  const app = useTestApp(engine);
  let admin: SignedIn;

  beforeAll(() => {
    admin = app.admin;
  });

  const logoEntries = () =>
    app.database.db.transact({ tenantId: app.tenants.a.tenantId, plantIds: 'all' }, (tx) =>
      tx
        .select()
        .from(tables.auditLog)
        .where(like(tables.auditLog.action, 'settings.logo.%'))
        .orderBy(asc(tables.auditLog.seq)),
    );

  const getLogo = (client: SignedIn, headers: Record<string, string> = {}) =>
    fetch(`${app.server.url}/api/tenant/logo`, {
      headers: { cookie: `${SESSION_COOKIE}=${client.token}`, ...headers },
    });

  /** Runs the audit extract to a PDF and lists its images with pdfimages (poppler-utils). */
  async function pdfImages(): Promise<string[]> {
    const { id } = await admin.trpc.reports.run.mutate({
      reportKey: 'audit-extract',
      parameters: {
        period: {
          preset: 'range',
          from: new Date(Date.now() - 86_400_000),
          to: new Date(Date.now() + 3_600_000),
        },
      },
      format: 'pdf',
    });
    for (let i = 0; i < 400; i++) {
      const r = await admin.trpc.reports.runGet.query({ id });
      if (r.status === 'failed') throw new Error(`the run failed: ${r.error}`);
      if (r.status === 'succeeded') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const response = await fetch(`${app.server.url}/api/reports/runs/${id}/download`, {
      headers: { cookie: `${SESSION_COOKIE}=${admin.token}` },
    });
    expect(response.status).toBe(200);
    const file = join(await mkdtemp(join(tmpdir(), 'logo-pdf-')), 'r.pdf');
    await writeFile(file, Buffer.from(await response.arrayBuffer()));
    const { stdout } = await run('pdfimages', ['-list', file]);
    // Two header lines, then one line per image.
    return stdout.trim().split('\n').slice(2);
  }

  it('draws no image on a report PDF while the tenant has no logo', async () => {
    expect(await admin.trpc.settings.logo.get.query()).toBeNull();
    expect((await getLogo(admin)).status).toBe(404);
    expect(await pdfImages()).toEqual([]);
  });

  it('refuses what is not a PNG or JPEG, too large or too big an image, and stores nothing', async () => {
    const text = Buffer.from('GIF89a, or any other file renamed to logo.png');
    await expectApiError(
      admin.trpc.settings.logo.set.mutate({ image: base64(text) }),
      'BAD_REQUEST',
      'The logo must be a PNG or JPEG image',
    );
    // A PNG signature with nothing readable after it.
    const truncated = pngOf(10, 10).subarray(0, 20);
    await expectApiError(
      admin.trpc.settings.logo.set.mutate({ image: base64(truncated) }),
      'BAD_REQUEST',
      /damaged/,
    );
    const wide = pngOf(2001, 10);
    await expectApiError(
      admin.trpc.settings.logo.set.mutate({ image: base64(wide) }),
      'BAD_REQUEST',
      'The logo is 2001×10 px; at most 2000×2000 px',
    );
    // 256 KB and one byte: a PNG whose size no longer matters, refused by its length alone.
    const heavy = Buffer.concat([pngOf(10, 10), Buffer.alloc(256 * 1024 + 1 - pngOf(10, 10).length)]);
    await expectApiError(
      admin.trpc.settings.logo.set.mutate({ image: base64(heavy) }),
      'BAD_REQUEST',
      'The logo is 257 KB; at most 256 KB',
    );
    await expectApiError(
      admin.trpc.settings.logo.set.mutate({ image: 'x'.repeat(400_000) }),
      'BAD_REQUEST',
      /larger than 256 KB/,
    );
    expect(await admin.trpc.settings.logo.get.query()).toBeNull();
    expect(await logoEntries()).toEqual([]);
  });

  it('lets only tenant.manage upload or remove it, and any signed-in user see it', async () => {
    const { a } = app.tenants;
    // Operators hold tenant.read and not tenant.manage (schema/src/permissions.ts).
    const user = await addUser(admin, { roleIds: [a.roleIds.operator!], plantIds: [a.plantIds[0]!] });
    const operator = await signIn(app.server.url, user.email);
    await expectApiError(operator.trpc.settings.logo.set.mutate({ image: base64(pngOf(4, 4)) }), 'FORBIDDEN');
    await expectApiError(operator.trpc.settings.logo.remove.mutate(), 'FORBIDDEN');
    expect(await operator.trpc.settings.logo.get.query()).toBeNull();
    expect((await fetch(`${app.server.url}/api/tenant/logo`)).status).toBe(401);
  });

  it('stores a PNG, audits its digest and size, serves it with an ETag, and draws it on PDFs', async () => {
    const png = pngOf(240, 60);
    const sha256 = createHash('sha256').update(png).digest('hex');
    const info = await admin.trpc.settings.logo.set.mutate({ image: base64(png) });
    expect(info).toMatchObject({ type: 'image/png', sha256, bytes: png.length, width: 240, height: 60 });
    expect(await admin.trpc.settings.logo.get.query()).toEqual(info);
    // The settings document is untouched and still "never saved".
    expect(await admin.trpc.settings.get.query()).toMatchObject({ version: 0 });

    const [entry] = await logoEntries();
    expect(entry).toMatchObject({
      action: 'settings.logo.upload',
      entityType: 'settings',
      entityId: app.tenants.a.tenantId,
      newValues: { sha256, bytes: png.length, type: 'image/png', size: '240×60' },
    });
    expect(JSON.stringify(entry)).not.toContain(base64(png).slice(0, 40));

    const served = await getLogo(admin);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(served.headers.get('etag')).toBe(`"${sha256}"`);
    expect(Buffer.from(await served.arrayBuffer()).equals(png)).toBe(true);
    const again = await getLogo(admin, { 'if-none-match': `"${sha256}"` });
    expect(again.status).toBe(304);

    // Tenant B sees its own (none), not A's.
    expect((await getLogo(app.adminB)).status).toBe(404);

    const images = await pdfImages();
    expect(images).toHaveLength(1);
    expect(images[0]).toMatch(/^\s*1\s+\d+\s+image\s+240\s+60\s+rgb\b/);
  });

  it('removes it, audited, and PDFs carry the mark again', async () => {
    await admin.trpc.settings.logo.remove.mutate();
    expect(await admin.trpc.settings.logo.get.query()).toBeNull();
    expect((await getLogo(admin)).status).toBe(404);
    const entries = await logoEntries();
    expect(entries.at(-1)).toMatchObject({ action: 'settings.logo.remove', newValues: null });
    expect(entries.at(-1)?.oldValues).toMatchObject({ type: 'image/png' });
    await expectApiError(admin.trpc.settings.logo.remove.mutate(), 'NOT_FOUND', /no logo/);
    expect(await pdfImages()).toEqual([]);
  });
});
