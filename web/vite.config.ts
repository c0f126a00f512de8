import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

// In dev the browser talks to Vite only, so the API and its cookie stay same-origin (as in production,
// where the cloud serves this app) while Svelte keeps hot reload.
const cloudUrl = process.env.PLANTLINE_CLOUD_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  plugins: [sveltekit()],
  server: {
    proxy: {
      '/trpc': { target: cloudUrl, ws: true },
      '/healthz': { target: cloudUrl },
      '/api': { target: cloudUrl },
    },
  },
  test: {
    include: ['src/**/*.test.ts'],
    // The unit tests are pure functions and components' logic: one worker process runs file after
    // file with the modules loaded once (30 s → 5 s). A file restores any fake timers it sets.
    isolate: false,
  },
});
