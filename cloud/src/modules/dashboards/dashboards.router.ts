import { z } from 'zod';
import { idInput as id } from '../../platform/index.js';
import { permittedProcedure, router } from '../../trpc/procedures.js';
import { viewerOf } from './dashboard-access.js';
import { findDashboard, listDashboards, listVersions } from './dashboard-queries.js';
import {
  dashboardDescriptionInput as description,
  exportDashboard,
  importDashboard,
  dashboardNameInput as name,
} from './dashboard-transfer.js';
import {
  copyDashboard,
  createDashboard,
  deleteDashboard,
  diffVersions,
  restoreVersion,
  shareableRoles,
  shareDashboard,
  unshareDashboard,
  updateDashboard,
} from './dashboards.js';
import { definitionSchema } from './definition.js';

/*
 * Dashboards (docs/dashboards.md). Everyone who reads KPIs may keep personal dashboards; who sees
 * and changes which is decided per dashboard (dashboard-access.ts), where shared ones need
 * dashboards.manage to change.
 */
const read = permittedProcedure('kpi.read');

const visibility = z.enum(['personal', 'shared'], { error: 'Choose personal or shared' });
const message = z.string().trim().max(500, 'At most 500 characters');
const version = z.number().int().min(1);
const slug = z.string().trim().min(1).max(80);

export const dashboardsRouter = router({
  /** The caller's own, those shared with their roles, and the shipped ones among these. */
  list: read.query(async ({ ctx }) => listDashboards(ctx.tx, await viewerOf(ctx.tx, ctx.principal))),
  /** One dashboard by slug or id, with what the caller may do with it. */
  get: read
    .input(z.union([z.object({ id }), z.object({ slug })]))
    .query(async ({ ctx, input }) => findDashboard(ctx.tx, await viewerOf(ctx.tx, ctx.principal), input)),
  create: read
    .input(
      z.object({
        name,
        description: description.optional(),
        visibility: visibility.default('personal'),
        definition: definitionSchema,
        message: message.optional(),
      }),
    )
    .mutation(({ ctx, input }) => createDashboard(ctx, input)),
  /** A new version against the one the editor saw; a stale one is a conflict. */
  update: read
    .input(
      z
        .object({
          id,
          expectedVersion: version,
          name: name.optional(),
          description: description.optional(),
          definition: definitionSchema.optional(),
          message: message.optional(),
        })
        .refine((i) => i.name !== undefined || i.description !== undefined || i.definition !== undefined, {
          message: 'Nothing to save',
        }),
    )
    .mutation(({ ctx, input }) => updateDashboard(ctx, input)),
  versions: read.input(z.object({ id })).query(async ({ ctx, input }) => {
    await findDashboard(ctx.tx, await viewerOf(ctx.tx, ctx.principal), input);
    return listVersions(ctx.tx, input.id);
  }),
  /** Widgets added, removed, moved and changed, and settings changed, from one version to another. */
  diff: read
    .input(z.object({ id, from: version, to: version }))
    .query(({ ctx, input }) => diffVersions(ctx, input)),
  /** Saves an old version again as the newest. */
  restore: read
    .input(z.object({ id, version, expectedVersion: version, message: message.optional() }))
    .mutation(({ ctx, input }) => restoreVersion(ctx, input)),
  /** Shares with exactly these roles (needs dashboards.manage); a personal dashboard becomes shared. */
  share: read
    .input(z.object({ id, roleIds: z.array(id).max(100) }))
    .mutation(({ ctx, input }) => shareDashboard(ctx, input)),
  /**
   * The roles a dashboard can be shared with, for whoever may share (dashboards.manage): sharing is
   * no reason to need roles.read.
   */
  roles: read.query(({ ctx }) => shareableRoles(ctx)),
  /** Makes a shared dashboard personal again, its maker's. */
  unshare: read.input(z.object({ id })).mutation(({ ctx, input }) => unshareDashboard(ctx, input)),
  /** A personal copy of a dashboard the caller sees. */
  copy: read
    .input(z.object({ id, name: name.optional() }))
    .mutation(({ ctx, input }) => copyDashboard(ctx, input)),
  delete: read.input(z.object({ id })).mutation(({ ctx, input }) => deleteDashboard(ctx, input)),
  /** The name and definition as a JSON document, with no ids of the tenant. */
  export: read.input(z.object({ id })).query(({ ctx, input }) => exportDashboard(ctx, input)),
  /** A new dashboard from an exported document; a slug already taken gets the next free one. */
  import: read
    .input(
      z.object({ document: z.unknown(), visibility: visibility.default('personal'), name: name.optional() }),
    )
    .mutation(({ ctx, input }) => importDashboard(ctx, input)),
});
