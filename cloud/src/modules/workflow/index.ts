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
  type SigningContext,
  type SigningRequirement,
  signingRequirement,
  verifySigner,
} from './signing-auth.js';
export { workflowRouter } from './workflow.router.js';
