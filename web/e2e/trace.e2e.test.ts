import { describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, DEMO_PASSWORD, hasChromium, screenshotDir, signIn, useUiStack } from './harness';

/** The demo numbers its orders in the year it is seeded. */
const YEAR = new Date().getFullYear();

/*
 * The trace page (docs/materials.md, "Trace") on the demo: a supplier's lot code finds the demo's
 * cast-iron lot, its graph and table show it and the product lots made from it, and the direction
 * lives in the URL.
 */
describe.runIf(hasChromium)('trace and recall in the web UI', () => {
  const ui = useUiStack();

  it('traces a supplier lot forward and backward, as a graph and a table', async () => {
    const page = await (await ui.browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await page.goto(`${ui.cloud.url}/materials/trace`);
    await signIn(page, ADMIN_EMAIL, DEMO_PASSWORD);
    await page.waitForURL(`${ui.cloud.url}/materials/trace`);
    await page.getByRole('heading', { name: 'Trace and recall' }).waitFor();

    await page.getByLabel('Supplier lot').fill('EN-88412');
    await page.getByRole('button', { name: 'Trace' }).click();
    await page.waitForURL(/supplierLot=EN-88412/);
    // The demo's completed orders backflushed cast iron from this lot into a lot of each product,
    // and part of both lots left this morning (demo-dispatch.ts), one carton is being picked.
    await page.getByText('3 lots, 2 links, 2 orders, 3 shipments').waitFor();
    const row = page.getByRole('row', { name: /CI-2401/ });
    await row.waitFor();
    expect(await row.textContent()).toContain('RM-CAST-IRON');
    for (const [lot, product] of [
      [`PO-RIV-${YEAR}-00001`, 'BRK-100'],
      [`PO-RIV-${YEAR}-00005`, 'HSG-310'],
    ] as const) {
      expect(await page.getByRole('row', { name: new RegExp(`^${lot}`) }).textContent()).toContain(product);
    }
    await page.getByLabel('Genealogy graph').getByText('CI-2401').waitFor();
    const shipped = page.getByRole('row', { name: /Nordbrake Automotive GmbH/ });
    expect(await shipped.textContent()).toContain(`PO-RIV-${YEAR}-00001`);
    expect(await page.getByRole('row', { name: /Alpine Trucks AG.*shipped/ }).textContent()).toContain(
      `PO-RIV-${YEAR}-00005`,
    );
    await page
      .getByRole('row', { name: /Plant LAK/ })
      .first()
      .waitFor();

    await page.getByLabel('Backward').check();
    await page.waitForURL(/direction=backward/);
    await page.getByText('1 lot, 0 links, 0 orders').waitFor();
    await page.screenshot({ path: `${screenshotDir}/trace-page.png`, fullPage: true });

    await page.getByLabel('Supplier lot').fill('NO-SUCH-LOT');
    await page.getByRole('button', { name: 'Trace' }).click();
    await page.getByText('No lot has supplier lot NO-SUCH-LOT').waitFor();
  });
});
