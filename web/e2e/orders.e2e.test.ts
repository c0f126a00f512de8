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

describe.runIf(hasChromium)('production orders', () => {
  const ui = useUiStack();

  it('creates an order numbered from the plant’s sequence, due in plant time, with its custom fields, and moves it along', async () => {
    const context = await ui.browser.newContext({
      viewport: { width: 1280, height: 900 },
      timezoneId: 'America/New_York',
    });
    const page = await context.newPage();
    await page.goto(`${ui.cloud.url}/`);
    await signIn(page, ADMIN_EMAIL, DEMO_PASSWORD);
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Production orders' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Production orders' }).waitFor();
    await page.getByLabel('Plant', { exact: true }).selectOption({ label: 'RIV · Riverside Assembly' });
    await page.waitForURL(/plant=/);
    // The demo's open orders of the plant are listed.
    await page.locator('tr[data-order]').first().waitFor();
    // An engineer's field on orders, defined a moment ago: the new order form has it, no reload.
    await trpcCall(page, 'config.fields.create', {
      entityType: 'production_order',
      key: 'customer_ref',
      label: 'Customer reference',
      type: 'text',
      required: true,
      settings: { pattern: 'CR-[0-9]+' },
      helpText: 'CR- and digits',
    });

    await page.getByRole('button', { name: 'New order' }).click();
    const year = new Date().getUTCFullYear();
    // The plant's scheme offers the number after the demo's own orders.
    const hint = await page
      .getByText(/^Leave empty for the next number, PO-RIV-\d{4}-\d{5}\.$/)
      .textContent();
    const number = /PO-RIV-\d{4}-\d{5}/.exec(hint ?? '')?.[0] ?? '';
    expect(number.startsWith(`PO-RIV-${year}-`)).toBe(true);
    // Nothing chosen yet: the form says what is missing, beside the fields.
    await page.getByRole('button', { name: 'Create order' }).click();
    await page.getByText('Choose a product').waitFor();
    await page.getByText('Enter a quantity').waitFor();
    const customerRef = page.getByLabel('Customer reference');
    expect(await customerRef.getAttribute('aria-invalid')).toBe('true');
    await customerRef.fill('12345');
    await page.getByText('Does not match the expected format: CR- and digits').waitFor();
    await customerRef.fill('CR-4711');
    await page.getByLabel('Product', { exact: true }).selectOption({ index: 1 });
    await page.getByLabel('Line', { exact: true }).selectOption({ label: 'L1 · Line 1' });
    await page.getByLabel('Quantity', { exact: true }).fill('250');
    await page.getByLabel('Due', { exact: true }).fill(`${year + 1}-01-15T14:00`);
    await page.getByRole('button', { name: 'Create order' }).click();
    await page.getByText(`Order ${number} was created.`).waitFor();

    const row = page.locator(`tr[data-order="${number}"]`);
    await row.getByText('Planned').waitFor();
    // Berlin's 14:00, whatever the browser's own zone (New York here).
    expect(await row.locator('td').nth(5).textContent()).toBe(`15 Jan ${year + 1}, 14:00`);
    await page.screenshot({ path: `${screenshotDir}/orders.png`, fullPage: true });
    // Stored with the order in the same call; its number links to the order's custom fields.
    const orders = await trpcCall<{ rows: { code: string; values: Record<string, unknown> }[] }>(
      page,
      'config.records.list',
      { entityType: 'production_order', columns: ['customer_ref'] },
      'GET',
    );
    expect(orders.rows.find((o) => o.code === number)?.values).toEqual({
      customer_ref: 'CR-4711',
    });

    await row.getByRole('button', { name: `Release ${number}` }).click();
    await row.getByText('Released').waitFor();
    await row.getByRole('button', { name: `Start ${number}` }).click();
    await row.getByText('In progress').waitFor();
    expect(await row.getByRole('button').allTextContents()).toEqual(['Complete', 'Cancel']);
    await context.close();
  });
});
