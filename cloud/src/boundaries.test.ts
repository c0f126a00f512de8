import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/*
 * The module boundaries that `pnpm lint` enforces (.dependency-cruiser.cjs at the repository root),
 * run on a small tree (test-fixtures/boundaries) that breaks each rule once: a cycle between modules
 * a and b, c reaching past a's index, platform importing module c.
 */
const root = resolve(import.meta.dirname, '../..');
const fixture = resolve(import.meta.dirname, '../test-fixtures/boundaries');

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
}

async function violationsIn(dir: string): Promise<Violation[]> {
  const run = promisify(execFile);
  const args = ['cloud/src', '--config', resolve(root, '.dependency-cruiser.cjs'), '--output-type', 'json'];
  // depcruise exits non-zero when it finds violations; its report is on stdout either way.
  const output = await run(resolve(root, 'node_modules/.bin/depcruise'), args, { cwd: dir }).catch(
    (error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }),
  );
  return (JSON.parse(output.stdout) as { summary: { violations: Violation[] } }).summary.violations;
}

describe('module boundaries', () => {
  it('refuses a cycle, a reach past an index and platform depending on a module', async () => {
    const found = (await violationsIn(fixture)).map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^no-cycle: cloud\/src\/modules\/(a|b)\//),
        'module-through-index: cloud/src/modules/c/c.ts → cloud/src/modules/a/a.ts',
        'platform-imports-no-module: cloud/src/platform/index.ts → cloud/src/modules/c/index.ts',
      ]),
    );
  }, 60_000);
});
