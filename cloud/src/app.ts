/** The cloud as a library, for processes that start it in-process (the web package's browser tests). */
export { type RunningCloud, startCloud } from './cloud-app.js';
export { type CloudEnv, loadCloudEnv } from './env.js';
