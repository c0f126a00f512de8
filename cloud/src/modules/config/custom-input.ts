import { fieldKeySchema } from '@plantline/schema/configuration';
import { z } from 'zod';

/** Custom values in a domain's create or update input, by field key (checked by the definitions). */
export const customValuesInput = z
  .record(fieldKeySchema, z.unknown())
  .refine((values) => Object.keys(values).length <= 200, 'At most 200 custom values')
  .optional();
