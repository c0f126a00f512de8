import { tables } from '@plantline/schema';
import {
  type FieldDefinition,
  type FieldSettings,
  fieldSettingsSchema,
} from '@plantline/schema/configuration';
import { and, asc, eq } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import { optionsByList } from './type-lists.js';

/*
 * Field definitions as validation and forms use them: the row, its settings parsed, and the options of
 * its type list. Read fresh in every call — a field an engineer adds is usable in the next request,
 * with no cache to invalidate across instances (docs/configuration.md, "Custom fields").
 */

const f = tables.customFields;

export const fieldColumns = {
  id: f.id,
  entityType: f.entityType,
  key: f.key,
  label: f.label,
  type: f.type,
  typeListId: f.typeListId,
  required: f.required,
  defaultValue: f.defaultValue,
  settings: f.settings,
  helpText: f.helpText,
  groupName: f.groupName,
  sortOrder: f.sortOrder,
  plantId: f.plantId,
  isActive: f.isActive,
  version: f.version,
  updatedAt: f.updatedAt,
};

export type FieldRow = Awaited<ReturnType<typeof selectFields>>[number];
export type LoadedField = FieldDefinition & { entityType: string; version: number; updatedAt: Date };

function selectFields(tx: Sql, where: ReturnType<typeof eq> | undefined) {
  return tx.select(fieldColumns).from(f).where(where).orderBy(asc(f.sortOrder), asc(f.label));
}

/**
 * Settings as stored. A row written by an older version whose pattern no longer passes (one RE2
 * cannot read, e.g. with lookahead) loses the pattern and keeps its other settings, so its values
 * are still read and written (field-patterns.test.ts).
 */
function settingsOf(raw: unknown): FieldSettings {
  const parsed = fieldSettingsSchema.safeParse(raw ?? {});
  if (parsed.success) return parsed.data;
  const withoutPattern = fieldSettingsSchema.safeParse({ ...(raw as object), pattern: null });
  return withoutPattern.success ? withoutPattern.data : {};
}

async function withOptions(tx: Sql, rows: FieldRow[]): Promise<LoadedField[]> {
  const options = await optionsByList(
    tx,
    rows.flatMap((r) => (r.typeListId === null ? [] : [r.typeListId])),
  );
  return rows.map((r) => ({
    ...r,
    settings: settingsOf(r.settings),
    ...(r.typeListId === null ? {} : { options: options.get(r.typeListId) ?? [] }),
  }));
}

/** An entity type's fields, active and retired, in form order. */
export async function loadFields(tx: Sql, entityType: string): Promise<LoadedField[]> {
  return withOptions(tx, await selectFields(tx, eq(f.entityType, entityType)));
}

export async function loadField(tx: Sql, id: string): Promise<LoadedField | undefined> {
  const [field] = await withOptions(tx, await selectFields(tx, and(eq(f.id, id))));
  return field;
}
