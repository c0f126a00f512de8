import { z } from 'zod';
import { announceAccessChange, changesSomething, idInput, nameInput } from '../../platform/index.js';
import { permittedProcedure, router } from '../../trpc/procedures.js';
import { setUserPlants, setUserRoles } from '../rbac/index.js';
import { emailInput, newPasswordInput } from './inputs.js';
import { createUser, listUsers, resetPassword, updateUser } from './users.js';

const idList = z.array(idInput).max(1000);

export const usersRouter = router({
  list: permittedProcedure('users.read').query(({ ctx }) => listUsers(ctx.tx)),
  create: permittedProcedure('users.manage')
    .input(
      z.object({
        email: emailInput,
        displayName: nameInput,
        password: newPasswordInput,
        roleIds: idList.default([]),
        plantIds: idList.default([]),
      }),
    )
    .mutation(({ ctx, input }) => createUser(ctx.tx, ctx.principal, input)),
  update: permittedProcedure('users.manage')
    .input(
      z
        .object({ id: idInput, displayName: nameInput.optional(), isActive: z.boolean().optional() })
        .refine(changesSomething, 'Nothing to change'),
    )
    .mutation(({ ctx, input }) => {
      if (input.isActive === false) announceAccessChange(ctx, { userId: input.id });
      return updateUser(ctx.tx, ctx.principal, input);
    }),
  resetPassword: permittedProcedure('users.manage')
    .input(z.object({ id: idInput, password: newPasswordInput }))
    .mutation(({ ctx, input }) => {
      announceAccessChange(ctx, { userId: input.id });
      return resetPassword(ctx.tx, ctx.principal, input);
    }),
  setRoles: permittedProcedure('users.manage')
    .input(z.object({ userId: idInput, roleIds: idList }))
    .mutation(({ ctx, input }) => {
      announceAccessChange(ctx, { userId: input.userId });
      return setUserRoles(ctx.tx, ctx.principal, input.userId, input.roleIds);
    }),
  setPlants: permittedProcedure('users.manage')
    .input(z.object({ userId: idInput, plantIds: idList }))
    .mutation(({ ctx, input }) => {
      announceAccessChange(ctx, { userId: input.userId });
      return setUserPlants(ctx.tx, ctx.principal, input.userId, input.plantIds);
    }),
});
