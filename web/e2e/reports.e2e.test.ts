import { execFileSync } from 'node:child_process';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, DEMO_PASSWORD, hasChromium, screenshotDir, signIn, useUiStack } from './harness';

/*
 * Reports in the browser (docs/reports.md): the administrator of the demo opens Reports, runs "OEE by
 * shift" over the last ISO week to XLSX, watches the run finish on the runs page, downloads the file
 * and opens it: a sheet with the OEE report's header and one row per machine and shift of that week.
 * The sheet's XML is read with unzip: the web package has no spreadsheet library (the cloud's tests
 * read XLSX back with exceljs, reports-runs.test.ts). The home page then lists the run among the
 * user's recent reports. Then the report is scheduled at the end of every shift for the supervisors,
 * listed with its next run, and paused.
 */
describe.runIf(hasChromium)('reports in the web UI', () => {
  const ui = useUiStack();
  let page: Page;

  beforeAll(async () => {
    const context = await ui.browser.newContext({
      viewport: { width: 1440, height: 900 },
      acceptDownloads: true,
    });
    page = await context.newPage();
    await page.goto(`${ui.cloud.url}/reports`);
    await signIn(page, ADMIN_EMAIL, DEMO_PASSWORD);
  }, 120_000);

  it('runs OEE by shift for last week to XLSX, follows it to the end, downloads it, finds it on the home page', async () => {
    await page.goto(`${ui.cloud.url}/reports`);
    const item = page.locator('li[data-report="oee-by-shift"]');
    await item.getByRole('button', { name: 'Run' }).click();
    const form = page.getByRole('form', { name: 'Run OEE by shift' });
    await form.getByLabel('Period').selectOption('lastIsoWeek');
    await form.getByLabel('Format').selectOption('xlsx');
    await form.getByRole('button', { name: 'Start run' }).click();
    await page.waitForURL(/\/reports\/runs\?run=/);
    const runId = new URL(page.url()).searchParams.get('run') ?? '';
    const row = page.locator(`tr[data-run="${runId}"]`);
    await row.waitFor();
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 60_000 }).toBe('succeeded');
    await page.screenshot({ path: `${screenshotDir}/report-runs.png` });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      row.getByRole('link', { name: 'Download' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(
      new RegExp(`^oee-by-shift-\\d{4}-w\\d{2}-${runId.slice(0, 8)}\\.xlsx$`),
    );
    const sheet = execFileSync('unzip', ['-p', (await download.path()) ?? '', 'xl/worksheets/sheet1.xml'], {
      encoding: 'utf8',
    });
    // No shared-string table: the header's texts are in the sheet itself.
    for (const header of ['Period', 'Shift', 'Machine', 'OEE (%)', 'Availability (%)']) {
      expect(sheet).toContain(`>${header}<`);
    }
    const rowCount = (sheet.match(/<row /g) ?? []).length;
    const run = await page.evaluate(async (id) => {
      const response = await fetch(
        `/trpc/reports.runGet?input=${encodeURIComponent(JSON.stringify({ id }))}`,
      );
      return ((await response.json()) as { result: { data: { rows: number; period: { label: string } } } })
        .result.data;
    }, runId);
    expect(rowCount).toBe(1 + run.rows);
    expect(run.period.label).toMatch(/^\d{4}-W\d{2}$/);

    // The home page lists the run among the user's recent reports, with its download.
    await page.goto(`${ui.cloud.url}/`);
    const recent = page.getByRole('region', { name: 'Recent reports' });
    const listed = recent.locator(`li[data-run="${runId}"]`);
    await listed.waitFor();
    expect(await listed.getAttribute('data-status')).toBe('succeeded');
    expect(await listed.getByRole('link', { name: 'OEE by shift' }).getAttribute('href')).toBe(
      `/reports/runs?run=${runId}`,
    );
    expect(await listed.getByRole('link', { name: 'Download' }).getAttribute('href')).toContain(runId);
    expect(await recent.getByRole('link', { name: 'All reports' }).getAttribute('href')).toBe('/reports');
  });

  it('schedules OEE by shift at the end of every shift for the supervisors, then pauses it', async () => {
    await page.goto(`${ui.cloud.url}/reports/oee-by-shift`);
    const form = page.getByRole('form', { name: 'New schedule' });
    await form.getByLabel('Name', { exact: true }).fill('OEE after each shift');
    await form.getByLabel('Format').selectOption('pdf');
    await form.getByLabel('Roles').selectOption({ label: 'Supervisor' });
    await form.getByRole('button', { name: 'Schedule' }).click();
    await page.getByRole('status').filter({ hasText: 'Scheduled: OEE after each shift' }).waitFor();
    const row = page.getByRole('row').filter({ hasText: 'OEE after each shift' });
    await row.filter({ hasText: 'End of every shift' }).waitFor();
    expect(await row.textContent()).toContain('Not run yet');
    await row.getByRole('button', { name: 'Pause' }).click();
    await row.filter({ hasText: 'Paused' }).waitFor();
    await page.screenshot({ path: `${screenshotDir}/report-schedules.png`, fullPage: true });
  }, 60_000);
});
