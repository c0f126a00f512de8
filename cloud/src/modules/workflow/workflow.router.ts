import { router } from '../../trpc/procedures.js';
import { signaturesRouter } from './signatures.router.js';

/** The workflow engine's API (docs/workflows.md). */
export const workflowRouter = router({
  signatures: signaturesRouter,
});
