import { describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, DEMO_PASSWORD, hasChromium, screenshotDir, signIn, useUiStack } from './harness';

/** The demo numbers its orders in the year it is seeded. */
const YEAR = new Date().getFullYear();

/*
 * A lot's page (docs/materials.md, "A lot's page") on the demo: opened from the trace, it shows the
 * supplier's cast-iron lot with its supplier lot, movements and its genealogy graph reaching the
 * product lots and their customers; blocking it with a reason warns about what was made from it in
 * stock, and the lot made from it then reads as held, with its own graph leading back.
 */
describe.runIf(hasChromium)('a lot’s page in the web UI', () => {
  const ui = useUiStack();

  it('opens a lot from the trace, shows its graph, blocks it and follows the hold downstream', async () => {
    const page = await (await ui.browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await page.goto(`${ui.cloud.url}/materials/trace?supplierLot=EN-88412`);
    await signIn(page, ADMIN_EMAIL, DEMO_PASSWORD);
    await page.waitForURL(/\/materials\/trace/);
    await page
      .getByRole('row', { name: /CI-2401/ })
      .getByRole('link', { name: 'CI-2401' })
      .click();

    await page.waitForURL(/\/materials\/lots\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { level: 1, name: 'Lot CI-2401' }).waitFor();
    expect(await page.getByLabel('Status: Released').textContent()).toBe('Released');
    expect(await page.locator('dl.facts').textContent()).toContain('EN-88412');
    const movements = page.getByRole('table', { name: 'Movements of lot CI-2401' });
    const kinds = await movements
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-kind')));
    expect(kinds).toContain('receipt');
    expect(kinds).toContain('consumption');
    // Nothing went into a received lot; what was made from it is drawn, and where it was shipped.
    await page.getByText('Nothing recorded went into it').waitFor();
    const forward = page.getByLabel('Went into', { exact: true });
    await forward.getByText(`PO-RIV-${YEAR}-00001`).waitFor();
    await forward.getByText(`PO-RIV-${YEAR}-00005`).waitFor();
    const shipped = page.getByRole('table', { name: 'Shipped from lot CI-2401' });
    expect(await shipped.textContent()).toContain('Nordbrake Automotive GmbH');
    await page.screenshot({ path: `${screenshotDir}/lot-page.png`, fullPage: true });

    await page.getByRole('textbox', { name: 'Reason' }).fill('Foundry reports porosity in melt EN-88412');
    await page.getByRole('button', { name: 'Block' }).click();
    await page.getByText('Lot CI-2401 is blocked. 2 lots made from it are in stock').waitFor();
    await page.getByLabel('Status: Blocked').waitFor();
    expect(await page.getByText('Foundry reports porosity in melt EN-88412').count()).toBeGreaterThan(0);
    expect(await page.getByRole('button', { name: 'Block' }).isDisabled()).toBe(true);

    // A lot made from it: held by the block, and its graph leads back to the cast iron.
    await page.getByRole('list', { name: 'Made from it, in stock' }).getByRole('link').first().click();
    await page.getByRole('heading', { level: 1, name: new RegExp(`Lot PO-RIV-${YEAR}-0000[15]`) }).waitFor();
    await page.getByText('Made from blocked lot CI-2401').waitFor();
    await page
      .getByLabel('Made from', { exact: true })
      .getByRole('link', { name: 'CI-2401', exact: true })
      .waitFor();
    await page.screenshot({ path: `${screenshotDir}/lot-page-held.png`, fullPage: true });
  });
});
