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

/** The date `days` from today in Riverside's calendar (Europe/Berlin), as YYYY-MM-DD. */
function riversideDate(days: number): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(new Date());
  const date = new Date(`${today}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

describe.runIf(hasChromium)('customers and delivery requests', () => {
  const ui = useUiStack();

  it('a planner adds a customer with a ship-to address, records a request, promises a date and re-promises it', async () => {
    // A planner of Riverside, made by the administrator.
    const admin = await (await ui.browser.newContext()).newPage();
    await admin.goto(`${ui.cloud.url}/`);
    await signIn(admin, ADMIN_EMAIL, DEMO_PASSWORD);
    const roles = await trpcCall<{ id: string; key: string }[]>(admin, 'rbac.roles.list', undefined, 'GET');
    const plants = await trpcCall<{ id: string; code: string }[]>(
      admin,
      'tenancy.plants.list',
      undefined,
      'GET',
    );
    await trpcCall(admin, 'users.create', {
      email: 'pia@demo.plantline.local',
      displayName: 'Pia Planner',
      password: 'pia-password-1234',
      roleIds: [roles.find((r) => r.key === 'planner')!.id],
      plantIds: [plants.find((p) => p.code === 'RIV')!.id],
    });

    const context = await ui.browser.newContext({ viewport: { width: 1440, height: 1000 } });
    const page = await context.newPage();
    await page.goto(`${ui.cloud.url}/`);
    await signIn(page, 'pia@demo.plantline.local', 'pia-password-1234');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Customers' }).click();
    await page.getByRole('heading', { level: 1, name: 'Customers' }).waitFor();
    // The demo's customers are there.
    await page.locator('tr[data-customer="NORDBRAKE"]').waitFor();

    // A new customer: a GLN with a wrong check digit is refused with the digit it should end in.
    await page.getByRole('button', { name: 'New customer' }).click();
    await page.getByLabel('Code').fill('HANSA');
    await page.getByLabel('Name').fill('Hansa Fahrzeugbau KG');
    await page.getByLabel('GLN').fill('0952876000305');
    await page.getByText('Wrong check digit: a GLN starting 095287600030 ends in 4').waitFor();
    await page.getByRole('button', { name: 'Add customer' }).click();
    expect(await page.getByLabel('GLN').getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('GLN').fill('0952876 00030 4');
    await page.getByLabel('Email').fill('einkauf@hansa.example');
    await page.getByRole('button', { name: 'Add customer' }).click();
    await page.getByText('The customer was added.').waitFor();
    await page.getByRole('heading', { level: 1, name: 'Customer HANSA' }).waitFor();
    await page.getByText('0952876000304').waitFor();

    // Its ship-to address, with a GLN of its own, refused first for its check digit.
    await page.getByRole('button', { name: 'Add address' }).click();
    const address = page.getByRole('form', { name: 'New address of HANSA' });
    await address.getByLabel('Label').fill('Kiel works');
    await address.getByLabel('Recipient').fill('Hansa Fahrzeugbau KG, Wareneingang');
    await address.getByLabel('Street', { exact: true }).fill('Werftstraße 4');
    await address.getByLabel('Postal code').fill('24143');
    await address.getByLabel('City').fill('Kiel');
    await address.getByLabel('Country').selectOption({ label: 'Germany (DE)' });
    await address.getByLabel('Ship-to GLN').fill('0952876000310');
    await address.getByText('Wrong check digit: a GLN starting 095287600031 ends in 1').waitFor();
    await address.getByLabel('Ship-to GLN').fill('0952876000311');
    await address.getByRole('button', { name: 'Add' }).click();
    await page.getByText('Address Kiel works was added.').waitFor();
    const row = page.locator('tr[data-address="Kiel works"]');
    await row.getByText('Default').waitFor();
    expect(await row.textContent()).toContain('Werftstraße 4, 24143 Kiel, Germany');
    await page.screenshot({ path: `${screenshotDir}/customer.png`, fullPage: true });

    // A delivery request from the customer's page: its default address unless another is chosen.
    await page.getByRole('link', { name: 'New delivery request' }).click();
    await page.getByRole('heading', { level: 1, name: 'New delivery request' }).waitFor();
    const year = new Date().getUTCFullYear();
    // The demo has six open requests of Riverside and eight it shipped in the weeks before
    // (cloud/src/modules/demo/demo-logistics.ts, demo-shipping-history.ts).
    const number = `DR-RIV-${year}-00015`;
    await page.getByText(`It will be ${number}.`).waitFor();
    expect(await page.getByLabel('Customer', { exact: true }).inputValue()).not.toBe('');
    await page.getByRole('button', { name: 'Record request' }).click();
    await page.locator('#request-product-error').getByText('Choose a product').waitFor();
    await page.getByLabel('Product').selectOption({ label: 'BRK-100 · Brake caliper 100' });
    await page.getByLabel('Quantity').fill('0');
    await page.getByText('More than 0').waitFor();
    await page.getByLabel('Quantity').fill('120');
    await page.getByLabel('Requested date').fill(riversideDate(7));
    await page.getByLabel('Customer PO').fill('HF-2026-0815');
    await page.getByRole('button', { name: 'Record request' }).click();
    await page.getByText('The request was recorded.').waitFor();
    await page.getByRole('heading', { level: 1, name: `Delivery request ${number}` }).waitFor();
    await page.getByText('Not promised yet.').waitFor();

    // The first promise needs no reason.
    await page.getByRole('button', { name: 'Promise a date' }).click();
    await page.getByLabel('Promised date', { exact: true }).fill(riversideDate(8));
    await page.getByRole('button', { name: 'Promise', exact: true }).click();
    await page.getByText(`${number} is promised for`).waitFor();
    const history = page.getByRole('table', { name: 'Promise history' });
    await history.locator(`tr[data-promise="${riversideDate(8)}"]`).waitFor();

    // A later one does: the form says so before anything is sent.
    await page.getByRole('button', { name: 'Promise a date' }).click();
    await page.getByLabel('Promised date', { exact: true }).fill(riversideDate(10));
    await page.getByRole('button', { name: 'Promise', exact: true }).click();
    await page.getByText('Say why the promised date moves').waitFor();
    await page
      .getByRole('form', { name: 'Promise a date' })
      .getByLabel('Reason')
      .fill('Caliper housings arrive two days late from the foundry');
    await page.getByRole('button', { name: 'Promise', exact: true }).click();
    await history.locator(`tr[data-promise="${riversideDate(10)}"]`).waitFor();

    // The history shows both, the first and the latest marked, the reason with the second.
    const first = history.locator(`tr[data-promise="${riversideDate(8)}"]`);
    const latest = history.locator(`tr[data-promise="${riversideDate(10)}"]`);
    expect(await history.locator('tbody tr').count()).toBe(2);
    expect(await first.getByText('First', { exact: true }).count()).toBe(1);
    expect(await first.getByText('Latest', { exact: true }).count()).toBe(0);
    expect(await latest.getByText('Latest', { exact: true }).count()).toBe(1);
    expect(await latest.textContent()).toContain('Caliper housings arrive two days late from the foundry');
    expect(await latest.textContent()).toContain('Pia Planner');
    await page.screenshot({ path: `${screenshotDir}/delivery-request.png`, fullPage: true });

    // The list of due requests has it, due on the latest promise.
    await page.locator('main').getByRole('link', { name: 'Delivery requests', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Delivery requests' }).waitFor();
    await page.getByLabel('Words').fill('HF-2026-0815');
    await page.getByLabel('Words').press('Enter');
    await page.waitForURL(/q=HF-2026-0815/);
    const listed = page.locator(`tr[data-request="${number}"]`);
    await listed.waitFor();
    expect(await page.locator('tr[data-request]').count()).toBe(1);
    expect(await listed.textContent()).toContain('+3 d');
    await page.screenshot({ path: `${screenshotDir}/delivery-requests.png`, fullPage: true });
    await context.close();
  });
});
