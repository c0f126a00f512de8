export { b } from './b.js';
