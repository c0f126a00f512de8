import { router } from '../../trpc/procedures.js';
import { delegationsRouter } from './delegations.router.js';
import { tasksRouter } from './tasks.router.js';

/** The workflow engine's API (docs/workflows.md). */
export const workflowRouter = router({
  tasks: tasksRouter,
  delegations: delegationsRouter,
});
