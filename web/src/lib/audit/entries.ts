import type { Permission } from '../api-types';

/* How an audit entry's who, what and when read in the viewer and in a record's history. */

/** The entity types the modules record, as people name them; others are named from their key. */
export const ENTITY_TYPE_LABELS: Readonly<Record<string, string>> = {
  user: 'User',
  role: 'Role',
  api_key: 'API key',
  device_credential: 'Device login',
  telemetry_deadband: 'Telemetry deadband',
  sparkplug_rule: 'Sparkplug B rule',
  plant: 'Plant',
  area: 'Area',
  line: 'Line',
  machine: 'Machine',
  station: 'Station',
  product: 'Product',
  production_order: 'Production order',
  downtime_reason: 'Downtime reason',
  shift_pattern: 'Shift pattern',
  defect_code: 'Defect code',
  inspection_plan: 'Inspection plan',
  inspection: 'Inspection',
  custom_field: 'Custom field',
  type_list: 'Type list',
  numbering_scheme: 'Numbering scheme',
  change_order: 'Change order',
  ncr: 'NCR',
  printer: 'Printer',
  barcode_label: 'Label',
  label_print: 'Label print',
  label_template: 'Label template',
  customer: 'Customer',
  customer_address: 'Ship-to address',
  carrier: 'Carrier',
  delivery_request: 'Delivery request',
};

/** `shift_pattern` → "Shift pattern"; a known type by its label. */
export function entityTypeLabel(entityType: string): string {
  const known = ENTITY_TYPE_LABELS[entityType];
  if (known !== undefined) return known;
  const words = entityType.replace(/[_.-]+/g, ' ').trim();
  return words === '' ? entityType : words.charAt(0).toUpperCase() + words.slice(1);
}

export interface EntryActor {
  actorKind: 'user' | 'api-key' | 'system';
  actorName: string;
  onBehalfOfUserId: string | null;
}

/**
 * Who acted, as one text: the user's name; an API key's name marked as a key, and the user it acted
 * for when there is one (named when `userName` knows them).
 */
export function actorLabel(
  entry: EntryActor,
  userName: (id: string) => string | undefined = () => undefined,
) {
  const name = entry.actorName.trim() === '' ? 'Unknown' : entry.actorName;
  const who =
    entry.actorKind === 'api-key'
      ? `${name} (API key)`
      : entry.actorKind === 'system'
        ? `${name} (system)`
        : name;
  if (entry.onBehalfOfUserId === null) return who;
  return `${who} on behalf of ${userName(entry.onBehalfOfUserId) ?? 'a user'}`;
}

export interface EntryRecord {
  entityType: string;
  entityId: string;
  entityLabel: string | null;
  plantId: string | null;
}

/**
 * The page that shows an entry's record, if there is one and the viewer may open it; null otherwise
 * (the record then shows as text only). Links go where the record is edited or shown in full.
 */
export function recordHref(record: EntryRecord, permissions: readonly string[]): string | null {
  const may = (...wanted: Permission[]) => wanted.some((p) => permissions.includes(p));
  const id = encodeURIComponent(record.entityId);
  const recordPage = () => {
    const params = new URLSearchParams({ code: record.entityLabel ?? record.entityId.slice(0, 8) });
    return `/config/records/${record.entityType}/${id}?${params}`;
  };
  const plantPage = (plantId: string | null) =>
    plantId === null ? '/admin/plants' : `/admin/plants?plant=${encodeURIComponent(plantId)}`;
  switch (record.entityType) {
    case 'machine':
      if (may('kpi.read')) return `/machines/${id}`;
      return may('config.read') ? recordPage() : null;
    case 'product':
    case 'line':
    case 'production_order':
      return may('config.read') ? recordPage() : null;
    case 'change_order':
      return may('changes.read') ? `/change-orders/${id}` : null;
    case 'type_list':
      return may('config.read') ? `/config/type-lists/${id}` : null;
    case 'custom_field':
      return may('config.read') ? '/config/fields' : null;
    case 'user':
      return may('users.read') ? '/admin/users' : null;
    case 'role':
      return may('roles.read') ? '/admin/roles' : null;
    case 'api_key':
      return may('apikeys.manage') ? '/admin/api-keys' : null;
    case 'device_credential':
      return may('devices.manage') ? '/admin/device-logins' : null;
    case 'telemetry_deadband':
      return may('masterdata.read') ? '/admin/telemetry-deadbands' : null;
    case 'sparkplug_rule':
      return may('masterdata.read') ? '/admin/sparkplug' : null;
    case 'plant':
      return may('plants.read', 'masterdata.read') ? plantPage(record.entityId) : null;
    case 'area':
    case 'station':
      return may('masterdata.read') ? plantPage(record.plantId) : null;
    case 'downtime_reason':
    case 'shift_pattern':
      return may('masterdata.read') ? '/admin/production' : null;
    case 'ncr':
      return may('quality.read') ? `/quality/ncrs/${id}` : null;
    case 'barcode_label':
      return may('logistics.read') ? `/logistics/labels/${id}` : null;
    case 'printer':
      return may('logistics.manage') ? '/logistics/printers' : null;
    case 'customer':
      return may('logistics.read') ? `/logistics/customers/${id}` : null;
    case 'carrier':
      return may('logistics.read') ? '/logistics/carriers' : null;
    case 'delivery_request':
      return may('logistics.read') ? `/logistics/requests/${id}` : null;
    default:
      return null;
  }
}

/** The zone the browser runs in: the viewer's, in which the trail's times are shown. */
export function viewerTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** An entry's date and time of day to the second in `timeZone`; null for what is not an instant. */
export function auditTimeParts(iso: string, timeZone?: string): { date: string; time: string } | null {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return null;
  const date = new Intl.DateTimeFormat('en-CA', { timeZone, dateStyle: 'short' }).format(at);
  const time = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).format(at);
  return { date, time };
}

/** An entry's time to the second, date first (sorts and reads the same everywhere). */
export function formatAuditTime(iso: string, timeZone?: string): string {
  const parts = auditTimeParts(iso, timeZone);
  return parts === null ? iso : `${parts.date} ${parts.time}`;
}

/** The trail filtered to one record: where a record's history links to see it among the rest. */
export function trailHref(entityType: string, entityId: string): string {
  return `/admin/audit?${new URLSearchParams({ entityType, entityId })}`;
}
