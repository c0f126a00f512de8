// `pnpm --filter @plantline/cloud build`: the cloud server as one JavaScript file, dist/bin/main.mjs,
// which `pnpm start` runs with plain Node (docs/operations.md, "Built cloud"). The same code run
// through tsx holds its transpiled sources and their source maps in memory: an idle cloud is ~235 MB
// resident that way and ~120 MB built (docs/benchmarks.md, fanout).
//
// The workspace packages (@plantline/schema, @plantline/edge) are bundled in, since they are
// TypeScript; everything from node_modules stays an import, resolved from cloud/node_modules.
//
// A few modules find files relative to themselves (new URL('…', import.meta.url)); in one bundle that
// URL is the bundle's. The bundle sits at the same depth as those modules (dist/bin/ like src/http/),
// and what they look for is copied beside it: the migrations (schema/src → ../migrations), the
// package.json (src/version.ts → ../package.json) and the barcode worker (./barcode-worker.mjs). The
// web UI's build (src/http → ../../../web/build) is found in place. `src/e2e/built-cloud.e2e.test.ts` starts the
// bundle and checks each of these.
import { cpSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const cloud = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(cloud, 'dist');
const bin = join(dist, 'bin');
const pkg = JSON.parse(readFileSync(join(cloud, 'package.json'), 'utf8'));
const external = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })
  .filter((name) => !name.startsWith('@plantline/'))
  .flatMap((name) => [name, `${name}/*`]);

rmSync(dist, { recursive: true, force: true });
mkdirSync(bin, { recursive: true });
const started = performance.now();
await build({
  entryPoints: { main: join(cloud, 'src/main.ts') },
  outdir: bin,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external,
  sourcemap: 'linked',
  // Bundled CommonJS dependencies of the workspace packages call require(); an ES module has none.
  banner: {
    js: "import { createRequire as plantlineRequire } from 'node:module'; const require = plantlineRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
cpSync(join(cloud, '../schema/migrations'), join(dist, 'migrations'), { recursive: true });
cpSync(join(cloud, 'package.json'), join(dist, 'package.json'));
cpSync(join(cloud, 'src/modules/labels/barcode-worker.mjs'), join(bin, 'barcode-worker.mjs'));
process.stdout.write(`cloud built: dist/bin/main.mjs in ${Math.round(performance.now() - started)} ms\n`);
