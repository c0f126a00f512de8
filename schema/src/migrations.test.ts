import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrationsFolder } from './migrations-folder.js';

/*
 * The migrator applies what the journal lists; a SQL file missing from it (hand-written and not
 * registered through `drizzle-kit generate --custom`) would silently never run.
 */
describe('committed migrations', () => {
  const journal = JSON.parse(readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as {
    entries: { idx: number; tag: string }[];
  };
  const files = readdirSync(migrationsFolder)
    .filter((f) => f.endsWith('.sql'))
    .sort();

  it('are all registered in the journal, in order', () => {
    expect(journal.entries.map((e) => `${e.tag}.sql`)).toEqual(files);
    expect(journal.entries.map((e) => e.idx)).toEqual(files.map((_, i) => i));
  });

  it('separate hand-written statements so the embedded engine runs each one', () => {
    // The embedded engine executes one statement per call; two statements in one chunk fail there.
    for (const file of files) {
      const chunks = readFileSync(join(migrationsFolder, file), 'utf8').split('--> statement-breakpoint');
      for (const chunk of chunks) {
        const code = chunk
          .split('\n')
          .filter((line) => !line.trim().startsWith('--'))
          .join('\n')
          .replace(/\$\$[\s\S]*?\$\$/g, '$$$$');
        const statements = code.split(';').filter((s) => s.trim() !== '');
        expect(statements.length, `${file}: ${chunk.trim().slice(0, 80)}`).toBeLessThanOrEqual(1);
      }
    }
  });
});
