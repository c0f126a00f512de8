import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, DEMO_PASSWORD, hasChromium, screenshotDir, signIn, useUiStack } from './harness';

describe.runIf(hasChromium)('production master data in the web UI', () => {
  const ui = useUiStack();
  let page: Page;

  beforeAll(async () => {
    page = await (await ui.browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await page.goto(`${ui.cloud.url}/admin/production`);
    await signIn(page, ADMIN_EMAIL, DEMO_PASSWORD);
    await page.waitForURL(`${ui.cloud.url}/admin/production`);
  });

  it('maps a state to another loss bucket, and the mapping persists', async () => {
    const current = page.getByRole('navigation', { name: 'Main' }).locator('[aria-current="page"]');
    expect(await current.textContent()).toBe('Production master data');
    const microstop = page.getByRole('row', { name: /MICROSTOP/ });
    expect(await microstop.textContent()).toContain('Performance loss');

    await page.getByRole('button', { name: 'Edit state code MICROSTOP' }).click();
    const form = page.getByRole('form', { name: 'Edit state code MICROSTOP' });
    // Checked as the user types, with the API's rule.
    await form.getByLabel('Colour').fill('orange');
    await form.getByText('Use a colour like #22c55e').waitFor();
    await form.getByLabel('Colour').fill('#f97316');
    await form.getByLabel('Loss bucket').selectOption('availability_loss');
    await form.getByRole('button', { name: 'Save' }).click();
    await page.getByText('State MICROSTOP was saved: Availability loss.').waitFor();

    await page.reload();
    await microstop.waitFor();
    expect(await microstop.textContent()).toContain('Availability loss');
  });

  it('shows the server’s field error for a product code already in use', async () => {
    const add = async (code: string, name: string) => {
      await page.getByRole('button', { name: 'Add product' }).click();
      const form = page.getByRole('form', { name: 'New product' });
      await form.getByLabel('Code').fill(code);
      await form.getByLabel('Name').fill(name);
      await form.getByRole('button', { name: 'Add' }).click();
      return form;
    };
    await add('WIDGET-E2E', 'Browser test widget');
    await page.getByText('Product WIDGET-E2E was added.').waitFor();
    await page.getByRole('row', { name: /WIDGET-E2E/ }).waitFor();

    const form = await add('WIDGET-E2E', 'Another widget');
    await form.getByText('Already in use', { exact: true }).waitFor();
    expect(await form.getByLabel('Code').getAttribute('aria-invalid')).toBe('true');
    await form.getByRole('button', { name: 'Cancel' }).click();
  });

  it('sets a machine’s default ideal cycle time', async () => {
    const form = page.getByRole('form', { name: 'Set an ideal cycle time' });
    await form.getByLabel('Seconds per unit').fill('0');
    await form.getByText('Must be above zero').waitFor();
    await form.getByLabel('Seconds per unit').fill('12.5');
    await form.getByRole('button', { name: 'Set cycle time' }).click();
    await page.getByText(/Machine default of .+ is now 12.5 s per unit/).waitFor();
    const row = page.getByRole('row', { name: /Machine default/ });
    expect(await row.textContent()).toContain('12.5');
  });

  it('plans a downtime for tomorrow and deletes it again', async () => {
    const tomorrow = new Date(Date.now() + 86_400_000);
    const day = `${tomorrow.getFullYear()}-${String(tomorrow.getMonth() + 1).padStart(2, '0')}-${String(tomorrow.getDate()).padStart(2, '0')}`;
    await page.getByRole('button', { name: 'Plan downtime' }).click();
    const form = page.getByRole('form', { name: 'New planned downtime' });
    await form.getByLabel('Starts').fill(`${day}T08:00`);
    await form.getByLabel('Ends').fill(`${day}T06:00`);
    await form.getByText('Not after the start').waitFor();
    await form.getByLabel('Starts').fill(`${day}T06:00`);
    await form.getByLabel('Ends').fill(`${day}T08:00`);
    await form.getByLabel('Note').fill('Browser test maintenance');
    await form.getByRole('button', { name: 'Plan' }).click();
    await page.getByText('The maintenance was planned.').waitFor();
    const row = page.getByRole('row', { name: /Browser test maintenance/ });
    expect(await row.textContent()).toContain('Whole plant');
    await page.screenshot({ path: `${screenshotDir}/admin-production.png`, fullPage: true });

    await row.getByRole('button', { name: /Delete the maintenance/ }).click();
    await row.getByRole('button', { name: 'Delete' }).click();
    await page.getByText('The planned downtime was deleted.').waitFor();
    expect(await page.getByRole('row', { name: /Browser test maintenance/ }).count()).toBe(0);
  });
});
