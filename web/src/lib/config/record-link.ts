import type { EntityTypeKey } from './api-types';

/**
 * The page with a record's custom fields. records.get returns no code or name, so the link carries
 * them for the heading.
 */
export function recordHref(
  entityType: EntityTypeKey,
  record: { id: string; code: string; name?: string | null },
): string {
  const params = new URLSearchParams({ code: record.code, ...(record.name ? { name: record.name } : {}) });
  return `/config/records/${entityType}/${record.id}?${params}`;
}
