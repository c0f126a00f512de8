import { gs1CheckDigit } from '@plantline/schema/gs1';
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
 * Scan-driven stock in the browser (docs/materials.md, "Receiving by scanning", "Moving by
 * scanning", "Stock pages"): a supplier's GS1 label typed by a keyboard-wedge scanner (FNC1 as `#`)
 * is received into a new lot, the lot is moved by scanning the dock, the lot and a rack, and the
 * stock tree, its balance as of an earlier instant and the movement history show what happened.
 */
describe.runIf(hasChromium)('scan-driven stock', () => {
  const ui = useUiStack();

  it('receives a lot from its GS1 label, moves it by scanning, and shows its stock and history', async () => {
    const context = await ui.browser.newContext({
      viewport: { width: 1280, height: 900 },
      timezoneId: 'UTC',
    });
    const page = await context.newPage();
    await page.goto(`${ui.cloud.url}/`);
    await signIn(page, ADMIN_EMAIL, DEMO_PASSWORD);
    const body = '0952123477001';
    const gtin = `${body}${gs1CheckDigit(body)}`;
    await trpcCall(page, 'materials.create', {
      code: 'RM-RESIN',
      name: 'Resin',
      kind: 'raw',
      baseUnit: 'kg',
      lotTracked: true,
      gtin,
    });
    // Before anything is received: the instant the stock page is later read "as of".
    const before = new Date(Date.now() - 60_000).toISOString().slice(0, 16);

    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Receive' }).click();
    await page.getByRole('heading', { level: 1, name: 'Receive by scanning' }).waitFor();
    await page.getByLabel('Plant', { exact: true }).selectOption({ label: 'RIV · Riverside Assembly' });
    await page.getByLabel('Supplier').fill('Polymer AG');
    const scan = page.getByRole('textbox', { name: 'Scan', exact: true });
    // A label of another material's GTIN nobody knows: refused, nothing received.
    await scan.fill(`01${'0952123477002'}${gs1CheckDigit('0952123477002')}10X#3102001000`);
    await scan.press('Enter');
    await page.getByText(/^No material has GTIN/).waitFor();
    await scan.fill(`01${gtin}17${expiry()}10SUP-4711#3102002550`);
    await scan.press('Enter');
    await page.getByText('Received 25.5 kg of RM-RESIN lot SUP-4711 (new lot) into GR').waitFor();

    await nav.getByRole('link', { name: 'Move stock' }).click();
    await page.getByRole('heading', { level: 1, name: 'Move by scanning' }).waitFor();
    await page.getByLabel('Plant', { exact: true }).selectOption({ label: 'RIV · Riverside Assembly' });
    for (const [scanned, answer] of [
      ['GR', 'From GR: now scan the lots'],
      ['SUP-4711', 'RM-RESIN lot SUP-4711 added'],
      ['RM-01', 'Moved 1 lot (25.5) from GR to RM-01'],
    ] as const) {
      await scan.fill(scanned);
      await scan.press('Enter');
      await page.getByText(answer).waitFor();
    }

    await nav.getByRole('link', { name: 'Stock by location' }).click();
    await page.getByRole('heading', { level: 1, name: 'Stock by location' }).waitFor();
    await page.getByLabel('Plant', { exact: true }).selectOption({ label: 'RIV · Riverside Assembly' });
    const store = page.locator('li[data-location="RM"]');
    await store.locator('[data-total="RM-RESIN"]').first().getByText('RM-RESIN 25.5 kg').waitFor();
    // As it stood before the receipt: no resin anywhere.
    await page.locator('#stock-at').fill(before);
    await page.locator('#stock-at').dispatchEvent('change');
    await page.waitForURL(/at=/);
    await page.getByRole('heading', { name: /^Stock as of/ }).waitFor();
    await expect.poll(() => page.locator('[data-total="RM-RESIN"]').count()).toBe(0);
    await page.getByRole('button', { name: 'Now' }).click();
    await page.getByRole('heading', { name: 'Stock now' }).waitFor();
    const rack = page.locator('li[data-location="RM-01"]');
    await rack.locator('[data-total="RM-RESIN"]').first().waitFor();
    await rack.locator('summary').first().click();
    const lotRow = rack.locator('tr[data-lot="SUP-4711"]');
    expect(await lotRow.locator('td').nth(2).textContent()).toBe('25.5 kg');
    await page.screenshot({ path: `${screenshotDir}/stock.png`, fullPage: true });

    // The lot's code opens its page; its history link opens its movements: received, then moved out
    // of GR and into RM-01.
    expect(await lotRow.getByRole('link', { name: 'SUP-4711' }).getAttribute('href')).toMatch(
      /^\/materials\/lots\/[0-9a-f-]{36}$/,
    );
    await lotRow.getByRole('link', { name: 'History' }).click();
    await page.getByRole('heading', { level: 1, name: 'Movement history' }).waitFor();
    const rows = page.getByRole('table', { name: 'Movements' }).locator('tbody tr');
    await rows.first().waitFor();
    // Filtered to the lot at RM-01: the transfer in.
    expect(await rows.count()).toBe(1);
    expect(await rows.first().locator('td').nth(1).textContent()).toBe('Transfer in');
    await page.getByLabel('Location', { exact: true }).selectOption({ label: 'All' });
    await page.waitForURL((url) => !url.searchParams.has('location'));
    await expect.poll(() => rows.count()).toBe(3);
    const kinds = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-kind')));
    expect([...kinds].sort()).toEqual(['receipt', 'transfer_in', 'transfer_out']);
    await context.close();
  });
});

/** YYMMDD a year from now. */
function expiry(): string {
  const at = new Date(Date.now() + 365 * 86_400_000);
  return at.toISOString().slice(2, 10).replaceAll('-', '');
}
