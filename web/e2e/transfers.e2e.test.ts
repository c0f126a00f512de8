import type { Browser } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
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
 * A transfer between the demo's two plants in the browser (docs/logistics.md, "Transfers"). A user of
 * Riverside only plans it, packs it at the packing station by scanning and ships it; a user of
 * Lakeside only finds it among the incoming transfers, receives the pallet's carton by scanning its
 * SSCC, and on finishing counts one unit short and says so; both plants then see it received with
 * the discrepancy.
 */

const PASSWORD = 'transfers-browser-password';
const people = {
  sender: { email: 'sam.sender.trf@demo.plantline.local', name: 'Sam Sender', roles: ['planner', 'shipper'] },
  receiver: { email: 'rita.receiver.trf@demo.plantline.local', name: 'Rita Receiver', roles: ['shipper'] },
} as const;

/** The demo products' GTINs (schema/src/demo-plant.ts). */
const BRK_100 = '09521234100010';

async function pageAs(browser: Browser, baseUrl: string, email: string, password: string, path: string) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${baseUrl}${path}`);
  await signIn(page, email, password);
  return page;
}

describe.runIf(hasChromium)('a transfer between two plants', () => {
  const ui = useUiStack();

  beforeAll(async () => {
    const admin = await pageAs(ui.browser, ui.cloud.url, ADMIN_EMAIL, DEMO_PASSWORD, '/');
    const roles = await trpcCall<{ id: string; key: string }[]>(admin, 'rbac.roles.list', undefined, 'GET');
    const plants = await trpcCall<{ id: string; code: string }[]>(
      admin,
      'tenancy.plants.list',
      undefined,
      'GET',
    );
    const plant = (code: string) => plants.find((p) => p.code === code)!.id;
    for (const [person, plantCode] of [
      [people.sender, 'RIV'],
      [people.receiver, 'LAK'],
    ] as const)
      await trpcCall(admin, 'users.create', {
        email: person.email,
        displayName: person.name,
        password: PASSWORD,
        roleIds: person.roles.map((key) => roles.find((r) => r.key === key)!.id),
        plantIds: [plant(plantCode)],
      });
    await admin.context().close();
  });

  it('is packed and shipped at one plant and received by SSCC at the other, one line short', async () => {
    const sender = await pageAs(ui.browser, ui.cloud.url, people.sender.email, PASSWORD, '/');
    await sender.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Transfers' }).click();
    await sender.getByRole('heading', { level: 1, name: 'Transfers' }).waitFor();
    await sender.getByRole('link', { name: 'New transfer' }).click();
    await sender.getByRole('heading', { level: 1, name: 'New transfer' }).waitFor();
    // Nothing chosen: the form says what is missing before anything is sent.
    await sender.getByRole('button', { name: 'Create transfer' }).click();
    await sender.locator('p.field-error', { hasText: 'Choose the plant it goes to' }).waitFor();
    await sender.getByLabel('To', { exact: true }).selectOption({ index: 1 });
    await sender.getByLabel('Product 1').selectOption({ label: 'BRK-100 · Brake caliper 100' });
    await sender.getByLabel('Quantity 1').fill('3');
    await sender.getByRole('button', { name: 'Create transfer' }).click();
    await sender.getByText('The transfer was created.').waitFor();
    await sender.getByLabel('Status: Draft').waitFor();
    const number = (await sender.locator('h1 .mono').textContent())!.trim();
    expect(number).toMatch(/^TRF-RIV-\d{4}-\d{5}$/);
    const transferUrl = sender.url().replace(/\?.*$/, '');

    await sender.getByRole('link', { name: 'Open packing station' }).click();
    await sender.getByRole('heading', { level: 1, name: 'Packing station' }).waitFor();
    await sender.getByRole('button', { name: 'New carton' }).click();
    const answer = sender.locator('.answer[data-result]');
    await answer.getByText(/^Carton \d{18} is open$/).waitFor();
    const scan = sender.getByLabel('Scan', { exact: true });
    await expect.poll(() => scan.evaluate((el) => el === document.activeElement)).toBe(true);
    await scan.fill(`01${BRK_100}303`);
    await scan.press('Enter');
    await answer.getByText('3 × BRK-100 packed: BRK-100 is complete').waitFor();
    await sender.screenshot({ path: `${screenshotDir}/transfer-packing.png` });

    await sender.goto(transferUrl);
    await sender.getByRole('button', { name: 'Ship…' }).click();
    const shipDialog = sender.getByRole('dialog', { name: `Ship ${number} to LAK` });
    await shipDialog.getByLabel('Tracking number').fill('TRUCK-42');
    await shipDialog.getByRole('button', { name: 'Ship', exact: true }).click();
    await sender.getByText(`${number} is in transit to LAK.`).waitFor();
    await sender.getByLabel('Status: In transit').waitFor();
    const sscc = await sender
      .getByRole('list', { name: 'Packages' })
      .locator('li[data-sscc]')
      .first()
      .getAttribute('data-sscc');
    expect(sscc).toMatch(/^\d{18}$/);

    // Lakeside sees it among its incoming transfers, and receives it.
    const receiver = await pageAs(
      ui.browser,
      ui.cloud.url,
      people.receiver.email,
      PASSWORD,
      '/logistics/transfers?direction=incoming',
    );
    await receiver.locator(`tr[data-transfer="${number}"]`).getByRole('link', { name: number }).click();
    await receiver.waitForURL(transferUrl);
    await receiver.getByLabel('Status: In transit').waitFor();
    expect(await receiver.getByRole('link', { name: 'Open packing station' }).count()).toBe(0);
    await receiver.getByRole('link', { name: 'Open receiving station' }).click();
    await receiver.getByRole('heading', { level: 1, name: 'Receiving station' }).waitFor();
    const received = receiver.locator('.answer[data-result]');
    const receiveScan = receiver.getByLabel('Scan', { exact: true });
    await receiveScan.fill(`00${sscc}`);
    await receiveScan.press('Enter');
    await received.getByText(`Carton ${sscc} received: every package of ${number} is in`).waitFor();
    expect(await received.getAttribute('data-result')).toBe('ok');
    await receiveScan.fill(`00${sscc}`);
    await receiveScan.press('Enter');
    await receiver.locator('.answer[data-result="duplicate"]').waitFor();
    await receiver.screenshot({ path: `${screenshotDir}/transfer-receiving.png` });

    await receiver.goto(transferUrl);
    await receiver.getByRole('button', { name: 'Finish receiving…' }).click();
    const finish = receiver.getByRole('dialog', { name: `Finish receiving ${number}` });
    await finish.getByLabel('Counted BRK-100').fill('2');
    // A difference without a reason is refused before anything is sent.
    await finish.getByRole('button', { name: 'Finish receiving' }).click();
    await finish.getByText('2 of 3 arrived: choose why').waitFor();
    await finish.getByLabel('Reason BRK-100').selectOption('short');
    await finish.getByLabel('Note BRK-100').fill('One caliper missing from the carton');
    await finish.getByRole('button', { name: 'Finish receiving' }).click();
    await receiver.getByText(`${number} was received.`).waitFor();
    await receiver.getByLabel('Status: Received').waitFor();
    const shortRow = receiver
      .getByRole('table', { name: 'Receipts' })
      .locator('tr[data-discrepancy="short"]');
    await shortRow.waitFor();
    expect(await shortRow.textContent()).toContain('One caliper missing from the carton');
    await receiver.screenshot({ path: `${screenshotDir}/transfer-received.png`, fullPage: true });

    // The sending plant's page follows: received, with the discrepancy.
    await sender.getByLabel('Status: Received').waitFor();
    await sender.getByRole('table', { name: 'Receipts' }).locator('tr[data-discrepancy="short"]').waitFor();
  });
});
