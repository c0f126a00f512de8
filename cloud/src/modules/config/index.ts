export { configRouter } from './config.router.js';
export { customValuesInput } from './custom-input.js';
export { type EntityType, type EntityTypeKey, entityType, entityTypes } from './entity-types.js';
export { type SetValuesInput, setCustomValues, withCustomValues, writeCustomValues } from './field-values.js';
export { createField } from './fields.js';
export { BUILTIN_SEQUENCES, previewNumber, type TakeNumberInput, takeNumber } from './numbering.js';
export { listRecords } from './records.js';
export { createTypeList } from './type-lists.js';
