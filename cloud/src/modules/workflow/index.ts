export { type ActInput, type ActResult, act } from './act.js';
export { withConfigEntities } from './config-entities.js';
export type { WorkflowContext } from './context.js';
export { installDefaultWorkflows } from './default-workflows.js';
export { activeDelegators } from './delegations.js';
export { checkRecordEdit, recordEdited, recordEditGuard } from './edit-guard.js';
export type { CatalogueField, FieldCatalogue, FieldKind, RecordFields } from './engine/types.js';
export {
  type BuiltinField,
  type WorkflowEntities,
  type WorkflowEntity,
  workflowEntityMap,
} from './entities.js';
export { type MyTasks, myTasks, type TaskCounts, type TaskItem, taskCounts } from './inbox.js';
export { startWorkflow } from './instances.js';
export {
  fieldCatalogue,
  type LoadedRecord,
  loadRecord,
  signedContent,
  writeField,
} from './record-fields.js';
export { recordWorkflow, type TimelineEntry, type WorkflowAction } from './record-view.js';
export { renderSignaturePage, type SignatureManifest, signatureManifest } from './signature-page.js';
export {
  listSignatures,
  type RecordedSignature,
  readableRecord,
  recordSignature,
  type SignatureInput,
  type SignatureRow,
  voidStaleSignatures,
} from './signatures.js';
export {
  PASSWORD_NOT_CORRECT,
  type SignerInput,
  type SigningComponents,
  type SigningRequirement,
  signingRequirement,
  verifySigner,
} from './signing-auth.js';
export { registerSlaJob, runSlaPass } from './sla-job.js';
export { rebuildTasks } from './task-writer.js';
export { publishedVersionFor, versionDefinition } from './versions.js';
export { workflowRouter } from './workflow.router.js';
