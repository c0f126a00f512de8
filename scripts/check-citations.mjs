#!/usr/bin/env node
/**
 * `pnpm lint` runs this: every tracked source, SQL, YAML, JSON and config file is read, and each
 * comment that cites an issue number or a file outside the repository is printed as file:line.
 * Exits 1 when there is any. The rules are in citations.mjs, their tests in citations.test.mjs.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { findCitations, isChecked } from './citations.mjs';

const root = execFileSync('git', ['rev-parse', '--show-toplevel'], { encoding: 'utf8' }).trim();
const files = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' })
  .split('\0')
  .filter((path) => path !== '' && !path.endsWith('pnpm-lock.yaml'));

let count = 0;
for (const path of files) {
  let source;
  try {
    source = readFileSync(`${root}/${path}`, 'utf8');
  } catch {
    continue; // deleted in the work tree but not yet in the index
  }
  if (!isChecked(path, source.slice(0, source.indexOf('\n')))) continue;
  for (const hit of findCitations(path, source)) {
    console.error(`${path}:${hit.line}: comment ${hit.message}: "${hit.text}"`);
    count++;
  }
}
if (count > 0) {
  console.error(
    `\n${count} comment(s) cite what a reader cannot open. Cite a page in docs/, a test or a standard's clause, or state the reason in place.`,
  );
  process.exit(1);
}
