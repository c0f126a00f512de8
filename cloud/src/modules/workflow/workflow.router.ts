import { router } from '../../trpc/procedures.js';
import { definitionsRouter } from './definitions.router.js';
import { delegationsRouter } from './delegations.router.js';
import { instancesRouter } from './instances.router.js';
import { signaturesRouter } from './signatures.router.js';
import { tasksRouter } from './tasks.router.js';

/** The workflow engine's API (docs/workflows.md), one sub-router per part. */
export const workflowRouter = router({
  definitions: definitionsRouter,
  instances: instancesRouter,
  signatures: signaturesRouter,
  tasks: tasksRouter,
  delegations: delegationsRouter,
});
