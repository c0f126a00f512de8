import { fieldKeySchema, fieldSettingsSchema, fieldTypes } from '@plantline/schema/configuration';
import { z } from 'zod';
import {
  catalogueCodeInput as code,
  colourInput as colour,
  DomainError,
  idInput as id,
  nameInput as label,
  type Principal,
  patchOf,
} from '../../platform/index.js';
import { permittedProcedure, router } from '../../trpc/procedures.js';
import { loadFields } from './definitions.js';
import { entityType, entityTypeKeys, entityTypes } from './entity-types.js';
import { recordValues, setCustomValues } from './field-values.js';
import { createField, planFieldChange, reorderFields, setFieldActive, updateField } from './fields.js';
import { changeHistory } from './history.js';
import { numberingRouter } from './numbering.router.js';
import { filterOps, listRecords } from './records.js';
import { exportTypeListCsv, importTypeListCsv } from './type-list-csv.js';
import {
  addOption,
  createTypeList,
  getTypeList,
  listTypeLists,
  reorderOptions,
  updateOption,
  updateTypeList,
} from './type-lists.js';
import { userChoices } from './user-choices.js';

/*
 * The configuration engine's API (docs/configuration.md). Thin: validate, call, return. Definitions
 * are read with config.read (every role: forms need them) and changed with config.manage; record
 * values are written with fields.fill, and records are listed only with their entity type's own
 * read permission.
 */

const read = permittedProcedure('config.read');
const manage = permittedProcedure('config.manage');
const fill = permittedProcedure('fields.fill');

const entityTypeInput = z.enum(entityTypeKeys, { error: `Choose one of ${entityTypeKeys.join(', ')}` });

const fieldSpec = z.object({
  key: fieldKeySchema,
  label,
  type: z.enum(fieldTypes, { error: `Choose one of ${fieldTypes.join(', ')}` }),
  typeListId: id.nullish(),
  required: z.boolean().optional(),
  defaultValue: z.unknown().optional(),
  settings: fieldSettingsSchema.optional(),
  helpText: z.string().trim().max(500).nullish(),
  groupName: z.string().trim().max(60).nullish(),
  plantId: id.nullish(),
});
const fieldPatch = patchOf(fieldSpec);

const optionInput = z.object({ code, label, colour: colour.nullish() });

const filter = z.object({
  field: fieldKeySchema,
  op: z.enum(filterOps),
  value: z.unknown().optional(),
  values: z.array(z.unknown()).max(100).optional(),
  min: z.unknown().optional(),
  max: z.unknown().optional(),
});

/** Listing records needs the entity type's own read permission as well as config.read. */
function canRead(principal: Principal, key: string) {
  const type = entityType(key);
  if (!principal.permissions.has(type.readPermission))
    throw new DomainError('forbidden', `This needs the permission ${type.readPermission}`);
}

export const configRouter = router({
  entityTypes: read.query(() =>
    entityTypes.map((t) => ({
      key: t.key,
      label: t.label,
      plural: t.plural,
      plantScoped: t.plantColumn !== null,
      contextLabel: t.context?.label ?? null,
    })),
  ),
  fields: router({
    /** An entity type's fields in form order, with their type lists' options; retired ones too. */
    list: read
      .input(z.object({ entityType: entityTypeInput, includeRetired: z.boolean().optional() }))
      .query(async ({ ctx, input }) => {
        const fields = await loadFields(ctx.tx, input.entityType);
        return input.includeRetired === true ? fields : fields.filter((f) => f.isActive);
      }),
    create: manage
      .input(fieldSpec.extend({ entityType: entityTypeInput }))
      .mutation(({ ctx, input }) => createField(ctx.tx, ctx.principal, input)),
    /** What a change would do to stored values: how many checked, and the first conflicts. */
    checkChange: manage.input(z.object({ id, patch: fieldPatch })).query(async ({ ctx, input }) => {
      const plan = await planFieldChange(ctx.tx, ctx.principal, input.id, input.patch);
      return {
        checked: plan.checked,
        conflictCount: plan.conflictCount,
        conflicts: plan.conflicts,
        rewrite: plan.rewrite,
      };
    }),
    update: manage
      .input(z.object({ id, patch: fieldPatch }))
      .mutation(({ ctx, input }) => updateField(ctx.tx, ctx.principal, input.id, input.patch)),
    retire: manage
      .input(z.object({ id }))
      .mutation(({ ctx, input }) => setFieldActive(ctx.tx, ctx.principal, input.id, false)),
    restore: manage
      .input(z.object({ id }))
      .mutation(({ ctx, input }) => setFieldActive(ctx.tx, ctx.principal, input.id, true)),
    reorder: manage
      .input(z.object({ entityType: entityTypeInput, fieldIds: z.array(id).max(500) }))
      .mutation(({ ctx, input }) => reorderFields(ctx.tx, ctx.principal, input.entityType, input.fieldIds)),
    history: read.input(z.object({ id })).query(({ ctx, input }) => changeHistory(ctx.tx, input.id)),
  }),
  typeLists: router({
    list: read
      .input(z.object({ includeInactive: z.boolean().optional() }))
      .query(({ ctx, input }) => listTypeLists(ctx.tx, input)),
    get: read.input(z.object({ id })).query(({ ctx, input }) => getTypeList(ctx.tx, input.id)),
    create: manage
      .input(
        z.object({
          code,
          name: label,
          description: z.string().trim().max(500).nullish(),
          options: z.array(optionInput).max(500).optional(),
        }),
      )
      .mutation(({ ctx, input }) => createTypeList(ctx.tx, ctx.principal, input)),
    update: manage
      .input(
        z.object({
          id,
          patch: patchOf({
            code,
            name: label,
            description: z.string().trim().max(500).nullable(),
            isActive: z.boolean(),
          }),
        }),
      )
      .mutation(({ ctx, input }) => updateTypeList(ctx.tx, ctx.principal, input.id, input.patch)),
    addOption: manage
      .input(optionInput.extend({ typeListId: id }))
      .mutation(({ ctx, input }) => addOption(ctx.tx, ctx.principal, input.typeListId, input)),
    updateOption: manage
      .input(
        z.object({
          id,
          patch: patchOf(optionInput.extend({ isActive: z.boolean() })),
        }),
      )
      .mutation(({ ctx, input }) => updateOption(ctx.tx, ctx.principal, input.id, input.patch)),
    reorder: manage
      .input(z.object({ id, optionIds: z.array(id).max(5000) }))
      .mutation(({ ctx, input }) => reorderOptions(ctx.tx, ctx.principal, input.id, input.optionIds)),
    exportCsv: read.input(z.object({ id })).query(({ ctx, input }) => exportTypeListCsv(ctx.tx, input.id)),
    /** Options from CSV (code, label, colour, active, order); a dry run reports without changing. */
    importCsv: manage
      .input(z.object({ id, csv: z.string().max(2_000_000, 'At most 2 MB'), dryRun: z.boolean() }))
      .mutation(({ ctx, input }) =>
        importTypeListCsv(ctx.tx, ctx.principal, input.id, input.csv, input.dryRun),
      ),
    history: read.input(z.object({ id })).query(({ ctx, input }) => changeHistory(ctx.tx, input.id)),
  }),
  numbering: numberingRouter,
  /**
   * Active users to choose in a user reference field: id and name only, for anyone who fills in
   * forms (users.list, with emails and roles, needs users.read).
   */
  userChoices: read.query(({ ctx }) => userChoices(ctx.tx)),
  records: router({
    /** Records of an entity type with custom columns, filtered and sorted, a page at a time. */
    list: read
      .input(
        z.object({
          entityType: entityTypeInput,
          plantId: id.optional(),
          search: z.string().trim().max(100).optional(),
          includeInactive: z.boolean().optional(),
          filters: z.array(filter).max(20).optional(),
          sort: z.object({ by: z.string().max(63), dir: z.enum(['asc', 'desc']) }).optional(),
          columns: z.array(fieldKeySchema).max(50).optional(),
          limit: z.number().int().min(1).max(200).default(50),
          cursor: z.string().max(2000).optional(),
          withTotal: z.boolean().optional(),
        }),
      )
      .query(({ ctx, input }) => {
        canRead(ctx.principal, input.entityType);
        return listRecords(ctx.tx, ctx.principal.tenantId, input);
      }),
    /** One record's applicable fields and stored values, for its form. */
    get: read.input(z.object({ entityType: entityTypeInput, entityId: id })).query(({ ctx, input }) => {
      canRead(ctx.principal, input.entityType);
      return recordValues(ctx.tx, input);
    }),
    /** Sets some of a record's custom values (null clears); every invalid value is reported at once. */
    setValues: fill
      .input(
        z.object({
          entityType: entityTypeInput,
          entityId: id,
          values: z.record(fieldKeySchema, z.unknown()).refine((v) => Object.keys(v).length <= 200),
        }),
      )
      .mutation(async ({ ctx, input }) => {
        canRead(ctx.principal, input.entityType);
        // A record under a workflow may lock these fields, and changing them voids pending signatures.
        const edit = {
          entityType: input.entityType,
          entityId: input.entityId,
          fields: Object.keys(input.values).map((key) => `custom.${key}`),
        };
        await ctx.deps.recordEdits.check(ctx, edit);
        const saved = await setCustomValues(ctx.tx, ctx.principal, input);
        await ctx.deps.recordEdits.edited(ctx, edit);
        return saved;
      }),
  }),
});
