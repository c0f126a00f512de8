import { router } from '../../trpc/procedures.js';
import { instancesRouter } from './instances.router.js';

/** The workflow engine's API (docs/workflows.md). */
export const workflowRouter = router({
  instances: instancesRouter,
});
