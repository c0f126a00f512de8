import type { trpc } from '../trpc';

/* The workflow definitions API's shapes, inferred from the cloud's router (type-only, like lib/api-types.ts). */
type Definitions = (typeof trpc)['workflow']['definitions'];

export type WorkflowListRow = Awaited<ReturnType<Definitions['list']['query']>>[number];
export type WorkflowDetail = Awaited<ReturnType<Definitions['get']['query']>>;
export type VersionRow = WorkflowDetail['versions'][number];
export type DraftVersion = NonNullable<WorkflowDetail['draft']>;
export type CatalogueEntry = WorkflowDetail['catalogue'][number];
export type VersionDocument = Awaited<ReturnType<Definitions['version']['query']>>;
export type ValidationIssue = Awaited<ReturnType<Definitions['validate']['query']>>['issues'][number];
export type DefinitionChange = Awaited<ReturnType<Definitions['diff']['query']>>[number];
export type MigrationPreview = Awaited<ReturnType<Definitions['migrationPreview']['query']>>;
export type MigrationInstance = MigrationPreview['instances'][number];

/** What the side panels offer to choose from, for the workflow's entity type and tenant. */
export type DesignerChoices = Pick<
  WorkflowDetail,
  'catalogue' | 'roles' | 'users' | 'sequences' | 'permissions'
>;
