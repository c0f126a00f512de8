import type { trpc } from '../trpc';

/* The workflow API's shapes, inferred from the cloud's router (type-only, like lib/api-types.ts). */
type Workflow = (typeof trpc)['workflow'];

export type RecordWorkflow = Awaited<ReturnType<Workflow['instances']['get']['query']>>;
export type WorkflowInstanceView = NonNullable<RecordWorkflow['instance']>;
export type WorkflowActionView = RecordWorkflow['actions'][number];
export type ApprovalTallyView = NonNullable<WorkflowActionView['tally']>;
export type GroupProgressView = ApprovalTallyView['groups'][number];
export type VoteView = WorkflowActionView['votes'][number];
export type TimelineItem = RecordWorkflow['timeline'][number];
export type SignatureItem = Awaited<ReturnType<Workflow['signatures']['list']['query']>>[number];
export type SigningRequirement = Awaited<ReturnType<Workflow['signatures']['requirement']['query']>>;
export type ActInput = Parameters<Workflow['instances']['act']['mutate']>[0];
export type ActResult = Awaited<ReturnType<Workflow['instances']['act']['mutate']>>;
