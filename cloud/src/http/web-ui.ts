import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Logger } from 'pino';
import type { WebHandler } from './server.js';

/** Where `pnpm --filter @plantline/web build` puts the SvelteKit adapter-node output. */
export const defaultWebBuildDir = fileURLToPath(new URL('../../../web/build', import.meta.url));

/**
 * The built web UI, served from the cloud's own port so that the API and the UI share one
 * origin and the HTTP-only session cookie needs no cross-site setup (docs/architecture.md).
 */
export async function loadWebHandler(buildDir: string, log: Logger): Promise<WebHandler | null> {
  const handlerFile = join(buildDir, 'handler.js');
  if (!existsSync(handlerFile)) {
    log.warn(
      { buildDir },
      'web UI is not built; run `pnpm --filter @plantline/web build` (the API still serves)',
    );
    return null;
  }
  const module = (await import(pathToFileURL(handlerFile).href)) as { handler: WebHandler };
  return module.handler;
}
