import { tables } from '@plantline/schema';
import { z } from 'zod';

/** Inputs of the KPI master data procedures that no other module shares (those are in platform). */
export const bucketInput = z.enum(tables.lossBuckets, {
  error: `Choose one of ${tables.lossBuckets.join(', ')}`,
});
export const categoryInput = z.string().trim().min(1).max(64);
