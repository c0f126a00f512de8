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

describe.runIf(hasChromium)('NCRs', () => {
  const ui = useUiStack();

  it('raises an NCR, edits it against a stale version, finds it in the list, raises one from a failed inspection, and keeps to the workflow’s locks', async () => {
    const context = await ui.browser.newContext({ viewport: { width: 1440, height: 1000 } });
    const page = await context.newPage();
    await page.goto(`${ui.cloud.url}/`);
    await signIn(page, ADMIN_EMAIL, DEMO_PASSWORD);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'NCRs' }).click();
    await page.getByRole('heading', { level: 1, name: 'Non-conformance reports' }).waitFor();
    await page.getByLabel('Plant', { exact: true }).selectOption({ label: 'RIV · Riverside Assembly' });
    await page.waitForURL(/plant=/);
    // The demo's five NCRs of Riverside, from Draft to Closed.
    await page.locator('tr[data-ncr]').first().waitFor();
    expect(await page.locator('tr[data-ncr]').count()).toBe(5);

    // Raise: the form says what is missing, offers the plant's next number, and a machine sets its line.
    await page.getByRole('link', { name: 'New NCR' }).click();
    await page.getByRole('heading', { level: 1, name: 'New NCR' }).waitFor();
    const year = new Date().getUTCFullYear();
    const number = `NCR-RIV-${year}-00006`;
    await page.getByText(`It will be ${number}.`).waitFor();
    await page.getByRole('button', { name: 'Raise NCR' }).click();
    await page.getByText('Enter a title').waitFor();
    await page.getByLabel('Title').fill('Chipped flange on BRK-100');
    await page.getByLabel('Machine', { exact: true }).selectOption({ label: 'M3 · L1 machine 3' });
    expect(await page.getByLabel('Line', { exact: true }).inputValue()).not.toBe('');
    await page.getByLabel('Quantity affected').fill('-2');
    await page.getByText('Cannot be negative').waitFor();
    await page.getByLabel('Quantity affected').fill('3');
    await page.getByLabel('Description').fill('Three calipers with a chipped flange at the piston press.');
    await page.getByRole('button', { name: 'Raise NCR' }).click();
    await page.getByText('The NCR was raised.').waitFor();
    await page.getByRole('heading', { level: 1, name: `NCR ${number}` }).waitFor();
    await page.getByLabel('State: Draft').waitFor();
    const ncrUrl = page.url();

    // Edit: someone else saves first; the form says so and starts again from their version.
    await page.getByRole('button', { name: 'Edit' }).click();
    const ncr = await trpcCall<{ id: string; version: number }>(
      page,
      'ncrs.get',
      { id: new URL(ncrUrl).pathname.split('/').at(-1) },
      'GET',
    );
    await trpcCall(page, 'ncrs.update', {
      id: ncr.id,
      expectedVersion: ncr.version,
      patch: { containment: 'Parts held at the press' },
    });
    await page.getByLabel('Root cause').fill('Worn press tool');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText(/^The NCR was changed since you opened it \(by Demo Administrator at /).waitFor();
    await page.getByRole('button', { name: 'Start again from the latest' }).click();
    // The form reloads the latest version in the background.
    await expect.poll(() => page.getByLabel('Containment').inputValue()).toBe('Parts held at the press');
    await page.getByLabel('Root cause').fill('Worn press tool');
    await page.getByLabel('Disposition').selectOption({ label: 'Rework' });
    await page.getByLabel('Cost').fill('120');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText(`${number} was saved.`).waitFor();
    const summary = page.getByRole('region', { name: 'Non-conformance' });
    await summary.getByText('Worn press tool').waitFor();
    await summary.getByText('Rework', { exact: true }).waitFor();
    await page.screenshot({ path: `${screenshotDir}/ncr.png`, fullPage: true });

    // List: found by words and by its machine, with its state.
    // The record's way back keeps its plant.
    await page.locator('main').getByRole('link', { name: 'NCRs', exact: true }).click();
    await page.waitForURL(/\/quality\/ncrs\?plant=/);
    await page.getByLabel('Words').fill('chipped flange');
    await page.getByLabel('Words').press('Enter');
    await page.waitForURL(/q=chipped/);
    const row = page.locator(`tr[data-ncr="${number}"]`);
    await row.getByText('Draft').waitFor();
    expect(await page.locator('tr[data-ncr]').count()).toBe(1);
    expect(await row.locator('td').nth(3).textContent()).toBe('L1 · M3');

    // One click from a failed inspection: prefilled, linked, on its own page.
    const plants = await trpcCall<{ id: string; code: string }[]>(
      page,
      'tenancy.plants.list',
      undefined,
      'GET',
    );
    const routings = await trpcCall<{ productId: string; operations: { id: string; code: string }[] }[]>(
      page,
      'production.routings.list',
      {},
      'GET',
    );
    const products = await trpcCall<{ id: string; code: string }[]>(
      page,
      'production.products.list',
      {},
      'GET',
    );
    const brake = products.find((p) => p.code === 'BRK-100')!;
    const routing = routings.find((r) => r.productId === brake.id)!;
    await trpcCall(page, 'quality.inspections.record', {
      plantId: plants.find((p) => p.code === 'RIV')!.id,
      productId: routing.productId,
      operationId: routing.operations.find((o) => o.code === 'FINAL')!.id,
      serial: 'SN-E2E-1',
      result: 'fail',
      note: 'Bore out of round',
    });
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inspections' }).click();
    await page.getByLabel('Plant', { exact: true }).selectOption({ label: 'RIV · Riverside Assembly' });
    await page.getByRole('button', { name: 'Raise an NCR about BRK-100 serial SN-E2E-1' }).click();
    await page.getByText('The NCR was raised.').waitFor();
    await page.getByRole('heading', { level: 1, name: `NCR NCR-RIV-${year}-00007` }).waitFor();
    await page.getByText('failed inspection: BRK-100 serial SN-E2E-1 at Final inspection').waitFor();
    await page.getByRole('table', { name: 'Linked inspections' }).getByText('Failed').waitFor();

    // The workflow's locks: in Disposition the board's decision is read-only in the edit form, and a
    // cancelled NCR offers no Edit at all, and says why.
    await page.goto(ncrUrl);
    const workflow = page.getByRole('region', { name: 'Workflow' });
    for (const [action, state] of [
      ['Submit', 'Submitted'],
      ['Start review', 'Under review'],
      ['Propose disposition', 'Disposition'],
    ] as const) {
      await workflow.getByRole('button', { name: action, exact: true }).click();
      await page.getByRole('dialog', { name: action }).getByRole('button', { name: 'Confirm' }).click();
      await page.getByLabel(`State: ${state}`).waitFor();
    }
    await page.getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('form', { name: `Edit ${number}` });
    await edit.getByText('Read-only in Disposition').waitFor();
    expect(await edit.getByLabel('Disposition').isDisabled()).toBe(true);
    expect(await edit.getByLabel('Root cause').isEditable()).toBe(true);
    await edit.getByRole('button', { name: 'Cancel' }).click();
    await workflow.getByRole('button', { name: 'Cancel', exact: true }).click();
    const cancel = page.getByRole('dialog', { name: 'Cancel' });
    await cancel.getByLabel('Comment').fill('Raised twice for the same calipers');
    await cancel.getByRole('button', { name: 'Confirm' }).click();
    await page.getByLabel('State: Cancelled').waitFor();
    await page.getByText('The NCR is Cancelled: it is read-only.').waitFor();
    expect(await page.getByRole('button', { name: 'Edit', exact: true }).count()).toBe(0);
    await context.close();
  });
});
