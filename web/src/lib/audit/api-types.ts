import type { trpc } from '../trpc';

/* The audit trail API's shapes, inferred from the cloud's router (type-only, like lib/api-types.ts). */
type Audit = (typeof trpc)['audit'];

export type AuditPage = Awaited<ReturnType<Audit['entries']['list']['query']>>;
export type AuditEntry = AuditPage['entries'][number];
export type AuditFacets = Awaited<ReturnType<Audit['entries']['facets']['query']>>;
type VerifyInput = Extract<Parameters<Audit['verify']['mutate']>[0], object>;
export type VerifyFrom = NonNullable<VerifyInput['from']>;
export type VerifyResult = Awaited<ReturnType<Audit['verify']['mutate']>>;
export type VerificationRun = Awaited<ReturnType<Audit['verifications']['list']['query']>>[number];
export type Checkpoint = Awaited<ReturnType<Audit['checkpoints']['list']['query']>>[number];
