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

describe.runIf(hasChromium)('engineering change orders', () => {
  const ui = useUiStack();

  it('raises a change order with products, edits its items, and shows the product’s revisions', async () => {
    const context = await ui.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${ui.cloud.url}/`);
    await signIn(page, ADMIN_EMAIL, DEMO_PASSWORD);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Change orders' }).click();
    await page.getByRole('heading', { level: 1, name: 'Change orders' }).waitFor();
    const year = new Date().getUTCFullYear();
    // The demo's open change order to the brake caliper.
    const demo = page.locator(`tr[data-change-order="ECO-${year}-00001"]`);
    await demo.getByText('BRK-100').waitFor();
    await demo.getByText('High').waitFor();
    // Its workflow started with it; the demo's people took it to the change board.
    const demoId = (await demo.getByRole('link').getAttribute('href'))?.split('/').at(-1) ?? '';
    const demoWorkflow = await trpcCall<{ instance: { state: { key: string } } | null }>(
      page,
      'workflow.instances.get',
      { entityType: 'change_order', entityId: demoId },
      'GET',
    );
    expect(demoWorkflow.instance?.state.key).toBe('change_board');

    await page.getByRole('link', { name: 'New change order' }).click();
    await page.getByRole('heading', { level: 1, name: 'New change order' }).waitFor();
    const number = `ECO-${year}-00002`;
    await page.getByText(`It will be numbered ${number}.`).waitFor();
    // Nothing filled in yet: the form says what is missing, beside the fields.
    await page.getByRole('button', { name: 'Create change order' }).click();
    await page.getByText('Enter a title').waitFor();
    await page.getByText('Choose a product').waitFor();

    await page.getByLabel('Title').fill('Flange and shaft: new material');
    await page
      .getByRole('textbox', { name: 'Reason', exact: true })
      .fill('Supplier discontinued the 42CrMo4 bar stock.');
    await page.getByLabel('Urgency').selectOption({ label: 'Emergency' });
    await page.getByLabel('Takes effect').selectOption({ label: 'From a lot' });
    await page.getByRole('button', { name: 'Create change order' }).click();
    await page.getByText('Enter a lot').waitFor();
    await page.getByLabel('First lot').fill('LOT-77');
    const row = (index: number) => page.locator(`[data-item-row="${index}"]`);
    await row(0).getByLabel('Product').selectOption({ label: 'BRK-100 · Brake caliper 100 (rev. A)' });
    await row(0).getByLabel('Routing').selectOption({ label: 'RT-BRK-100 · Brake caliper 100' });
    await row(0).getByLabel('Note').fill('Material 42CrMo4 → 34CrNiMo6');
    await page.getByRole('button', { name: 'Add product' }).click();
    await row(1).getByLabel('Product').selectOption({ label: 'BRK-100 · Brake caliper 100 (rev. A)' });
    await page.getByRole('button', { name: 'Create change order' }).click();
    await page.getByText('Listed twice').waitFor();
    await row(1).getByLabel('Product').selectOption({ label: 'SHF-020 · Drive shaft 020 (rev. A)' });
    await page.getByRole('button', { name: 'Create change order' }).click();

    await page.getByText('The change order was created.').waitFor();
    await page.getByRole('heading', { level: 1, name: `Change order ${number}` }).waitFor();
    const items = page.getByRole('table', { name: `Products of ${number}` });
    const brake = items.locator('tr[data-item="BRK-100"]');
    await brake.getByText('RT-BRK-100').waitFor();
    expect(await brake.locator('td').nth(3).textContent()).toBe('A → next');
    await page.getByText('From lot LOT-77').waitFor();
    const workflow = page.getByRole('region', { name: 'Workflow' });
    await workflow.getByText('Draft', { exact: true }).first().waitFor();

    // Edited in place: a field, then the items, each against the version shown.
    await page.getByRole('button', { name: 'Edit' }).click();
    await page.getByLabel('Title').fill('Flange, shaft and caliper: new material');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText(`${number} was saved.`).waitFor();
    await page.getByText('Flange, shaft and caliper: new material').first().waitFor();
    await items.getByRole('button', { name: 'Remove SHF-020' }).click();
    await page.getByText('SHF-020 was removed.').waitFor();
    await page.getByRole('button', { name: 'Add products' }).click();
    await page
      .getByRole('form', { name: 'Add products' })
      .getByLabel('Product')
      .selectOption({ label: 'FLG-450 · Flange 450 (rev. A)' });
    await page.getByRole('button', { name: `Add to ${number}` }).click();
    await page.getByText('The product was added.').waitFor();
    await items.locator('tr[data-item="FLG-450"]').waitFor();
    expect(
      await items
        .locator('tr[data-item]')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-item'))),
    ).toEqual(['BRK-100', 'FLG-450']);
    // Its workflow beside it: submitting (a comment is optional) moves it to screening, and the record
    // shows the new state.
    await workflow.getByRole('button', { name: 'Submit' }).click();
    await page.getByRole('dialog', { name: 'Submit' }).getByRole('button', { name: 'Confirm' }).click();
    await workflow.getByText('Screening', { exact: true }).first().waitFor();
    await page.getByLabel('State: Screening').waitFor();
    await page.screenshot({ path: `${screenshotDir}/change-order.png`, fullPage: true });

    // The product's page: its revision history, from its first revision.
    await brake.getByRole('link', { name: 'BRK-100' }).click();
    await page.getByRole('heading', { level: 1, name: 'Product BRK-100' }).waitFor();
    const revisions = page.getByRole('table', { name: 'Revisions' });
    await revisions.locator('tr[data-revision="A"]').getByText('Initial revision').waitFor();
    await page.getByText('Current revision A').waitFor();

    // The list filters by product and urgency, kept in the URL; a state badge filters by its state.
    await page.goto(`${ui.cloud.url}/change-orders`);
    await page.getByLabel('Emergency').check();
    await page.waitForURL(/urgency=emergency/);
    await demo.waitFor({ state: 'detached' });
    await page.locator(`tr[data-change-order="${number}"]`).waitFor();
    expect(await page.locator('tr[data-change-order]').count()).toBe(1);
    await page.getByLabel('Emergency').uncheck();
    await page.getByLabel('Product', { exact: true }).selectOption({ label: 'FLG-450 · Flange 450' });
    await page.waitForURL(/product=/);
    await demo.waitFor({ state: 'detached' });
    await page
      .locator(`tr[data-change-order="${number}"]`)
      .getByRole('button', { name: 'Screening' })
      .click();
    await page.waitForURL(/status=screening/);
    await page.getByRole('button', { name: 'Show every state, not only Screening' }).waitFor();
    await page.screenshot({ path: `${screenshotDir}/change-orders.png`, fullPage: true });
    // Without the product and state filters, the demo's change order (at its board) is back.
    await page.getByLabel('Product', { exact: true }).selectOption({ label: 'Any product' });
    await page.waitForURL((url) => !url.searchParams.has('product'));
    await page.getByRole('button', { name: 'Show every state, not only Screening' }).click();
    await demo.waitFor();
    expect(page.url()).not.toMatch(/status=|product=/);
    await context.close();
  });
});
