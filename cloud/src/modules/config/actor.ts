import type { Principal } from '../../trpc/principal.js';

/**
 * Who changes a definition: the tenant it belongs to, the user recorded in its history, and the
 * plants in their reach (a change that checks stored values must see all of them).
 */
export interface Actor {
  tenantId: string;
  userId: string | null;
  plantIds: readonly string[] | 'all';
}

export const actorOf = (principal: Principal): Actor => ({
  tenantId: principal.tenantId,
  userId: principal.userId,
  plantIds: principal.plantIds,
});

export const reaches = (actor: Actor, plantId: string) =>
  actor.plantIds === 'all' || actor.plantIds.includes(plantId);
