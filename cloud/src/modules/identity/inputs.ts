import { z } from 'zod';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './passwords.js';

/** Identity's own input shapes (the shared ones are in platform); bounded lengths keep oversized input out before any work is done. */
export const emailInput = z.email('Enter a valid email address').max(254).trim().toLowerCase();

export const newPasswordInput = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH, `Use at most ${PASSWORD_MAX_LENGTH} characters`);
