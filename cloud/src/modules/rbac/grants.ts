import type { Permission } from '@plantline/schema';
import { DomainError, type Principal } from '../../platform/index.js';

/**
 * Nobody hands out more than they hold: assigning a role, editing a role or creating an API key
 * with permissions the caller lacks would be a path to escalate one's own rights.
 */
export function assertCanGrant(principal: Principal, permissions: Iterable<Permission>): void {
  const missing = [...permissions].filter((p) => !principal.permissions.has(p));
  if (missing.length > 0) {
    throw new DomainError('forbidden', `You cannot grant permissions you do not hold: ${missing.join(', ')}`);
  }
}
