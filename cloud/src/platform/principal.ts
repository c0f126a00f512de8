import type { Permission } from '@plantline/schema';

/**
 * Who is calling: a signed-in user or an API key, with what they may do and where. The one caller
 * type: the database scope and the configuration engine's change records take the projection
 * `Scope` of it, never a shape of their own.
 */
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

/**
 * The part of a caller that database work sees (the row-level security settings, cloud/src/db/scope.ts)
 * and that change histories record. Work done before a user is known (sign-in, jobs) leaves `userId` out.
 */
export type Scope = Pick<Principal, 'tenantId' | 'plantIds'> & Partial<Pick<Principal, 'userId'>>;

export function scopeOf(principal: Principal): Scope {
  return { tenantId: principal.tenantId, userId: principal.userId, plantIds: principal.plantIds };
}

export function canSeePlant(caller: Pick<Principal, 'plantIds'>, plantId: string): boolean {
  return caller.plantIds === 'all' || caller.plantIds.includes(plantId);
}
