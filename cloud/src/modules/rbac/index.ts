export {
  assertMayManageUser,
  type ManagedUser,
  replaceUserPlants,
  replaceUserRoles,
  setUserPlants,
  setUserRoles,
} from './assignments.js';
export { assertCanGrant } from './grants.js';
export { rbacRouter } from './rbac.router.js';
