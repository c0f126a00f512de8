export { createApiKey } from './api-keys.js';
export { apiKeysRouter, edgeRouter } from './api-keys.router.js';
export { authRouter } from './auth.router.js';
export { guardLive, type LiveAccess, type LiveGuardDeps } from './live-access.js';
export { LoginLimiter, type LoginLimiterOptions } from './login-limiter.js';
export { hashPassword, verifyPassword } from './passwords.js';
export { randomToken } from './secrets.js';
export type { SessionPolicy } from './sessions.js';
export { usersRouter } from './users.router.js';
