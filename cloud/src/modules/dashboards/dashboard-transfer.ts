import { z } from 'zod';
import { DomainError } from '../../platform/index.js';
import { viewerOf } from './dashboard-access.js';
import { findDashboard } from './dashboard-queries.js';
import { createDashboard, type DashboardCall } from './dashboards.js';
import { definitionSchema } from './definition.js';

/*
 * Export and import as JSON (docs/dashboards.md, "Import and export"). A definition holds no ids of
 * the tenant (plants, lines and machines are chosen in the variables bar), so an export opens in any
 * tenant as it is; the document names its format so an import can tell a dashboard from other JSON.
 */

export const EXPORT_FORMAT = 'plantline.dashboard';
export const EXPORT_FORMAT_VERSION = 1;

export const dashboardNameInput = z.string().trim().min(1, 'Enter a name').max(120, 'At most 120 characters');
export const dashboardDescriptionInput = z.string().trim().max(1_000, 'At most 1000 characters');

export const exportDocumentSchema = z.object({
  format: z.literal(EXPORT_FORMAT, { error: `Not a Plantline dashboard (format is not ${EXPORT_FORMAT})` }),
  formatVersion: z.literal(EXPORT_FORMAT_VERSION, {
    error: `This Plantline reads dashboard format version ${EXPORT_FORMAT_VERSION}`,
  }),
  name: dashboardNameInput,
  description: dashboardDescriptionInput.default(''),
  definition: definitionSchema,
});

export type ExportDocument = z.infer<typeof exportDocumentSchema>;

export async function exportDashboard(call: DashboardCall, input: { id: string }): Promise<ExportDocument> {
  const dashboard = await findDashboard(call.tx, await viewerOf(call.tx, call.principal), input);
  return {
    format: EXPORT_FORMAT,
    formatVersion: EXPORT_FORMAT_VERSION,
    name: dashboard.name,
    description: dashboard.description,
    definition: dashboard.definition,
  };
}

/**
 * A new dashboard from an exported document, checked as a save is; on a slug already taken it gets
 * the next free one. Field errors name the document's path ("definition.widgets.0.gridPos.w").
 */
export async function importDashboard(
  call: DashboardCall,
  input: { document: unknown; visibility: 'personal' | 'shared'; name?: string | undefined },
) {
  const parsed = exportDocumentSchema.safeParse(input.document);
  if (!parsed.success) {
    const fieldErrors: Record<string, string> = {};
    for (const issue of parsed.error.issues) {
      const path = ['document', ...issue.path].join('.');
      fieldErrors[path] ??= issue.message;
    }
    const first = parsed.error.issues[0];
    throw new DomainError(
      'invalid',
      `The file is not a dashboard this Plantline can import: ${first?.path.join('.') || 'document'}: ${first?.message}`,
      fieldErrors,
    );
  }
  const document = parsed.data;
  return createDashboard(call, {
    name: input.name ?? document.name,
    description: document.description,
    visibility: input.visibility,
    definition: document.definition,
    message: 'Imported',
  });
}
