import { describe, expect, it } from 'vitest';
import {
  actorLabel,
  auditTimeParts,
  entityTypeLabel,
  formatAuditTime,
  recordHref,
  trailHref,
} from './entries';

const MACHINE_ID = '0190a5b0-0000-7000-8000-000000000001';
const PLANT_ID = '0190a5b0-0000-7000-8000-0000000000aa';

describe('audit entries as the viewer shows them', () => {
  it('names entity types, known ones by label and others from their key', () => {
    expect(entityTypeLabel('api_key')).toBe('API key');
    expect(entityTypeLabel('device_credential')).toBe('Device login');
    expect(entityTypeLabel('production_order')).toBe('Production order');
    expect(entityTypeLabel('audit_checkpoint')).toBe('Audit checkpoint');
    expect(entityTypeLabel('')).toBe('');
  });

  it('says who acted, marking API keys, the system and on whose behalf', () => {
    const user = { actorKind: 'user', actorName: 'Ada Admin', onBehalfOfUserId: null } as const;
    expect(actorLabel(user)).toBe('Ada Admin');
    expect(actorLabel({ ...user, actorKind: 'api-key', actorName: 'Edge RIV' })).toBe('Edge RIV (API key)');
    expect(actorLabel({ ...user, actorKind: 'system', actorName: 'Scheduler' })).toBe('Scheduler (system)');
    const delegated = { ...user, actorKind: 'api-key', actorName: 'ERP', onBehalfOfUserId: 'u1' } as const;
    expect(actorLabel(delegated)).toBe('ERP (API key) on behalf of a user');
    expect(actorLabel(delegated, (id) => (id === 'u1' ? 'Pat Planner' : undefined))).toBe(
      'ERP (API key) on behalf of Pat Planner',
    );
    expect(actorLabel({ ...user, actorName: ' ' })).toBe('Unknown');
  });

  it('links a record to its page, only where one exists and the viewer may open it', () => {
    const machine = { entityType: 'machine', entityId: MACHINE_ID, entityLabel: 'M1', plantId: PLANT_ID };
    expect(recordHref(machine, ['kpi.read'])).toBe(`/machines/${MACHINE_ID}`);
    expect(recordHref(machine, ['config.read'])).toBe(`/config/records/machine/${MACHINE_ID}?code=M1`);
    expect(recordHref(machine, ['audit.read'])).toBeNull();

    const order = {
      entityType: 'production_order',
      entityId: 'o1',
      entityLabel: 'PO 7/1',
      plantId: PLANT_ID,
    };
    expect(recordHref(order, ['config.read'])).toBe('/config/records/production_order/o1?code=PO+7%2F1');
    expect(recordHref({ ...order, entityType: 'type_list' }, ['config.read'])).toBe('/config/type-lists/o1');
    expect(recordHref({ ...order, entityType: 'role' }, ['roles.read'])).toBe('/admin/roles');
    expect(recordHref({ ...order, entityType: 'change_order' }, ['changes.read'])).toBe('/change-orders/o1');
    expect(recordHref({ ...order, entityType: 'change_order' }, ['config.read'])).toBeNull();
    expect(recordHref({ ...order, entityType: 'customer' }, ['logistics.read'])).toBe(
      '/logistics/customers/o1',
    );
    expect(recordHref({ ...order, entityType: 'delivery_request' }, ['logistics.read'])).toBe(
      '/logistics/requests/o1',
    );
    expect(recordHref({ ...order, entityType: 'carrier' }, ['logistics.read'])).toBe('/logistics/carriers');
    expect(recordHref({ ...order, entityType: 'customer' }, ['kpi.read'])).toBeNull();
    expect(recordHref({ ...order, entityType: 'role' }, ['users.read'])).toBeNull();
    expect(recordHref({ ...order, entityType: 'plant', entityId: PLANT_ID }, ['plants.read'])).toBe(
      `/admin/plants?plant=${PLANT_ID}`,
    );
    expect(recordHref({ ...order, entityType: 'station' }, ['masterdata.read'])).toBe(
      `/admin/plants?plant=${PLANT_ID}`,
    );
    expect(recordHref({ ...order, entityType: 'area', plantId: null }, ['masterdata.read'])).toBe(
      '/admin/plants',
    );
    // Records without a page of their own.
    expect(
      recordHref({ ...order, entityType: 'numbering_scheme' }, ['config.read', 'masterdata.read']),
    ).toBeNull();
    expect(recordHref({ ...order, entityType: 'sign-in' }, ['users.read'])).toBeNull();
  });

  it('shows times to the second in the given zone, date first', () => {
    expect(formatAuditTime('2026-03-29T00:59:59.500Z', 'Europe/Berlin')).toBe('2026-03-29 01:59:59');
    expect(formatAuditTime('2026-03-29T01:00:00.000Z', 'Europe/Berlin')).toBe('2026-03-29 03:00:00');
    expect(formatAuditTime('2026-01-05T23:30:00Z', 'America/Chicago')).toBe('2026-01-05 17:30:00');
    expect(formatAuditTime('not a time', 'UTC')).toBe('not a time');
    expect(auditTimeParts('2026-01-05T23:30:00Z', 'Asia/Tokyo')).toEqual({
      date: '2026-01-06',
      time: '08:30:00',
    });
    expect(auditTimeParts('', 'UTC')).toBeNull();
  });

  it('links to the trail filtered to one record', () => {
    expect(trailHref('role', 'r 1')).toBe('/admin/audit?entityType=role&entityId=r+1');
  });
});
