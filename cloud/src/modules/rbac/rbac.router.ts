import { permissionCatalogue, permissionSchema } from '@plantline/schema';
import { z } from 'zod';
import { announceAccessChange, changesSomething, idInput } from '../../platform/index.js';
import { permittedProcedure, router } from '../../trpc/procedures.js';
import { createRole, deleteRole, listPermissionCatalogue, listRoles, updateRole } from './roles.js';

const roleFields = {
  name: z.string().trim().min(1).max(80),
  description: z.string().trim().max(400),
  permissions: z.array(permissionSchema).max(permissionCatalogue.length * 2),
};

export const rbacRouter = router({
  permissions: permittedProcedure('roles.read').query(() => listPermissionCatalogue()),
  roles: router({
    list: permittedProcedure('roles.read').query(({ ctx }) => listRoles(ctx.tx)),
    create: permittedProcedure('roles.manage')
      .input(
        z.object({
          key: z
            .string()
            .trim()
            .min(2)
            .max(40)
            .regex(/^[a-z][a-z0-9-]*$/, 'Use lower-case letters, digits and -'),
          name: roleFields.name,
          description: roleFields.description.default(''),
          permissions: roleFields.permissions,
        }),
      )
      .mutation(({ ctx, input }) => createRole(ctx.tx, ctx.principal, input)),
    update: permittedProcedure('roles.manage')
      .input(
        z
          .object({
            id: idInput,
            name: roleFields.name.optional(),
            description: roleFields.description.optional(),
            permissions: roleFields.permissions.optional(),
          })
          .refine(changesSomething, 'Nothing to change'),
      )
      .mutation(({ ctx, input }) => {
        // Whoever holds the role may have lost (or gained) a permission a running subscription needs.
        if (input.permissions !== undefined) announceAccessChange(ctx, 'everyone');
        return updateRole(ctx.tx, ctx.principal, input);
      }),
    delete: permittedProcedure('roles.manage')
      .input(z.object({ id: idInput }))
      .mutation(({ ctx, input }) => {
        announceAccessChange(ctx, 'everyone');
        return deleteRole(ctx.tx, input.id);
      }),
  }),
});
