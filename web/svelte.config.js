import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  kit: {
    // The cloud imports build/handler.js and serves it on the same origin as /trpc (see build-dir.js).
    adapter: adapter({ out: 'build' }),
    csp: {
      // Kit adds a nonce for its own bootstrap script. 'unsafe-inline' for styles only, because Vite's
      // dev server injects <style> tags; production CSS is external. frame-ancestors guards the sign-in
      // page against clickjacking; connect-src 'self' covers /trpc over HTTP and WebSocket.
      mode: 'auto',
      directives: {
        'default-src': ['self'],
        'script-src': ['self'],
        'style-src': ['self', 'unsafe-inline'],
        'img-src': ['self', 'data:'],
        'connect-src': ['self'],
        'object-src': ['none'],
        'base-uri': ['self'],
        'form-action': ['self'],
        'frame-ancestors': ['none'],
      },
    },
  },
};

export default config;
