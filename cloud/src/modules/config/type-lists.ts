import { tables } from '@plantline/schema';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import {
  auditCreate,
  auditUpdate,
  DomainError,
  notFound,
  type Scope,
  unlessTaken,
} from '../../platform/index.js';
import { recordChange } from './history.js';

/*
 * Type lists (docs/configuration.md, "Type lists"): the pick lists of select fields. Options are
 * deactivated, never deleted, so values that chose them stay readable; codes are unique per list.
 * Every change bumps the list's version and appends the whole list, as it now is, to the change
 * history; the audit trail gets the list's own changes as `type_list.<verb>` and each option's as
 * `type_list_value.<verb>`, named `<list code>/<option code>`.
 */

const list = tables.typeLists;
const option = tables.typeListValues;

export interface TypeListFields {
  code: string;
  name: string;
  description?: string | null | undefined;
}

export interface OptionFields {
  code: string;
  label: string;
  colour?: string | null | undefined;
}

const optionColumns = {
  id: option.id,
  code: option.code,
  label: option.label,
  colour: option.colour,
  sortOrder: option.sortOrder,
  isActive: option.isActive,
};

const listColumns = {
  id: list.id,
  code: list.code,
  name: list.name,
  description: list.description,
  isActive: list.isActive,
  version: list.version,
  updatedAt: list.updatedAt,
};

const takenListCode = () =>
  new DomainError('conflict', 'A type list with that code exists', { code: 'Already in use' });
const takenOptionCode = () =>
  new DomainError('conflict', 'That code is already in this list', { code: 'Already in this list' });

const outerId = sql.raw('"type_lists"."id"');

export function listTypeLists(tx: Sql, input: { includeInactive?: boolean | undefined }) {
  return tx
    .select({
      ...listColumns,
      // Qualified by hand: inside a subquery drizzle writes the outer column as a bare "id".
      options: sql<number>`(select count(*)::int from ${option} o where o.type_list_id = ${outerId})`,
      activeOptions: sql<number>`(select count(*)::int from ${option} o where o.type_list_id = ${outerId} and o.is_active)`,
      fields: sql<number>`(select count(*)::int from ${tables.customFields} f where f.type_list_id = ${outerId})`,
    })
    .from(list)
    .where(input.includeInactive === true ? undefined : eq(list.isActive, true))
    .orderBy(asc(list.name));
}

export function listOptions(tx: Sql, typeListId: string) {
  return tx
    .select(optionColumns)
    .from(option)
    .where(eq(option.typeListId, typeListId))
    .orderBy(asc(option.sortOrder), asc(option.label));
}

/** What the audit trail needs of a list to name its options. */
export interface ListRef {
  id: string;
  code: string;
}

/** A list as the audit trail records it: its own fields, without the version the history keeps. */
const auditedList = (l: typeof list.$inferSelect) => ({
  id: l.id,
  code: l.code,
  name: l.name,
  description: l.description,
  isActive: l.isActive,
});

/** An option as the audit trail records it: with its list's code. */
const auditedOption = (of: ListRef, o: typeof option.$inferSelect) => ({
  row: {
    id: o.id,
    typeListId: of.id,
    typeListCode: of.code,
    code: o.code,
    label: o.label,
    colour: o.colour,
    sortOrder: o.sortOrder,
    isActive: o.isActive,
  },
  record: { label: `${of.code}/${o.code}` },
});

export async function getTypeList(tx: Sql, id: string) {
  const [found] = await tx.select(listColumns).from(list).where(eq(list.id, id));
  if (found === undefined) throw notFound('Type list');
  return { ...found, options: await listOptions(tx, id) };
}

/** Bumps the list's version and records it, options included, in the history. */
export async function recordListChange(tx: Sql, actor: Scope, id: string, action: string, summary: string) {
  await tx
    .update(list)
    .set({ version: sql`${list.version} + 1`, updatedAt: sql`now()` })
    .where(eq(list.id, id));
  const snapshot = await getTypeList(tx, id);
  await recordChange(tx, {
    tenantId: actor.tenantId,
    subject: 'type_list',
    subjectId: id,
    version: snapshot.version,
    action,
    summary,
    snapshot,
    changedBy: actor.userId ?? null,
  });
  return snapshot;
}

export async function createTypeList(
  tx: Sql,
  actor: Scope,
  input: TypeListFields & { options?: OptionFields[] | undefined },
) {
  const [created] = await unlessTaken(
    tx
      .insert(list)
      .values({
        tenantId: actor.tenantId,
        code: input.code,
        name: input.name,
        description: input.description ?? null,
      })
      .returning(),
    takenListCode,
  );
  if (created === undefined) throw takenListCode();
  const options = input.options ?? [];
  const codes = new Set(options.map((o) => o.code));
  if (codes.size !== options.length) throw takenOptionCode();
  const inserted =
    options.length === 0
      ? []
      : await tx
          .insert(option)
          .values(
            options.map((o, i) => ({
              tenantId: actor.tenantId,
              typeListId: created.id,
              code: o.code,
              label: o.label,
              colour: o.colour ?? null,
              sortOrder: i + 1,
            })),
          )
          .returning();
  auditCreate(tx, 'type_list', auditedList(created), { label: created.code });
  for (const o of inserted) {
    const { row, record } = auditedOption(created, o);
    auditCreate(tx, 'type_list_value', row, record);
  }
  // Version 1 is the list as created (the insert's default); the history starts with it.
  const snapshot = await getTypeList(tx, created.id);
  await recordChange(tx, {
    tenantId: actor.tenantId,
    subject: 'type_list',
    subjectId: created.id,
    version: 1,
    action: 'created',
    summary: `Created ${input.name} with ${options.length} option${options.length === 1 ? '' : 's'}`,
    snapshot,
    changedBy: actor.userId ?? null,
  });
  return snapshot;
}

export async function updateTypeList(
  tx: Sql,
  actor: Scope,
  id: string,
  patch: Partial<TypeListFields> & { isActive?: boolean | undefined },
) {
  const [before] = await tx.select().from(list).where(eq(list.id, id)).for('update');
  if (before === undefined) throw notFound('Type list');
  const [updated] = await unlessTaken(
    tx.update(list).set(patch).where(eq(list.id, id)).returning(),
    takenListCode,
  );
  if (updated === undefined) throw notFound('Type list');
  auditUpdate(tx, 'type_list', auditedList(before), auditedList(updated), { label: updated.code });
  const summary =
    patch.isActive === false
      ? `Deactivated ${updated.name}`
      : patch.isActive === true
        ? `Reactivated ${updated.name}`
        : `Changed ${Object.keys(patch).join(', ')}`;
  return recordListChange(tx, actor, id, patch.isActive === false ? 'deactivated' : 'changed', summary);
}

/** Adds an option at the end of the list, audited, without a history entry (the caller records one). */
export async function insertOption(
  tx: Sql,
  actor: Scope,
  of: ListRef,
  input: OptionFields & { isActive?: boolean },
) {
  const [inserted] = await unlessTaken(
    tx
      .insert(option)
      .values({
        tenantId: actor.tenantId,
        typeListId: of.id,
        code: input.code,
        label: input.label,
        colour: input.colour ?? null,
        isActive: input.isActive ?? true,
        sortOrder: sql`(select coalesce(max(sort_order), 0) + 1 from ${option} where type_list_id = ${of.id})`,
      })
      .returning(),
    takenOptionCode,
  );
  if (inserted === undefined) throw takenOptionCode();
  const { row, record } = auditedOption(of, inserted);
  auditCreate(tx, 'type_list_value', row, record);
}

/** Changes an option, audited, without a history entry; returns its list and label. */
export async function patchOption(
  tx: Sql,
  optionId: string,
  patch: Partial<OptionFields> & { isActive?: boolean | undefined },
) {
  const [before] = await tx
    .select({ option, listCode: list.code })
    .from(option)
    .innerJoin(list, eq(list.id, option.typeListId))
    .where(eq(option.id, optionId))
    .for('update', { of: option });
  if (before === undefined) throw notFound('Option');
  const [updated] = await unlessTaken(
    tx.update(option).set(patch).where(eq(option.id, optionId)).returning(),
    takenOptionCode,
  );
  if (updated === undefined) throw notFound('Option');
  const of = { id: updated.typeListId, code: before.listCode };
  const after = auditedOption(of, updated);
  auditUpdate(tx, 'type_list_value', auditedOption(of, before.option).row, after.row, after.record);
  return updated;
}

export async function addOption(tx: Sql, actor: Scope, typeListId: string, input: OptionFields) {
  const of = await getTypeList(tx, typeListId);
  await insertOption(tx, actor, of, input);
  return recordListChange(tx, actor, typeListId, 'option added', `Added ${input.label}`);
}

export async function updateOption(
  tx: Sql,
  actor: Scope,
  optionId: string,
  patch: Partial<OptionFields> & { isActive?: boolean | undefined },
) {
  const updated = await patchOption(tx, optionId, patch);
  const summary =
    patch.isActive === false
      ? `Deactivated ${updated.label}`
      : patch.isActive === true
        ? `Reactivated ${updated.label}`
        : `Changed ${updated.label}: ${Object.keys(patch).join(', ')}`;
  return recordListChange(tx, actor, updated.typeListId, 'option changed', summary);
}

/**
 * Sets the options' order (ids in their new order), without a history entry. The audit trail gets
 * `type_list.reorder` with the option codes in their old and new order.
 */
export async function writeOptionOrder(tx: Sql, of: ListRef, optionIds: string[]) {
  if (optionIds.length === 0) return;
  const codesInOrder = async () => (await listOptions(tx, of.id)).map((o) => o.code);
  const before = await codesInOrder();
  await tx.execute(sql`
    update ${option} set sort_order = o.position
      from unnest(${sql.param(optionIds)}::uuid[]) with ordinality as o(id, position)
     where ${option.id} = o.id and ${option.typeListId} = ${of.id}`);
  auditUpdate(
    tx,
    'type_list',
    { id: of.id, optionOrder: before },
    { id: of.id, optionOrder: await codesInOrder() },
    { label: of.code },
    'reorder',
  );
}

/** New order of all of a list's options; anything but the same set of ids is refused. */
export async function reorderOptions(tx: Sql, actor: Scope, typeListId: string, optionIds: string[]) {
  const of = await getTypeList(tx, typeListId);
  const current = of.options;
  const known = new Set(current.map((o) => o.id));
  if (
    optionIds.length !== known.size ||
    new Set(optionIds).size !== known.size ||
    optionIds.some((id) => !known.has(id))
  )
    throw new DomainError('invalid', 'Send every option of the list exactly once', {
      optionIds: 'Not the list',
    });
  await writeOptionOrder(tx, of, optionIds);
  return recordListChange(tx, actor, typeListId, 'reordered', 'Reordered the options');
}

/** The options a select field offers, by list, for validation and forms. */
export async function optionsByList(tx: Sql, typeListIds: readonly string[]) {
  const byList = new Map<string, Awaited<ReturnType<typeof listOptions>>>();
  if (typeListIds.length === 0) return byList;
  const found = await tx
    .select({ ...optionColumns, typeListId: option.typeListId })
    .from(option)
    .where(and(sql`${option.typeListId} = any(${sql.param([...new Set(typeListIds)])}::uuid[])`))
    .orderBy(asc(option.sortOrder), asc(option.label));
  for (const { typeListId, ...o } of found) {
    const options = byList.get(typeListId) ?? [];
    options.push(o);
    byList.set(typeListId, options);
  }
  return byList;
}
