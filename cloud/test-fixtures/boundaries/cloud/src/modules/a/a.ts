import { b } from '../b/index.js';

export const a = (): number => 1;
export const callsB = (): number => b();
