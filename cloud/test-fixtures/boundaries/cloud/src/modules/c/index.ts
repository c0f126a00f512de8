export { c } from './c.js';
