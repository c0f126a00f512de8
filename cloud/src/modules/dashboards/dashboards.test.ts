import { beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, addUser, signIn } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { useTestApp } from '../../testing/app.js';
import { auditTrail, expectEntries } from '../../testing/audit-entries.js';
import { testEngines } from '../../testing/engines.js';
import { KEPT_DASHBOARD_VERSIONS } from './dashboard-pruning.js';
import { syncShippedDashboards } from './index.js';

/*
 * Dashboards through the API (docs/dashboards.md): shipped dashboards, versions with diff and
 * restore, the sharing rules, import and export, bad definitions, and tenant isolation.
 */

const kpiTile = (id: string, x = 0) => ({
  id,
  type: 'kpi' as const,
  title: `OEE ${id}`,
  gridPos: { x, y: 0, w: 6, h: 4 },
  options: { metric: 'oee' as const, breakdown: 'total' as const },
});

const definition = (widgets: unknown[] = [kpiTile('a')]) => ({
  widgets,
  variables: ['plant', 'timeRange'],
  timeRange: 'currentShift',
  refreshSeconds: 30,
});

type Definition = Parameters<ApiClient['trpc']['dashboards']['create']['mutate']>[0]['definition'];
const def = (widgets?: unknown[]) => definition(widgets) as Definition;

describe.each(testEngines)('dashboards ($name engine)', (engine) => {
  const app = useTestApp(engine);
  let admin: ApiClient;
  let engineer: ApiClient;
  let operator: ApiClient;
  let quality: ApiClient;

  beforeAll(async () => {
    admin = app.admin;
    const user = async (role: string) => {
      const { email } = await addUser(admin, {
        roleIds: [app.tenants.a.roleIds[role]!],
        plantIds: app.tenants.a.plantIds,
      });
      return signIn(app.server.url, email);
    };
    engineer = await user('engineer');
    operator = await user('operator');
    quality = await user('quality');
  });

  it('ships Plant manager and Quality in every tenant, shared with the roles that use them', async () => {
    const shipped = (await admin.trpc.dashboards.list.query()).filter((d) => d.shippedKey !== null);
    expect(shipped.map((d) => [d.shippedKey, d.slug, d.visibility, d.version])).toEqual([
      ['plant-manager', 'plant-manager', 'shared', 1],
      ['quality', 'quality', 'shared', 1],
    ]);
    expect(shipped[0]!.sharedRoles.map((r) => r.key)).toEqual(['engineer', 'executive', 'supervisor']);
    // The operator's role has neither; the quality role has Quality only.
    expect((await operator.trpc.dashboards.list.query()).map((d) => d.slug)).toEqual([]);
    expect((await quality.trpc.dashboards.list.query()).map((d) => d.slug)).toEqual(['quality']);
    const manager = await engineer.trpc.dashboards.get.query({ slug: 'plant-manager' });
    expect(manager.definition.widgets.map((w) => w.type)).toEqual([
      'kpi',
      'kpi',
      'kpi',
      'trend',
      'pareto',
      'machines',
    ]);
    expect(manager).toMatchObject({ canEdit: true, canShare: true, mine: false });
    expect(await quality.trpc.dashboards.get.query({ slug: 'quality' })).toMatchObject({ canEdit: false });
    expect((await app.adminB.trpc.dashboards.list.query()).map((d) => d.slug)).toEqual([
      'plant-manager',
      'quality',
    ]);
  });

  it('adds nothing at a start where nothing is missing, and does not bring back a deleted one', async () => {
    const trail = auditTrail(app.database.db, app.tenants.a);
    expect(await trail.during(() => syncShippedDashboards(app.database.db))).toEqual([]);
    const copy = await engineer.trpc.dashboards.copy.mutate({
      id: (await engineer.trpc.dashboards.get.query({ slug: 'quality' })).id,
    });
    expect(copy).toMatchObject({
      slug: 'quality-copy',
      name: 'Quality (copy)',
      visibility: 'personal',
      mine: true,
    });
    const quality = await admin.trpc.dashboards.get.query({ slug: 'quality' });
    await admin.trpc.dashboards.delete.mutate({ id: quality.id });
    await syncShippedDashboards(app.database.db);
    await expectApiError(
      admin.trpc.dashboards.get.query({ slug: 'quality' }),
      'NOT_FOUND',
      'Dashboard not found',
    );
  });

  it('saves versions against the one seen, diffs any two, and restores an old one as the newest', async () => {
    const trail = auditTrail(app.database.db, app.tenants.a);
    let created!: Awaited<ReturnType<typeof engineer.trpc.dashboards.create.mutate>>;
    const entries = await trail.during(async () => {
      created = await engineer.trpc.dashboards.create.mutate({ name: 'Line 1 — shift', definition: def() });
    });
    expect(created).toMatchObject({ slug: 'line-1-shift', version: 1, visibility: 'personal', mine: true });
    expectEntries(entries, [
      { action: 'dashboard.create', entityId: created.id, entityLabel: 'line-1-shift' },
    ]);

    const moved = { ...kpiTile('a'), gridPos: { x: 6, y: 0, w: 8, h: 4 } };
    const text = {
      id: 't',
      type: 'text',
      title: 'Notes',
      gridPos: { x: 0, y: 4, w: 24, h: 2 },
      options: { text: 'Hello' },
    };
    const second = await engineer.trpc.dashboards.update.mutate({
      id: created.id,
      expectedVersion: 1,
      name: 'Line 1',
      definition: { ...def([moved, text]), refreshSeconds: 10 },
      message: 'Notes and a wider tile',
    });
    expect(second.version).toBe(2);
    await expectApiError(
      engineer.trpc.dashboards.update.mutate({ id: created.id, expectedVersion: 1, name: 'Stale' }),
      'CONFLICT',
      /saved by someone else since you opened it \(now version 2\)/,
    );

    const diff = await engineer.trpc.dashboards.diff.query({ id: created.id, from: 1, to: 2 });
    expect(diff).toMatchObject({
      from: 1,
      to: 2,
      same: false,
      added: [{ id: 't', type: 'text', title: 'Notes' }],
      removed: [],
      moved: [{ id: 'a', from: { x: 0, w: 6 }, to: { x: 6, w: 8 } }],
      changed: [],
      settings: [
        { setting: 'name', before: 'Line 1 — shift', after: 'Line 1' },
        { setting: 'refreshSeconds', before: 30, after: 10 },
      ],
    });
    const back = await engineer.trpc.dashboards.diff.query({ id: created.id, from: 2, to: 1 });
    expect(back.removed.map((w) => w.id)).toEqual(['t']);
    await expectApiError(
      engineer.trpc.dashboards.diff.query({ id: created.id, from: 1, to: 9 }),
      'NOT_FOUND',
      'The dashboard has no version 9',
    );

    const restored = await engineer.trpc.dashboards.restore.mutate({
      id: created.id,
      version: 1,
      expectedVersion: 2,
    });
    expect(restored).toMatchObject({
      version: 3,
      name: 'Line 1 — shift',
      definition: { refreshSeconds: 30 },
    });
    const versions = await engineer.trpc.dashboards.versions.query({ id: created.id });
    expect(versions.map((v) => [v.version, v.message, v.restoredFrom, v.widgetCount])).toEqual([
      [3, 'Restored version 1', 1, 1],
      [2, 'Notes and a wider tile', null, 2],
      [1, 'Created', null, 1],
    ]);
    expect(versions[0]!.savedByName).toMatch(/^User /);
    expect((await engineer.trpc.dashboards.diff.query({ id: created.id, from: 1, to: 3 })).same).toBe(true);
  });

  it('keeps the newest 50 versions, pruning the oldest on save; a pruned version cannot be restored', async () => {
    const created = await engineer.trpc.dashboards.create.mutate({ name: 'Often saved', definition: def() });
    let version = created.version;
    for (let x = 1; version < KEPT_DASHBOARD_VERSIONS + 2; x = (x % 18) + 1) {
      const saved = await engineer.trpc.dashboards.update.mutate({
        id: created.id,
        expectedVersion: version,
        definition: def([kpiTile('a', x)]),
        message: `Move to ${x}`,
      });
      version = saved.version;
    }
    // Pruning runs once a save has committed: wait for it rather than for a time.
    let versions = await engineer.trpc.dashboards.versions.query({ id: created.id });
    for (let i = 0; i < 100 && versions.length > KEPT_DASHBOARD_VERSIONS; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      versions = await engineer.trpc.dashboards.versions.query({ id: created.id });
    }
    const numbers = versions.map((v) => v.version).sort((a, b) => a - b);
    expect(numbers).toHaveLength(KEPT_DASHBOARD_VERSIONS);
    expect(numbers[0]).toBe(version - KEPT_DASHBOARD_VERSIONS + 1);
    expect(numbers.at(-1)).toBe(version);
    await expectApiError(
      engineer.trpc.dashboards.restore.mutate({ id: created.id, version: 1, expectedVersion: version }),
      'NOT_FOUND',
    );
    const trail = await admin.trpc.audit.entries.list.query({ entityType: 'dashboard', limit: 1 });
    expect(trail.entries[0]?.newValues).toMatchObject({
      versionsPrunedThrough: version - KEPT_DASHBOARD_VERSIONS,
    });
  });

  it('keeps a personal dashboard its owner’s and lets dashboards.manage share one with roles', async () => {
    const mine = await operator.trpc.dashboards.create.mutate({ name: 'My line', definition: def() });
    // Not even an administrator sees someone's personal dashboard.
    await expectApiError(admin.trpc.dashboards.get.query({ id: mine.id }), 'NOT_FOUND');
    await expectApiError(admin.trpc.dashboards.delete.mutate({ id: mine.id }), 'NOT_FOUND');
    // The operator keeps personal dashboards but may not share them.
    await expectApiError(
      operator.trpc.dashboards.create.mutate({ name: 'Team', visibility: 'shared', definition: def() }),
      'FORBIDDEN',
      'A shared dashboard needs the permission dashboards.manage',
    );
    await expectApiError(
      operator.trpc.dashboards.share.mutate({ id: mine.id, roleIds: [app.tenants.a.roleIds.operator!] }),
      'FORBIDDEN',
    );

    await expectApiError(operator.trpc.dashboards.roles.query(), 'FORBIDDEN');
    expect((await engineer.trpc.dashboards.roles.query()).map((r) => r.key)).toContain('operator');
    const board = await engineer.trpc.dashboards.create.mutate({ name: 'Cell board', definition: def() });
    const trail = auditTrail(app.database.db, app.tenants.a);
    const entries = await trail.during(() =>
      engineer.trpc.dashboards.share.mutate({ id: board.id, roleIds: [app.tenants.a.roleIds.operator!] }),
    );
    expectEntries(entries, [
      {
        action: 'dashboard.share',
        oldValues: { visibility: 'personal', sharedWith: [] },
        newValues: { visibility: 'shared', sharedWith: ['operator'] },
      },
    ]);
    const seen = await operator.trpc.dashboards.get.query({ slug: 'cell-board' });
    expect(seen).toMatchObject({ visibility: 'shared', canEdit: false, canShare: false, canDelete: false });
    await expectApiError(quality.trpc.dashboards.get.query({ slug: 'cell-board' }), 'NOT_FOUND');
    await expectApiError(
      operator.trpc.dashboards.update.mutate({ id: board.id, expectedVersion: 1, name: 'Mine now' }),
      'FORBIDDEN',
      /needs the permission dashboards.manage; make a personal copy instead/,
    );
    await expectApiError(operator.trpc.dashboards.delete.mutate({ id: board.id }), 'FORBIDDEN');
    // Another dashboards.manage holder changes it; the admin sees every shared one.
    expect(
      (await admin.trpc.dashboards.update.mutate({ id: board.id, expectedVersion: 1, description: 'Cell 4' }))
        .version,
    ).toBe(2);
    const copy = await operator.trpc.dashboards.copy.mutate({ id: board.id });
    expect(copy).toMatchObject({ visibility: 'personal', mine: true, canEdit: true });

    await engineer.trpc.dashboards.unshare.mutate({ id: board.id });
    await expectApiError(operator.trpc.dashboards.get.query({ id: board.id }), 'NOT_FOUND');
    await expectApiError(admin.trpc.dashboards.get.query({ id: board.id }), 'NOT_FOUND');
    expect(await engineer.trpc.dashboards.get.query({ id: board.id })).toMatchObject({
      visibility: 'personal',
    });
    const plantManager = await engineer.trpc.dashboards.get.query({ slug: 'plant-manager' });
    await expectApiError(
      engineer.trpc.dashboards.unshare.mutate({ id: plantManager.id }),
      'BAD_REQUEST',
      /A shipped dashboard stays shared/,
    );
    await engineer.trpc.dashboards.delete.mutate({ id: board.id });
    await expectApiError(engineer.trpc.dashboards.get.query({ id: board.id }), 'NOT_FOUND');
  });

  it('exports without tenant ids and imports under a free slug; refuses what is not a dashboard', async () => {
    const original = await engineer.trpc.dashboards.create.mutate({ name: 'Export me', definition: def() });
    const document = await engineer.trpc.dashboards.export.query({ id: original.id });
    expect(document).toEqual({
      format: 'plantline.dashboard',
      formatVersion: 1,
      name: 'Export me',
      description: '',
      definition: definition(),
    });
    expect(JSON.stringify(document)).not.toContain(app.tenants.a.tenantId);
    const imported = await app.adminB.trpc.dashboards.import.mutate({ document });
    expect(imported).toMatchObject({ slug: 'export-me', version: 1, name: 'Export me' });
    const again = await engineer.trpc.dashboards.import.mutate({
      document: JSON.parse(JSON.stringify(document)),
    });
    expect(again).toMatchObject({ slug: 'export-me-2', definition: definition() });
    expect((await engineer.trpc.dashboards.versions.query({ id: again.id }))[0]!.message).toBe('Imported');

    await expectApiError(
      engineer.trpc.dashboards.import.mutate({ document: { name: 'x', widgets: [] } }),
      'BAD_REQUEST',
      /Not a Plantline dashboard/,
    );
    const wide = {
      ...document,
      definition: def([{ ...kpiTile('a'), gridPos: { x: 20, y: 0, w: 6, h: 4 } }]),
    };
    const refused = await expectApiError(
      engineer.trpc.dashboards.import.mutate({ document: wide }),
      'BAD_REQUEST',
      /definition\.widgets\.0\.gridPos\.w: A widget ends within the 24 columns/,
    );
    expect(JSON.stringify(refused.data)).toContain('document.definition.widgets.0.gridPos.w');
  });

  it('refuses definitions off the grid, too fast, with broken variable chains or unknown widgets', async () => {
    const create = (definition: unknown) =>
      engineer.trpc.dashboards.create.mutate({ name: 'Bad', definition: definition as Definition });
    await expectApiError(
      create(def([{ ...kpiTile('a'), gridPos: { x: 0, y: 0, w: 25, h: 4 } }])),
      'BAD_REQUEST',
    );
    await expectApiError(
      create(def([{ ...kpiTile('a'), gridPos: { x: 0, y: 0, w: 4, h: 60 } }])),
      'BAD_REQUEST',
    );
    await expectApiError(
      create({ ...definition(), refreshSeconds: 2 }),
      'BAD_REQUEST',
      /Refresh at most every 5 s/,
    );
    await expectApiError(
      create({ ...definition(), variables: ['line', 'timeRange'] }),
      'BAD_REQUEST',
      /The line variable needs the plant variable/,
    );
    await expectApiError(
      create(def([kpiTile('a'), kpiTile('a', 6)])),
      'BAD_REQUEST',
      /Widget ids are unique/,
    );
    await expectApiError(
      create(def([{ ...kpiTile('a'), type: 'gauge' }])),
      'BAD_REQUEST',
      /A widget's type is one of kpi, trend/,
    );
    await expectApiError(
      create(
        def([{ id: 'tl', type: 'timeline', title: '', gridPos: { x: 0, y: 0, w: 24, h: 3 }, options: {} }]),
      ),
      'BAD_REQUEST',
      /A state timeline shows the machine variable/,
    );
    await expectApiError(
      create(def([{ ...kpiTile('a'), options: { metric: 'fpy', breakdown: 'lines' } }])),
      'BAD_REQUEST',
      /Only OEE and its factors are broken down by line/,
    );
    await expectApiError(
      engineer.trpc.dashboards.create.mutate({ name: ' ', definition: def() }),
      'BAD_REQUEST',
      /Enter a name/,
    );
  });

  it('keeps tenants apart', async () => {
    const a = await engineer.trpc.dashboards.create.mutate({ name: 'Tenant A only', definition: def() });
    await engineer.trpc.dashboards.share.mutate({ id: a.id, roleIds: [app.tenants.a.roleIds.executive!] });
    await expectApiError(app.adminB.trpc.dashboards.get.query({ id: a.id }), 'NOT_FOUND');
    await expectApiError(app.adminB.trpc.dashboards.get.query({ slug: 'tenant-a-only' }), 'NOT_FOUND');
    await expectApiError(
      engineer.trpc.dashboards.share.mutate({ id: a.id, roleIds: [app.tenants.b.roleIds.executive!] }),
      'NOT_FOUND',
      'A role to share with does not exist',
    );
    // The same slug is free in the other tenant.
    expect(
      (await app.adminB.trpc.dashboards.create.mutate({ name: 'Tenant A only', definition: def() })).slug,
    ).toBe('tenant-a-only');
  });
});
