import type { WorkflowEntity } from '../workflow/index.js';
import { NCR_FIELDS } from './ncr-fields.js';

/**
 * How the workflow engine sees an NCR (docs/workflows.md, "Adding a record type"; docs/ncrs.md):
 * its table, the columns for its number, title, plant, mirrored state and raiser, and its built-in
 * fields. The composition root hands it to the app (build-app-deps.ts).
 */
export const ncrWorkflowEntity: WorkflowEntity = {
  key: 'ncr',
  label: 'NCR',
  table: 'ncrs',
  codeColumn: 'number',
  titleColumn: 'title',
  plantColumn: 'plant_id',
  statusColumn: 'status',
  createdByColumn: 'raised_by',
  // A field the workflow writes moves the version on, so a form opened before is refused.
  versionColumn: 'version',
  updatedAtColumn: 'updated_at',
  readPermission: 'quality.read',
  fields: NCR_FIELDS.map(({ patchKey: _, ...field }) => field),
  link: (entityId) => `/quality/ncrs/${encodeURIComponent(entityId)}`,
};
