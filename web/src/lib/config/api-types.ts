import type { trpc } from '../trpc';

/* The configuration API's shapes, inferred from the cloud's router (type-only, like lib/api-types.ts). */
type Config = (typeof trpc)['config'];

export type EntityTypeKey = Parameters<Config['records']['list']['query']>[0]['entityType'];
export type EntityTypeInfo = Awaited<ReturnType<Config['entityTypes']['query']>>[number];
type RawFieldRow = Awaited<ReturnType<Config['fields']['list']['query']>>[number];
/** A field as listed, its default filled in (form-values.ts asDefinitions). */
export type FieldRow = RawFieldRow & { defaultValue: unknown };
export type FieldHistoryEntry = Awaited<ReturnType<Config['fields']['history']['query']>>[number];
export type ChangePlan = Awaited<ReturnType<Config['fields']['checkChange']['query']>>;
export type TypeListRow = Awaited<ReturnType<Config['typeLists']['list']['query']>>[number];
export type TypeListDetail = Awaited<ReturnType<Config['typeLists']['get']['query']>>;
export type ImportReport = Awaited<ReturnType<Config['typeLists']['importCsv']['mutate']>>;
export type RecordsPage = Awaited<ReturnType<Config['records']['list']['query']>>;
export type RecordForm = Awaited<ReturnType<Config['records']['get']['query']>>;

export const ENTITY_TYPE_KEYS = [
  'product',
  'machine',
  'line',
  'production_order',
  'change_order',
  'ncr',
  'customer',
  'delivery_request',
  'shipment',
  'transfer_order',
  'report',
  'material',
  'material_lot',
  'bom',
] as const satisfies readonly EntityTypeKey[];

/* A type error here: an entity type registered in the cloud (entity-types.ts) is missing above. */
type MissingEntityTypes = Exclude<EntityTypeKey, (typeof ENTITY_TYPE_KEYS)[number]>;
export const everyEntityTypeListed: [MissingEntityTypes] extends [never] ? true : MissingEntityTypes = true;

export function isEntityTypeKey(value: string): value is EntityTypeKey {
  return (ENTITY_TYPE_KEYS as readonly string[]).includes(value);
}
