export { activeDelegators } from './delegations.js';
export type { CatalogueField, FieldCatalogue, FieldKind, RecordFields } from './engine/types.js';
export {
  type BuiltinField,
  type WorkflowEntities,
  type WorkflowEntity,
  workflowEntityMap,
} from './entities.js';
export {
  fieldCatalogue,
  type LoadedRecord,
  loadRecord,
  signedContent,
  writeField,
} from './record-fields.js';
export { registerSlaJob, runSlaPass } from './sla-job.js';
export { workflowRouter } from './workflow.router.js';
