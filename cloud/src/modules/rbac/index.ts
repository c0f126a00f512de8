export { assertMayManageUser, setUserPlants, setUserRoles } from './assignments.js';
export { assertCanGrant } from './grants.js';
export { rbacRouter } from './rbac.router.js';
