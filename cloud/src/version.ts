import { readFileSync } from 'node:fs';

/** The cloud package's version, reported by /healthz. */
export const cloudVersion: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
