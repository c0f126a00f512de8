import type { Page } from 'playwright-core';
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
 * Location labels in the browser (docs/labels.md, "Location labels"): on Stock by location two of
 * the demo's Riverside bins are ticked, previewed — each label carrying (414) the plant's GLN and
 * (254) the bin's code — and printed on the plant's dock printer, where the edge finds their jobs;
 * a plant without a GLN gets its refusal in the panel.
 */
describe.runIf(hasChromium)('location labels', () => {
  const ui = useUiStack();
  /** Riverside's GLN in the demo (DEMO_PLANT_ADDRESSES in demo-seed.ts). */
  const RIV_GLN = '9521234000013';

  async function openStock(page: Page) {
    await page.goto(`${ui.cloud.url}/materials/stock`);
    await signIn(page, ADMIN_EMAIL, DEMO_PASSWORD);
    await page.getByRole('heading', { level: 1, name: 'Stock by location' }).waitFor();
    await page.getByLabel('Plant', { exact: true }).selectOption({ label: 'RIV · Riverside Assembly' });
    await page.locator('li[data-location="RM-01"]').waitFor();
  }

  /** The SVG a label's preview shows, from its data URL. */
  async function previewSvg(page: Page, code: string): Promise<string> {
    const img = page.getByRole('img', { name: `Location label ${code}` });
    await img.waitFor();
    const src = (await img.getAttribute('src')) ?? '';
    return decodeURIComponent(src.slice(src.indexOf(',') + 1));
  }

  it('previews two bins’ labels and prints them on the plant’s printer', async () => {
    const context = await ui.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await openStock(page);

    await page.getByRole('checkbox', { name: 'Label RM-01' }).check();
    await page.getByRole('checkbox', { name: 'Label RM-02' }).check();
    const panel = page.locator('[data-location-labels]');
    await panel.getByText('2 locations chosen').waitFor();
    await panel.getByText('RM-01, RM-02').waitFor();

    await panel.getByRole('button', { name: 'Preview and PDF' }).click();
    await panel.getByText('2 labels issued: preview, PDF and print below.').waitFor();
    for (const code of ['RM-01', 'RM-02']) {
      const svg = await previewSvg(page, code);
      // The human-readable line under the DataMatrix, and the code in large type for the driver.
      expect(svg).toContain(`>(414)${RIV_GLN}(254)${code}<`);
      expect(svg).toContain(`>${code}<`);
    }
    const pdfs = panel.getByRole('link', { name: 'Open as PDF' });
    expect(await pdfs.count()).toBe(2);
    const pdf = await page.request.get(new URL((await pdfs.first().getAttribute('href'))!, page.url()).href);
    expect(pdf.headers()['content-type']).toBe('application/pdf');

    // The demo's one printer at Riverside is chosen already.
    const form = panel.getByRole('form', { name: 'Print location labels' });
    expect(await form.getByLabel('Printer').inputValue()).not.toBe('');
    await form.getByLabel('Copies of each').fill('2');
    await form.getByRole('button', { name: 'Print labels' }).click();
    await panel.getByText("2 labels queued on DOCK-1; the plant's edge sends them.").waitFor();
    // The printed labels replace the previewed ones, each with its print queued.
    await expect.poll(() => panel.locator('.label-panel').count()).toBe(2);
    await expect.poll(() => panel.getByText('Queued', { exact: true }).count()).toBe(2);
    await page.screenshot({ path: `${screenshotDir}/location-labels.png`, fullPage: true });

    // What the plant's edge claims: one job per bin, two copies each.
    const response = await fetch(`${ui.cloud.url}/trpc/logistics.printing.jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ui.cloud.demoEdgeKey()}` },
      body: JSON.stringify({ waitMs: 1_000 }),
    });
    const { jobs } = ((await response.json()) as { result: { data: { jobs: { zpl: string }[] } } }).result
      .data;
    expect(jobs).toHaveLength(2);
    for (const job of jobs) expect(job.zpl).toMatch(/\^PQ2\n\^XZ\n$/);
    expect(jobs.map((job) => job.zpl.match(/\(254\)(RM-0\d)/)?.[1]).sort()).toEqual(['RM-01', 'RM-02']);

    // A bin's label printed again from its own panel is a reprint that asks no reason: it names a bin.
    const own = panel.getByRole('form', { name: 'Print Location label RM-01' });
    expect(await own.getByLabel('Why print it again?').count()).toBe(0);
    await own.getByRole('button', { name: 'Reprint' }).click();
    await panel.getByText("Reprint queued on DOCK-1; the plant's edge sends it.").waitFor();

    // Another choice of locations starts afresh: no labels of a location no longer ticked.
    await page.getByRole('checkbox', { name: 'Label RM-02' }).uncheck();
    await panel.getByText('1 location chosen').waitFor();
    expect(await panel.locator('.label-panel').count()).toBe(0);
    expect(await panel.getByText('2 labels queued').count()).toBe(0);
    await context.close();
  });

  it('shows why a plant without a GLN cannot label its locations', async () => {
    const context = await ui.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await openStock(page);
    const plants = await trpcCall<{ id: string; code: string }[]>(
      page,
      'tenancy.plants.list',
      undefined,
      'GET',
    );
    const riverside = plants.find((p) => p.code === 'RIV')!;
    await trpcCall(page, 'tenancy.plants.update', { id: riverside.id, patch: { gln: null } });

    await page.getByRole('checkbox', { name: 'Label RM-01' }).check();
    const panel = page.locator('[data-location-labels]');
    await panel.getByRole('button', { name: 'Preview and PDF' }).click();
    await panel
      .getByRole('alert')
      .getByText('Plant RIV has no GLN: enter it to label its locations')
      .waitFor();
    expect(await panel.getByRole('img').count()).toBe(0);
    await context.close();
  });
});
