export { configRouter } from './config.router.js';
export { customValuesInput } from './custom-input.js';
export { type LoadedField, loadFields } from './definitions.js';
export { type EntityTypeKey, entityType, entityTypes } from './entity-types.js';
export { readValues, setCustomValues, withCustomValues } from './field-values.js';
export { createField } from './fields.js';
export { BUILTIN_SEQUENCES, takeNumber } from './numbering.js';
export { listRecords } from './records.js';
export { createTypeList } from './type-lists.js';
