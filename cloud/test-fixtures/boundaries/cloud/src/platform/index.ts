import { c } from '../modules/c/index.js';

// Platform depending on a module.
export const platform = (): number => c();
