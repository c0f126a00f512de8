import type { Permission } from '@plantline/schema';

/**
 * Who may call a procedure. Every procedure declares one (tested in app-router.test.ts):
 * `public` — anyone, `signed-in` — any user or API key, or the permission it needs.
 */
export type Access = 'public' | 'signed-in' | Permission;

export interface ProcedureMeta {
  access?: Access;
}
