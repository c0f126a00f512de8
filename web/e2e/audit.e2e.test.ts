import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_EMAIL,
  DEMO_PASSWORD,
  hasChromium,
  screenshotDir,
  signIn,
  trpcCall,
  useUiStack,
} from './harness';

/**
 * The docs show the viewer as this test leaves it; `UPDATE_DOCS_IMAGES=1` writes the picture there,
 * else it goes with the other screenshots so a test run leaves the repository as it was.
 */
const SCREENSHOT = process.env.UPDATE_DOCS_IMAGES
  ? fileURLToPath(new URL('../../docs/images/audit-trail.png', import.meta.url))
  : `${screenshotDir}/audit-trail.png`;

/** The text of an element as the user reads it, spaces collapsed. */
async function readText(locator: Locator): Promise<string> {
  // biome-ignore lint/performance/useDomNodeTextContent: a Playwright locator; the text as rendered is what is meant
  return (await locator.innerText()).replace(/\s+/g, ' ').trim();
}

async function waitForRows(page: Page, predicate: (texts: string[]) => boolean): Promise<string[]> {
  const table = page.getByRole('table', { name: 'Audit trail entries' });
  await table.waitFor();
  let texts: string[] = [];
  await expect
    .poll(async () => {
      texts = (await table.locator('tbody > tr[data-seq]').allInnerTexts()).map((t) =>
        t.replace(/\s+/g, ' '),
      );
      return predicate(texts);
    })
    .toBe(true);
  return texts;
}

/*
 * The audit trail in the browser. An administrator exports a filtered trail as CSV (the export is
 * itself recorded), verifies the chain and signs a checkpoint; then changes a role's permissions and a
 * custom field's label through the UI, finds both in the trail with their old and new values, narrows
 * the trail to roles, and reads the role's own history on the roles page.
 */
describe.runIf(hasChromium)('audit trail in the web UI', () => {
  const ui = useUiStack();
  let page: Page;

  beforeAll(async () => {
    const context = await ui.browser.newContext({
      viewport: { width: 1440, height: 900 },
      acceptDownloads: true,
    });
    page = await context.newPage();
    await page.goto(`${ui.cloud.url}/admin/audit`);
    await signIn(page, ADMIN_EMAIL, DEMO_PASSWORD);
  });

  it('exports a filtered trail as CSV, shows the export as an entry, verifies and signs the chain', async () => {
    // A shared link with a filter: the export carries it.
    await page.goto(`${ui.cloud.url}/admin/audit?action=audit.`);
    const exportLink = page.getByRole('link', { name: 'Export CSV' });
    const href = await exportLink.getAttribute('href');
    expect(href).toBe('/api/audit/entries.csv?action=audit.');
    const csv = await page.request.get(new URL(href!, page.url()).toString());
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-type']).toContain('text/csv');

    // The export is in the trail, with what it exported.
    await page.reload();
    const rows = await waitForRows(page, (texts) => texts.some((t) => t.includes('audit.export')));
    const exported = rows.find((t) => t.includes('audit.export'));
    expect(exported).toContain('Demo Administrator');
    expect(exported).toContain('CSV export');
    expect(exported).toContain('format: — → csv');
    expect(exported).toContain('filters: — → { action: audit. }');
    const first = page.locator('tr[data-seq]').first();
    const seq = await first.getAttribute('data-seq');
    await page.getByRole('button', { name: `Details of entry ${seq}` }).click();
    const details = await readText(page.locator(`#entry-${seq}-details`));
    expect(details).toMatch(
      new RegExp(`Entry #${seq} .*Request id \\S+ .*Hash [0-9a-f]{64} Previous hash [0-9a-f]{64}`),
    );

    // Verified on request from the start, and the run listed.
    await page.getByRole('link', { name: 'Verification & checkpoints' }).click();
    await page.getByRole('button', { name: 'Verify from the start' }).click();
    const result = page.locator('[data-result]');
    await result.waitFor();
    expect(await result.getAttribute('data-result')).toBe('ok');
    expect(await readText(result)).toMatch(
      /The chain is intact \d+ entr(y|ies) checked from the first entry/,
    );
    const runs = page.getByRole('table', { name: 'Verification runs' });
    await runs.waitFor();
    expect(await readText(runs.locator('tbody tr').first())).toContain(
      'Requested by Demo Administrator Intact',
    );

    // A checkpoint signed now, and its signed document downloaded.
    await page.getByRole('button', { name: 'Sign checkpoint now' }).click();
    await page.getByText(/Checkpoint signed at entry #\d+/).waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page
        .getByRole('button', { name: /Download checkpoint \d+/ })
        .first()
        .click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^plantline-audit-checkpoint-\d+-\d{4}-\d{2}-\d{2}\.json$/);
    const signed = JSON.parse(readFileSync((await download.path())!, 'utf8')) as Record<string, unknown>;
    expect(JSON.stringify(signed)).toContain('signature');
  });

  it('shows changes made in the UI as old → new, filters them, and a record’s own history', async () => {
    await page.goto(`${ui.cloud.url}/admin/roles`);
    await trpcCall(page, 'config.fields.create', {
      entityType: 'product',
      key: 'colour',
      label: 'Colour',
      type: 'text',
    });

    // A role's permissions, in the matrix.
    await page.getByLabel('audit.read for Supervisor').check();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Saved the permissions of 1 role.').waitFor();

    // A custom field's label, in its editor.
    await page.goto(`${ui.cloud.url}/config/fields?entity=product`);
    await page.getByRole('button', { name: 'Edit Colour' }).click();
    await page.getByLabel('Label', { exact: true }).fill('Color');
    await page.getByRole('button', { name: 'Save field' }).click();
    await page.getByText('The field Color was saved.').waitFor();

    // Both in the trail, newest first, each with what it was and what it became.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit trail' }).click();
    await page.getByRole('heading', { level: 1, name: 'Audit trail' }).waitFor();
    const rows = await waitForRows(
      page,
      (texts) => texts.some((t) => t.includes('Custom field')) && texts.some((t) => /supervisor/i.test(t)),
    );
    const fieldRow = rows.find((t) => t.includes('Custom field') && t.includes('label:'));
    expect(fieldRow).toContain('label: Colour → Color');
    // A role is named by its key in the trail.
    const roleRow = rows.find((t) => t.includes('Role') && /supervisor/i.test(t));
    // A long list says what it gained; the lists in full are one click away.
    expect(roleRow).toContain('permissions: added audit.read');
    expect(roleRow).toContain('Demo Administrator');
    await page.screenshot({ path: SCREENSHOT });
    const roleCell = page.locator('tr[data-seq]', { hasText: /supervisor/i }).first();
    await roleCell.getByRole('button', { name: 'Show all' }).click();
    expect(await readText(roleCell)).toMatch(
      /permissions: .*events\.read.* → .*audit\.read.* \(added audit\.read\)/,
    );

    // Only roles: the filter goes to the URL, and the export link carries it.
    await page.getByLabel('Record type').selectOption({ label: 'Role' });
    await page.waitForURL(/entityType=role/);
    await waitForRows(page, (texts) => texts.length > 0 && texts.every((t) => t.includes('Role')));
    expect(await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href')).toContain(
      'entityType=role',
    );

    // The role's own history, where the role is edited.
    await page.goto(`${ui.cloud.url}/admin/roles`);
    await page.getByRole('button', { name: 'History of role Supervisor' }).click();
    const history = page.getByRole('list', { name: 'Changes entries' });
    await history.waitFor();
    expect(await readText(history.getByRole('listitem').first())).toMatch(
      /Demo Administrator · role\.\S+ permissions: added audit\.read/,
    );
  });
});
