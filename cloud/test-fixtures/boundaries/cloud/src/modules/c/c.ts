import { a } from '../a/a.js';

// Reaches past a's index.
export const c = (): number => a() + 2;
