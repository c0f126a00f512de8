import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { rows } from '../db/index.js';
import { DEFAULT_CHROMIUM_PATH } from '../modules/dashboards/index.js';
import { useTestApp } from '../testing/app.js';
import { auditEntries } from '../testing/audit-entries.js';
import { testEngines, testLog } from '../testing/engines.js';
import { defaultWebBuildDir, loadWebHandler } from './web-ui.js';

/*
 * A dashboard snapshot PDF (docs/dashboards.md, "Snapshot PDF"): Debian's Chromium prints a shipped
 * dashboard served by the real app with a two-minute session of its own, revoked afterwards
 * (docs/security.md, "Dashboard snapshots"); without Chromium the refusal says how to fix it.
 */

const hasChromium = existsSync(DEFAULT_CHROMIUM_PATH);
// The web UI is built before the browser tests (docs/testing.md); the cloud's own suite may run first.
const hasWebBuild = existsSync(join(defaultWebBuildDir, 'handler.js'));
if (!hasChromium || !hasWebBuild)
  process.stderr.write(
    'Dashboard PDF rendering not tested: it needs /usr/bin/chromium and the web build (pnpm --filter @plantline/web build).\n',
  );

const SNAPSHOT_AGENT = 'Plantline dashboard snapshot';

async function download(url: string, token: string | null) {
  return fetch(url, { headers: token === null ? {} : { cookie: `plantline_session=${token}` } });
}

describe.each(testEngines)('dashboard PDF without Chromium ($name engine)', (engine) => {
  const app = useTestApp(engine, { chromiumPath: '/nonexistent/chromium' });

  it('is refused with how to set Chromium up, and makes no session', async () => {
    const response = await download(`${app.server.url}/api/dashboards/plant-manager.pdf`, app.admin.token);
    expect(response.status).toBe(503);
    const body = (await response.json()) as { error: { message: string } };
    expect(body.error.message).toMatch(/^Dashboard PDFs need Chromium: set CHROMIUM_PATH/);
    expect(body.error.message).toContain('/nonexistent/chromium');
    const sessions = await app.database.db.ownerTransact(
      { tenantId: app.tenants.a.tenantId, plantIds: 'all' },
      (tx) =>
        rows<{ n: number }>(
          tx,
          sql`select count(*)::int as n from sessions where user_agent = ${SNAPSHOT_AGENT}`,
        ),
    );
    expect(sessions[0]?.n).toBe(0);
  });

  it('answers 401 without a session and 404 for a dashboard the caller does not see', async () => {
    expect((await download(`${app.server.url}/api/dashboards/plant-manager.pdf`, null)).status).toBe(401);
    expect(
      (await download(`${app.server.url}/api/dashboards/no-such-board.pdf`, app.admin.token)).status,
    ).toBe(404);
    expect((await download(`${app.server.url}/api/dashboards/Bad_Slug.pdf`, app.admin.token)).status).toBe(
      404,
    );
  });
});

// One engine: the browser's work is the same on both, and it is most of this test's time.
describe.runIf(hasChromium && hasWebBuild)('dashboard PDF through Chromium', async () => {
  const web = hasWebBuild ? await loadWebHandler(defaultWebBuildDir, testLog) : null;
  const app = useTestApp(testEngines[0]!, { web });
  const dir = mkdtempSync(join(tmpdir(), 'plantline-dashboard-pdf-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints a shipped dashboard with its title and revokes the snapshot session', async () => {
    const plantId = app.tenants.a.plantIds[0]!;
    const response = await download(
      `${app.server.url}/api/dashboards/plant-manager.pdf?plant=${plantId}&range=today`,
      app.admin.token,
    );
    expect(
      response.status,
      await response
        .clone()
        .text()
        .catch(() => ''),
    ).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toMatch(
      /^attachment; filename="plant-manager-.+\.pdf"$/,
    );
    const pdf = Buffer.from(await response.arrayBuffer());
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const file = join(dir, 'plant-manager.pdf');
    writeFileSync(file, pdf);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(text).toContain('Plant manager');
    // The widgets were drawn with their data, not their loading states.
    expect(text).not.toMatch(/Loading|Waiting for live states/);

    const sessions = await app.database.db.ownerTransact(
      { tenantId: app.tenants.a.tenantId, plantIds: 'all' },
      (tx) =>
        rows<{ revoked: boolean; lifetimeMs: number; userId: string }>(
          tx,
          sql`select revoked_at is not null as revoked,
                     (extract(epoch from absolute_expires_at - created_at) * 1000)::int as "lifetimeMs",
                     user_id::text as "userId"
                from sessions where user_agent = ${SNAPSHOT_AGENT}`,
        ),
    );
    expect(sessions).toEqual([{ revoked: true, lifetimeMs: 120_000, userId: app.tenants.a.adminUserId }]);

    const entries = await auditEntries(app.database.db, app.tenants.a.tenantId);
    const actions = entries.map((e) => e.action);
    expect(actions).toContain('dashboard.snapshot');
    expect(actions).toContain('dashboard.snapshot-end');
  }, 120_000);
});
