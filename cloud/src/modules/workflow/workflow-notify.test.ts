import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { notificationKinds } from '../notifications/index.js';
import { workflowNotificationKinds } from './workflow-notify.js';

/*
 * Every kind of notification the workflow sends is in the preferences catalogue with a label
 * (docs/notifications.md, "What the workflow sends"), so people can choose email for it before the
 * first one arrives. The kinds are typed in workflow-notify.ts; the module's code reaches notify()
 * only through it, which the second test checks in the source.
 */

const moduleDir = import.meta.dirname;
const WRAPPER = 'workflow-notify.ts';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('the workflow’s notification kinds', () => {
  it('are each in the preferences catalogue with a label of its own', () => {
    const labels = new Map(notificationKinds.map((k) => [k.kind, k.label]));
    for (const kind of workflowNotificationKinds) {
      expect(labels.get(kind), `${kind} is not in notifications/kinds.ts`).toMatch(/^Workflow: /);
    }
    expect(new Set(workflowNotificationKinds.map((kind) => labels.get(kind))).size).toBe(
      workflowNotificationKinds.length,
    );
  });

  it('are the only ones it sends: its code calls notify() only through workflowNotify', () => {
    const files = sourceFiles(moduleDir);
    expect(files.map((f) => relative(moduleDir, f))).toContain(WRAPPER);
    const direct =
      /\bnotify(Now)?\s*\(|import\s*\{[^}]*\bnotify(Now)?\b[^}]*\}\s*from\s*'\.\.\/notifications/;
    const offenders = files
      .filter((file) => relative(moduleDir, file) !== WRAPPER)
      .filter((file) => direct.test(readFileSync(file, 'utf8')))
      .map((file) => relative(moduleDir, file));
    expect(offenders).toEqual([]);
    const callers = files.filter((file) => /\bworkflowNotify\s*\(/.test(readFileSync(file, 'utf8')));
    // enter-state, signatures, delegations, the SLA job, and the wrapper itself.
    expect(callers.length).toBeGreaterThanOrEqual(5);
  });
});
