export { searchRecords } from './search.js';
export { searchRouter } from './search.router.js';
