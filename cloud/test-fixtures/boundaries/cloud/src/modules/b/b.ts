import { a } from '../a/index.js';

// b needs a, and a needs b: a cycle between two modules, each reached through its index.
export const b = (): number => a() + 1;
