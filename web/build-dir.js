import { fileURLToPath } from 'node:url';

// The cloud serves the web UI from this folder (adapter-node output, see svelte.config.js), so it needs
// an absolute path that does not depend on its own working directory.
export const webBuildDir = fileURLToPath(new URL('./build', import.meta.url));
