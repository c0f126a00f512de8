import { definitionSchema, workflowKeySchema } from '@plantline/schema/workflow';
import { z } from 'zod';
import { idInput as id, nameInput, scopeOf } from '../../platform/index.js';
import { permittedProcedure, router } from '../../trpc/procedures.js';
import { createWorkflow, getWorkflow, listWorkflows, updateWorkflow } from './definitions.js';
import { migrateInstances, migrationPreview } from './migrate-instances.js';
import { publishVersion } from './publish.js';
import { diffVersions, saveDraft, startDraft, validateVersion, versionView } from './versions.js';

/*
 * Workflow definitions for the designer (docs/workflows.md, "Versions and publishing", "Moving running
 * instances"): everything here needs workflows.manage.
 */
const manage = permittedProcedure('workflows.manage');

const description = z.string().trim().max(2000);
const versionNumber = z.number().int().min(1).max(100_000);
const revision = z.number().int().min(1);
const note = z.string().trim().max(1000);

export const definitionsRouter = router({
  list: manage.query(({ ctx }) => listWorkflows(ctx.tx, ctx.deps.workflowEntities)),
  create: manage
    .input(
      z.object({
        key: workflowKeySchema,
        name: nameInput,
        entityType: z.string().min(1).max(63),
        description: description.optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const created = await createWorkflow(ctx.tx, scopeOf(ctx.principal), ctx.deps.workflowEntities, input);
      return { id: created.id };
    }),
  get: manage
    .input(z.object({ id }))
    .query(({ ctx, input }) => getWorkflow(ctx.tx, ctx.deps.workflowEntities, input.id)),
  update: manage
    .input(z.object({ id, version: z.number().int().min(1), name: nameInput, description }))
    .mutation(({ ctx, input }) => updateWorkflow(ctx.tx, input)),
  version: manage
    .input(z.object({ versionId: id }))
    .query(({ ctx, input }) => versionView(ctx.tx, input.versionId)),
  startDraft: manage
    .input(z.object({ workflowId: id, fromVersion: versionNumber.optional() }))
    .mutation(({ ctx, input }) => startDraft(ctx.tx, scopeOf(ctx.principal), input)),
  saveDraft: manage
    .input(z.object({ versionId: id, revision, definition: definitionSchema, note: note.optional() }))
    .mutation(({ ctx, input }) => saveDraft(ctx.tx, ctx.deps.workflowEntities, input)),
  validate: manage
    .input(z.object({ versionId: id }))
    .query(({ ctx, input }) => validateVersion(ctx.tx, ctx.deps.workflowEntities, input.versionId)),
  publish: manage
    .input(z.object({ versionId: id, revision, note: note.min(1, 'Say what this version changes') }))
    .mutation(({ ctx, input }) =>
      publishVersion(ctx.tx, scopeOf(ctx.principal), ctx.deps.workflowEntities, input),
    ),
  diff: manage
    .input(z.object({ fromVersionId: id, toVersionId: id }))
    .query(({ ctx, input }) => diffVersions(ctx.tx, input)),
  migrationPreview: manage
    .input(z.object({ workflowId: id, toVersion: versionNumber }))
    .query(({ ctx, input }) => migrationPreview(ctx.tx, ctx.deps.workflowEntities, input)),
  migrate: manage
    .input(
      z.object({
        workflowId: id,
        toVersion: versionNumber,
        mapping: z.record(workflowKeySchema, workflowKeySchema),
        reason: z.string().trim().min(1, 'Say why the instances move').max(1000),
      }),
    )
    .mutation(({ ctx, input }) => migrateInstances(ctx, input)),
});
