import { error } from '@sveltejs/kit';
import type { Permission, Session } from '$lib/api-types';

/**
 * A page that needs a permission the user lacks says so plainly (the API would refuse its calls anyway);
 * the navigation does not offer such pages, but a bookmark or a link from someone else can.
 */
export function requireAny(session: Session, ...permissions: Permission[]): void {
  if (!permissions.some((p) => session.permissions.includes(p))) {
    error(
      403,
      `This page needs the permission ${permissions.join(' or ')}, which your roles do not include.`,
    );
  }
}
