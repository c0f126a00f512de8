import { packedPallet } from '@plantline/cloud/testing/packed-packages';
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
 * Labels in the browser (docs/labels.md, "Issuing and printing"): a printer added on the Printers
 * page, a packed pallet's label issued and shown, printed on that printer — claimed and reported by
 * a poller standing in for the plant's edge, with the demo edge's key — and the print log following
 * the print until it is printed; then a reprint, which asks why.
 */
describe.runIf(hasChromium)('labels', () => {
  const ui = useUiStack();

  /** What the plant's edge does: takes the plant's print jobs and reports each printed. */
  async function edgePrintsEverything(): Promise<string[]> {
    const call = async (path: string, body: unknown) => {
      const response = await fetch(`${ui.cloud.url}/trpc/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ui.cloud.demoEdgeKey()}` },
        body: JSON.stringify(body),
      });
      return ((await response.json()) as { result: { data: unknown } }).result.data;
    };
    const { jobs } = (await call('logistics.printing.jobs', { waitMs: 10_000 })) as {
      jobs: { printId: string; zpl: string }[];
    };
    for (const job of jobs)
      await call('logistics.printing.result', { printId: job.printId, ok: true, status: null, error: null });
    return jobs.map((job) => job.zpl);
  }

  it('issues a pallet’s label, shows it, prints it through the edge and logs the print and a reprint', async () => {
    const context = await ui.browser.newContext({ viewport: { width: 1440, height: 1000 } });
    const page = await context.newPage();
    await page.goto(`${ui.cloud.url}/`);
    await signIn(page, ADMIN_EMAIL, DEMO_PASSWORD);

    // A printer at Riverside, added on the Printers page beside the demo's dock printer.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Printers' }).click();
    await page.getByRole('heading', { level: 1, name: 'Printers' }).waitFor();
    await page.locator('tr[data-printer="DOCK-1"]').first().waitFor();
    await page.getByRole('button', { name: 'Add printer' }).click();
    const form = page.getByRole('form', { name: 'New printer' });
    await form.getByLabel('Plant').selectOption({ label: 'RIV · Riverside Assembly' });
    await form.getByLabel('Code').fill('PACK-2');
    await form.getByLabel('Name').fill('Packing line 2');
    await form.getByLabel('Host').fill('tcp://10.0.0.5');
    await form.getByText('A host name or an IP address, without a scheme or port').waitFor();
    await form.getByLabel('Host').fill('10.0.0.5');
    await form.getByLabel('Print density').selectOption({ label: '300 dpi (12 dots/mm)' });
    await form.getByRole('button', { name: 'Add' }).click();
    await page.getByText('Printer PACK-2 was added.').waitFor();
    await page.locator('tr[data-printer="PACK-2"]').getByText('10.0.0.5:9100').waitFor();

    // A pallet packed at Riverside, and its label issued as the shipment page issues it.
    const me = await trpcCall<{ tenant: { id: string } }>(page, 'auth.me', undefined, 'GET');
    const plants = await trpcCall<{ id: string; code: string }[]>(
      page,
      'tenancy.plants.list',
      undefined,
      'GET',
    );
    const plantId = plants.find((p) => p.code === 'RIV')!.id;
    const pallet = await packedPallet(ui.cloud.deps.db, { tenantId: me.tenant.id, plantId });
    const label = await trpcCall<{ id: string }>(page, 'logistics.labels.issue', {
      packageId: pallet.packageId,
      templateKey: 'pallet-4x6',
    });

    await page.goto(`${ui.cloud.url}/logistics/labels/${label.id}`);
    await page.getByRole('heading', { level: 1, name: `Label ${pallet.sscc}` }).waitFor();
    const preview = page.locator('img[data-label-preview]');
    await preview.waitFor();
    await expect.poll(() => preview.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
    expect(await page.getByRole('link', { name: 'Open as PDF' }).getAttribute('href')).toBe(
      `/api/labels/${label.id}.pdf`,
    );
    await page.getByText('Not printed yet.').waitFor();

    const printForm = page.getByRole('form', { name: `Print Label ${pallet.sscc}` });
    await printForm.getByLabel('Printer').selectOption({ label: 'PACK-2 · Packing line 2' });
    await printForm.getByLabel('Copies').fill('2');
    await printForm.getByRole('button', { name: 'Print', exact: true }).click();
    await page.getByText("Print queued on PACK-2; the plant's edge sends it.").waitFor();
    const log = page.getByRole('table', { name: 'Print log' });
    await log.getByText('Queued').waitFor();

    const zpl = await edgePrintsEverything();
    expect(zpl).toHaveLength(1);
    expect(zpl[0]).toContain(`^FD(00)${pallet.sscc}^FS`);
    expect(zpl[0]).toMatch(/\^PQ2\n\^XZ\n$/);
    // The log is read again while the print is on its way, and shows it printed.
    await log.getByText('Printed').waitFor();
    await page.screenshot({ path: `${screenshotDir}/label.png`, fullPage: true });

    // Printed before: printing again is a reprint, and says why.
    await printForm.getByRole('button', { name: 'Reprint' }).click();
    await printForm.getByText('Say why it is printed again').waitFor();
    await printForm.getByLabel('Why print it again?').fill('Label torn when wrapping the pallet');
    await printForm.getByRole('button', { name: 'Reprint' }).click();
    await page.getByText("Reprint queued on PACK-2; the plant's edge sends it.").waitFor();
    await log.getByText('Label torn when wrapping the pallet').waitFor();
    expect(await log.locator('tbody tr').count()).toBe(2);
    await context.close();
  });
});
