import type { Permission } from '@plantline/schema';
import type { DbScope } from '../db/index.js';

/** Who is calling: a signed-in user or an API key, with what they may do and where. */
export interface Principal {
  kind: 'user' | 'api-key';
  tenantId: string;
  userId: string | null;
  apiKeyId: string | null;
  sessionId: string | null;
  permissions: ReadonlySet<Permission>;
  /** Plants in reach; 'all' when the principal holds plants.all. */
  plantIds: readonly string[] | 'all';
}

export function scopeOf(principal: Principal): DbScope {
  return { tenantId: principal.tenantId, userId: principal.userId, plantIds: principal.plantIds };
}

export function canSeePlant(principal: Principal, plantId: string): boolean {
  return principal.plantIds === 'all' || principal.plantIds.includes(plantId);
}
