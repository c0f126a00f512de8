import { z } from 'zod';

/** A create schema's field with its default dropped: a patch that leaves it out must not set it. */
type WithoutDefault<T> = T extends z.ZodDefault<infer Inner> ? Inner : T;
type PatchShape<T extends z.ZodRawShape> = { [K in keyof T]: WithoutDefault<T[K]> };

/**
 * An update's patch: any of the fields, but at least one. A field missing from the patch never
 * changes, so the create schema's defaults are stripped first (zod applies a default even inside
 * `.partial()`: renaming a plant would otherwise reset its time zone, see app-router.patches.test.ts).
 * Unknown keys are dropped, so a patch of unknown keys only is "Nothing to change" too.
 */
export function patchOf<T extends z.ZodRawShape>(fields: T | z.ZodObject<T>) {
  const shape: z.ZodRawShape = fields instanceof z.ZodObject ? fields.shape : fields;
  const stripped = Object.fromEntries(
    Object.entries(shape).map(([key, field]) => [
      key,
      field instanceof z.ZodDefault ? field.unwrap() : field,
    ]),
  ) as PatchShape<T>;
  return z
    .object(stripped)
    .partial()
    .refine((patch) => Object.values(patch).some((value) => value !== undefined), 'Nothing to change');
}

/** An update whose changes sit beside its `id` (users, roles) must name at least one, too. */
export const changesSomething = (input: object) =>
  Object.entries(input).some(([key, value]) => key !== 'id' && value !== undefined);
