import type { Principal } from '../../trpc/principal.js';

/** Who changes a definition: the tenant it belongs to and the user recorded in its history. */
export interface Actor {
  tenantId: string;
  userId: string | null;
}

export const actorOf = (principal: Principal): Actor => ({
  tenantId: principal.tenantId,
  userId: principal.userId,
});
