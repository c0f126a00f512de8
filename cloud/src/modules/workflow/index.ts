export { withConfigEntities } from './config-entities.js';
export type { WorkflowContext } from './context.js';
export { installDefaultWorkflows } from './default-workflows.js';
export { checkRecordEdit, recordEdited, recordEditGuard } from './edit-guard.js';
export type { CatalogueField, FieldCatalogue, FieldKind, RecordFields } from './engine/types.js';
export {
  type BuiltinField,
  type WorkflowEntities,
  type WorkflowEntity,
  workflowEntityMap,
} from './entities.js';
export { startWorkflow } from './instances.js';
export {
  fieldCatalogue,
  type LoadedRecord,
  loadRecord,
  signedContent,
  writeField,
} from './record-fields.js';
export { recordWorkflow, type TimelineEntry, type WorkflowAction } from './record-view.js';
export { rebuildTasks } from './task-writer.js';
export { publishedVersionFor, versionDefinition } from './versions.js';
export { workflowRouter } from './workflow.router.js';
