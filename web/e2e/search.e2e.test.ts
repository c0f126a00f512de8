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

describe.runIf(hasChromium)('search', () => {
  const ui = useUiStack();

  it('finds an order by a fragment of its number from the header box and from the palette', async () => {
    const context = await ui.browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${ui.cloud.url}/`);
    await signIn(page, ADMIN_EMAIL, DEMO_PASSWORD);
    await page.waitForURL(`${ui.cloud.url}/`);

    // A demo order, numbered from RIV's scheme.
    const plants = await trpcCall<{ id: string; code: string }[]>(
      page,
      'tenancy.plants.list',
      undefined,
      'GET',
    );
    const products = await trpcCall<{ id: string; code: string }[]>(
      page,
      'production.products.list',
      {},
      'GET',
    );
    const order = await trpcCall<{ id: string; number: string }>(page, 'production.orders.create', {
      plantId: plants.find((p) => p.code === 'RIV')!.id,
      productId: products.find((p) => p.code === 'BRK-100')!.id,
      quantity: 40,
    });
    // A fragment only this order has: its last digits alone are shared by the shipments, requests and
    // transfers the demo numbers with the same sequence, which rank level with it.
    const fragment = order.number.slice(1);
    expect(order.number).toMatch(/^PO-RIV-\d{4}-\d{5}$/);

    // `/` focuses the box; typing a fragment lists the order under its type, first and active.
    await page.locator('main').click();
    await page.keyboard.press('/');
    const box = page.getByRole('combobox', { name: 'Search records' });
    expect(await box.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type(fragment);
    const list = page.getByRole('listbox', { name: 'Search results' });
    const group = list.getByRole('group', { name: 'Production orders' });
    const wanted = group.getByRole('option').filter({ hasText: order.number });
    await wanted.waitFor();
    expect(await wanted.textContent()).toContain('Production order · RIV · BRK-100');
    expect(await box.getAttribute('aria-expanded')).toBe('true');
    expect(await box.getAttribute('aria-activedescendant')).toBe(await wanted.getAttribute('id'));
    await page.screenshot({ path: `${screenshotDir}/header-search.png` });

    // Escape closes the list and keeps the text; ↓ opens it again; Enter opens the order's page.
    await page.keyboard.press('Escape');
    await list.waitFor({ state: 'hidden' });
    expect(await box.inputValue()).toBe(fragment);
    await page.keyboard.press('ArrowDown');
    await wanted.waitFor();
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`/config/records/production_order/${order.id}\\?`));
    await page.getByRole('heading', { level: 1, name: order.number }).waitFor();
    expect(await box.inputValue()).toBe('');

    // The palette shows it under the pages it finds; the mouse picks it.
    await page.goto(`${ui.cloud.url}/`);
    // The app has started (and listens for the shortcut) once the Overview shows the tenant.
    await page.getByRole('heading', { level: 1, name: 'Demo Manufacturing' }).waitFor();
    await page.keyboard.press('Control+k');
    const palette = page.getByRole('dialog', { name: 'Go to' });
    await palette.getByRole('combobox').fill(fragment);
    const inPalette = palette.getByRole('option').filter({ hasText: order.number });
    await inPalette.waitFor();
    expect(await inPalette.textContent()).toContain('Production order · RIV · BRK-100');
    await inPalette.click();
    await page.waitForURL(new RegExp(`/config/records/production_order/${order.id}\\?`));
    await page.getByRole('heading', { level: 1, name: order.number }).waitFor();

    // Nothing found says so.
    await box.fill('zzqx-nothing');
    await list.getByRole('option').first().waitFor({ state: 'detached' });
    await page.getByText('Nothing found for “zzqx-nothing”.').waitFor();
    await context.close();
  });
});
