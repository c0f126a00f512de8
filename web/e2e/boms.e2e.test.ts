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
 * The main path of BOMs and order materials (docs/materials.md): a new version of a demo BOM edited and
 * released in the future, so it supersedes the current one there; then an order in progress consumes a
 * lot and records output on its materials page, and completing it backflushes the rest.
 */
describe.runIf(hasChromium)('BOMs and order materials', () => {
  const ui = useUiStack();

  it('edits and releases a BOM version, and consumes, produces and backflushes on an order', async () => {
    const context = await ui.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${ui.cloud.url}/`);
    await signIn(page, ADMIN_EMAIL, DEMO_PASSWORD);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'BOMs' }).click();
    await page.getByRole('heading', { level: 1, name: 'Bills of materials' }).waitFor();
    await page.locator('tr[data-bom="BRK-100/1"]').getByRole('link', { name: 'BRK-100/1' }).click();
    await page.getByRole('heading', { level: 1, name: /BRK-100\/1/ }).waitFor();
    // A released version does not change; a new one starts as its copy.
    expect(await page.getByLabel('Quantity 1').isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'New version' }).click();
    await page.getByRole('heading', { level: 1, name: /BRK-100\/2/ }).waitFor();
    await page.getByLabel('Quantity 1').fill('13');
    await page.getByLabel('Scrap percent 2').fill('4');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByText('Saved.').waitFor();
    const year = new Date().getUTCFullYear() + 2;
    await page.getByLabel('Effective from').fill(`${year}-01-01T00:00`);
    await page.getByRole('button', { name: 'Release' }).click();
    await page.getByText('BRK-100/2 is released.').waitFor();
    const versions = page.getByRole('region', { name: 'Versions of BRK-100' });
    await versions.getByText(/BRK-100\/1 — released, .* – .* UTC/).waitFor();
    await page.screenshot({ path: `${screenshotDir}/bom-editor.png`, fullPage: true });

    // The demo's order in progress on Riverside's line 1 makes BRK-200.
    const orders = await trpcCall<{
      items: { id: string; number: string; status: string; lineCode: string | null; plantCode: string }[];
    }>(page, 'production.orders.list', { status: ['in_progress'], limit: 50 }, 'GET');
    const order = orders.items.find((o) => o.plantCode === 'RIV' && o.lineCode === 'L1')!;
    await page.goto(`${ui.cloud.url}/orders/${order.id}/materials`);
    await page.getByRole('heading', { level: 1, name: `Materials of ${order.number}` }).waitFor();
    const friction = page.locator('tr[data-component="RM-FRICTION"]');
    await friction.locator('td').nth(1).getByText('72 kg').waitFor();
    const consume = page.getByRole('form', { name: 'Consume' });
    await consume.getByLabel('Component').selectOption({ label: 'RM-FRICTION' });
    await consume.getByLabel('Lot').selectOption({ label: `FC-0117 (expires ${await lotExpiry(page)})` });
    await consume.getByLabel('From').selectOption({ label: 'LINE-SIDE' });
    await consume.getByLabel(/Quantity/).fill('5');
    await consume.getByRole('button', { name: 'Consume' }).click();
    await page.getByText('Consumed RM-FRICTION.').waitFor();
    expect(await friction.locator('td').nth(2).textContent()).toBe('5 kg');
    const output = page.getByRole('form', { name: 'Record output' });
    await output.getByLabel('Into').selectOption({ label: 'FG' });
    await output.getByLabel(/Quantity/).fill('10');
    await output.getByRole('button', { name: 'Record output' }).click();
    await page.getByText('Recorded 10 made.').waitFor();
    await page.locator('tr[data-output="BRK-200"]').getByText('260 pcs').waitFor();
    await page.screenshot({ path: `${screenshotDir}/order-materials.png`, fullPage: true });

    // Completing backflushes friction compound for 260 of 600 made: 31.2 kg, 5 of it already consumed.
    await trpcCall(page, 'production.orders.update', { id: order.id, patch: { status: 'completed' } });
    await page.reload();
    await friction.locator('td').nth(2).getByText('31.2 kg').waitFor();
    expect(await page.getByRole('form', { name: 'Consume' }).count()).toBe(0);
    await context.close();
  });
});

/** The demo's friction compound lot expires with its shelf life, counted from when it was received. */
async function lotExpiry(page: import('playwright-core').Page) {
  const lots = await trpcCall<{ lotCode: string; expiresOn: string | null }[]>(
    page,
    'materials.lots.list',
    { limit: 50 },
    'GET',
  );
  return lots.find((l) => l.lotCode === 'FC-0117')?.expiresOn ?? '';
}
