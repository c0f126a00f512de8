import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ADMIN_EMAIL,
  DEMO_PASSWORD,
  hasChromium,
  screenshotDir,
  signIn,
  trpcCall,
  useUiStack,
} from './harness';

/*
 * Download PDF on a dashboard (docs/dashboards.md, "Snapshot PDF"): the cloud prints the shipped Plant
 * manager of the demo plant through Chromium, with the variables of the page's address.
 */
describe.runIf(hasChromium)('dashboard snapshot PDF', () => {
  const ui = useUiStack();

  it('downloads the dashboard as the screen shows it', async () => {
    const page = await (await ui.browser.newContext({ viewport: { width: 1440, height: 1000 } })).newPage();
    await page.goto(`${ui.cloud.url}/`);
    await signIn(page, ADMIN_EMAIL, DEMO_PASSWORD);
    const plants = await trpcCall<{ id: string; code: string }[]>(
      page,
      'tenancy.plants.list',
      undefined,
      'GET',
    );
    const riv = plants.find((p) => p.code === 'RIV')!.id;
    await page.goto(`${ui.cloud.url}/dashboards/plant-manager?plant=${riv}&range=last7d`);
    await page.getByRole('heading', { level: 1, name: 'Plant manager' }).waitFor();
    // The page's own widgets get the mark the snapshot waits for.
    await expect
      .poll(() => page.locator('[data-widget]:not([data-widget-ready])').count(), { timeout: 30_000 })
      .toBe(0);

    const download = page.waitForEvent('download', { timeout: 90_000 });
    await page.getByRole('button', { name: 'Download PDF' }).click();
    const file = join(screenshotDir, 'dashboard-snapshot.pdf');
    const saved = await download;
    expect(saved.suggestedFilename()).toMatch(/^plant-manager-.+\.pdf$/);
    await saved.saveAs(file);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(text).toContain('Plant manager');
    expect(text).toContain('OEE per day');
    expect(text).not.toMatch(/Loading|Waiting for live states/);
    await page.getByRole('button', { name: 'Download PDF' }).waitFor();
    // The cloud starts a Chromium of its own and waits for every widget (up to 45 s each wait): on the
    // loaded two-core machine the download alone has taken a minute, past the suite's test limit.
  }, 150_000);
});
