import type { Permission } from '@plantline/schema';
import { describe, expect, it } from 'vitest';
import { type FoundRecord, searchableType, visibleTypes } from './registry.js';

const held = (...permissions: Permission[]) => new Set<Permission>(permissions);
const record: FoundRecord = {
  entityId: '0190a0a0-0000-7000-8000-000000000001',
  code: 'PO-RIV-2026-00012',
  title: null,
  plantId: '0190a0a0-0000-7000-8000-0000000000aa',
  context: null,
};
const linkOf = (type: string, permissions: ReadonlySet<Permission>, found = record) =>
  searchableType(type)?.link(found, permissions);

describe('the search registry', () => {
  it('shows a type only to holders of its permission, narrowed to the types asked for', () => {
    const keys = (types: { key: string }[]) => types.map((t) => t.key);
    expect(keys(visibleTypes(held('users.read', 'roles.read')))).toEqual(['user', 'role']);
    expect(keys(visibleTypes(held('masterdata.read', 'quality.read'), ['defect_code', 'user']))).toEqual([
      'defect_code',
    ]);
    expect(visibleTypes(held())).toEqual([]);
  });

  it('links to the record’s page when the caller may open it, else to its list', () => {
    expect(linkOf('production_order', held('masterdata.read', 'config.read'))).toBe(
      `/config/records/production_order/${record.entityId}?code=PO-RIV-2026-00012`,
    );
    expect(linkOf('production_order', held('masterdata.read'))).toBe(`/orders?plant=${record.plantId}`);
    expect(linkOf('machine', held('masterdata.read', 'kpi.read'))).toBe(`/machines/${record.entityId}`);
    expect(linkOf('machine', held('masterdata.read'))).toBe(`/admin/plants?plant=${record.plantId}`);
    expect(linkOf('product', held('config.read'), { ...record, code: 'A&B', title: 'x y' })).toBe(
      `/config/records/product/${record.entityId}?code=A%26B&name=x+y`,
    );
    expect(linkOf('custom_field', held(), { ...record, context: 'production_order' })).toBe(
      '/config/fields?entity=production_order',
    );
    // No page yet: the result is shown without a link.
    expect(linkOf('defect_code', held('quality.read'))).toBeNull();
  });
});
