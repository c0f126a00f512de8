import type { Page } from 'playwright-core';
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

interface Figures {
  due: number;
  otd: number | null;
  otif: number | null;
}
interface OtdAnswer {
  totals: { toRequest: Figures; toPromise: Figures };
  lateLines: { toRequest: { number: string; reason: string }[]; toPromise: { number: string }[] };
}

/*
 * The on-time delivery page (docs/kpis.md, "OTD and OTIF") over delivery rows written as the logistics
 * modules write them, in March 2026 at Riverside, far from the demo's own dates:
 *
 *   E2E-1 10 asked 3 Mar, 10 left 3 Mar                          on time
 *   E2E-2 10 asked 4 Mar, promised 6 Mar (tooling), 10 left 6 Mar  late 2 days to request; on time to promise
 *   E2E-3 10 asked 5 Mar, 4 left 5 Mar, 6 left 9 Mar (carrier no-show)   short
 *   E2E-4 5 asked 10 Mar, nothing left                            not shipped
 *
 * With the default policy (to the requested date, no grace, by line): to request 2 of 4 on time (50 %),
 * 1 in full (25 %); to promise (the first promise) 3 of 4 (75 %), 2 in full (50 %). With two days of
 * grace E2E-2 is on time to request too: 75 % and 50 %.
 */
describe.runIf(hasChromium)('on-time delivery', () => {
  const ui = useUiStack();

  async function storeDeliveries(page: Page) {
    const me = await trpcCall<{ tenant: { id: string } }>(page, 'auth.me', undefined, 'GET');
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
    const plant = plants.find((p) => p.code === 'RIV')!.id;
    const product = products.find((p) => p.code === 'BRK-100')!.id;
    const tenant = me.tenant.id;
    await ui.cloud.deps.db.ownerTransact({ tenantId: tenant, plantIds: 'all' }, async (tx) => {
      const one = async (statement: string) =>
        ((await tx.execute(statement)) as unknown as { rows: { id: string }[] }).rows[0]!.id;
      const customer = await one(
        `insert into customers (tenant_id, code, name) values ('${tenant}', 'E2E-ACME', 'ACME Test Corp') returning id`,
      );
      const address = await one(
        `insert into customer_addresses (tenant_id, customer_id, label, name, country)
         values ('${tenant}', '${customer}', 'Dock', 'Receiving', 'DE') returning id`,
      );
      const request = (number: string, quantity: number, requested: string) =>
        one(`insert into delivery_requests (tenant_id, plant_id, number, customer_id, ship_to_id, product_id, quantity, requested_date)
             values ('${tenant}', '${plant}', '${number}', '${customer}', '${address}', '${product}', ${quantity}, '${requested}')
             returning id`);
      const ship = async (number: string, at: string, lines: [string, number][], lateReason = '') => {
        const shipment = await one(
          `insert into shipments (tenant_id, plant_id, number, customer_id, ship_to_id, status, shipped_at, late_reason)
           values ('${tenant}', '${plant}', '${number}', '${customer}', '${address}', 'shipped', '${at}', '${lateReason}')
           returning id`,
        );
        for (const [index, [requestId, quantity]] of lines.entries())
          await tx.execute(
            `insert into shipment_items (tenant_id, plant_id, shipment_id, line_no, delivery_request_id, product_id, quantity, packed_quantity)
             values ('${tenant}', '${plant}', '${shipment}', ${index + 1}, '${requestId}', '${product}', ${quantity}, ${quantity})`,
          );
      };
      const e1 = await request('E2E-1', 10, '2026-03-03');
      const e2 = await request('E2E-2', 10, '2026-03-04');
      const e3 = await request('E2E-3', 10, '2026-03-05');
      await request('E2E-4', 5, '2026-03-10');
      await tx.execute(
        `insert into delivery_promises (tenant_id, plant_id, request_id, promised_date, reason)
         values ('${tenant}', '${plant}', '${e2}', '2026-03-06', 'tooling')`,
      );
      await ship('E2E-S1', '2026-03-03T10:00:00Z', [[e1, 10]]);
      await ship('E2E-S2', '2026-03-06T10:00:00Z', [[e2, 10]]);
      await ship('E2E-S3', '2026-03-05T10:00:00Z', [[e3, 4]]);
      await ship('E2E-S4', '2026-03-09T10:00:00Z', [[e3, 6]], 'carrier no-show');
    });
  }

  const shown = async (page: Page, measure: 'toRequest' | 'toPromise', figure: 'otd' | 'otif') =>
    (await page.getByTestId(`otd-${measure}`).locator(`[data-figure="${figure}"]`).textContent())?.trim();
  const share = (value: number | null) => (value === null ? '—' : `${(value * 100).toFixed(1)} %`);

  it('shows the figures the API returns, the lines that missed with their reasons, and follows the policy', async () => {
    const page = await (await ui.browser.newContext({ viewport: { width: 1440, height: 1000 } })).newPage();
    await page.goto(`${ui.cloud.url}/`);
    await signIn(page, ADMIN_EMAIL, DEMO_PASSWORD);
    await storeDeliveries(page);
    // Each plant on the Overview and the board has its OTD tile: the last 28 days of the demo's
    // shipping history (docs/demo.md, "Shipments"), as kpi.otd counts them.
    const plantsNow = await trpcCall<{ id: string; code: string; timezone: string }[]>(
      page,
      'tenancy.plants.list',
      undefined,
      'GET',
    );
    const expected: string[] = [];
    for (const plant of plantsNow) {
      const today = new Intl.DateTimeFormat('en-CA', { timeZone: plant.timezone }).format(new Date());
      const from = new Date(Date.parse(`${today}T00:00:00Z`) - 27 * 86_400_000).toISOString().slice(0, 10);
      const tile = await trpcCall<OtdAnswer>(
        page,
        'kpi.otd',
        { plantId: plant.id, from, to: today, bucket: 'week' },
        'GET',
      );
      expect(tile.totals.toRequest.due).toBeGreaterThan(0);
      expected.push(`to request, ${tile.totals.toRequest.due} due`);
    }
    const notes = page.getByTestId('otd-tile').locator('.note');
    await expect
      .poll(async () => (await notes.allTextContents()).map((t) => t.trim()).sort())
      .toEqual(expected.sort());
    await page.screenshot({ path: `${screenshotDir}/otd-overview.png` });
    await page.goto(`${ui.cloud.url}/board`);
    await page
      .getByTestId('otd-tile')
      .first()
      .getByText(/to request, \d+ due/)
      .waitFor();
    await page.screenshot({ path: `${screenshotDir}/otd-board.png` });

    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'On-time delivery' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'On-time delivery' }).waitFor();
    await page.getByLabel('Plant', { exact: true }).selectOption({ label: 'RIV · Riverside Assembly' });
    await page.waitForURL(/plant=/);
    await page.getByLabel('From').fill('2026-03-02');
    await page.waitForURL(/from=2026-03-02/);
    await page.getByLabel('To', { exact: true }).fill('2026-03-15');
    await page.waitForURL(/to=2026-03-15/);
    const input = Object.fromEntries(new URL(page.url()).searchParams);
    const api = await trpcCall<OtdAnswer>(
      page,
      'kpi.otd',
      { plantId: input.plant, from: input.from, to: input.to, bucket: input.bucket },
      'GET',
    );

    await expect.poll(() => shown(page, 'toRequest', 'otd')).toBe(share(api.totals.toRequest.otd));
    expect(api.totals.toRequest).toMatchObject({ due: 4, otd: 0.5, otif: 0.25 });
    expect(api.totals.toPromise).toMatchObject({ due: 4, otd: 0.75, otif: 0.5 });
    expect(await shown(page, 'toRequest', 'otif')).toBe('25.0 %');
    expect(await shown(page, 'toPromise', 'otd')).toBe('75.0 %');
    expect(await shown(page, 'toPromise', 'otif')).toBe('50.0 %');

    // Late to request, oldest first, with the reason given when shipping or when promising.
    const late = page.getByRole('table', { name: 'Late and short lines' });
    const rows = () => late.locator('tr[data-request]');
    await expect
      .poll(async () => rows().evaluateAll((trs) => trs.map((tr) => tr.dataset.request)))
      .toEqual(api.lateLines.toRequest.map((l) => l.number));
    expect(api.lateLines.toRequest.map((l) => [l.number, l.reason])).toEqual([
      ['E2E-2', 'tooling'],
      ['E2E-3', 'carrier no-show'],
      ['E2E-4', ''],
    ]);
    const e2 = late.locator('tr[data-request="E2E-2"]');
    expect(await e2.getByText('2 days late').count()).toBe(1);
    expect(await e2.getByText('tooling').count()).toBe(1);
    expect(await late.locator('tr[data-request="E2E-3"]').getByText('Short').count()).toBe(1);
    expect(await late.locator('tr[data-request="E2E-4"]').getByText('Not shipped').count()).toBe(1);
    await page.getByRole('radio', { name: 'To promise' }).check();
    await expect
      .poll(async () => rows().evaluateAll((trs) => trs.map((tr) => tr.dataset.request)))
      .toEqual(api.lateLines.toPromise.map((l) => l.number));
    expect(api.lateLines.toPromise.map((l) => l.number)).toEqual(['E2E-3', 'E2E-4']);

    // The customer's own page of figures, from the table.
    await page
      .getByRole('table', { name: 'On-time delivery by customer' })
      .getByRole('link', { name: /E2E-ACME/ })
      .click();
    await page.waitForURL(/customer=/);
    expect(await page.getByLabel('Customer').locator('option:checked').textContent()).toBe(
      'E2E-ACME · ACME Test Corp',
    );
    await expect.poll(() => shown(page, 'toRequest', 'otd')).toBe('50.0 %');
    await page.screenshot({ path: `${screenshotDir}/otd.png`, fullPage: true });
    const otdUrl = page.url();

    // Two days of grace, saved on the settings page: E2E-2 is on time to request now.
    await page.goto(`${ui.cloud.url}/admin/settings`);
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    await page.getByLabel('Days late that count as on time').fill('2');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();
    await page.goto(otdUrl);
    await expect.poll(() => shown(page, 'toRequest', 'otd')).toBe('75.0 %');
    expect(await shown(page, 'toRequest', 'otif')).toBe('50.0 %');
    await page
      .getByRole('table', { name: 'Late and short lines' })
      .locator('tr[data-request="E2E-3"]')
      .waitFor();
    expect(await page.locator('tr[data-request="E2E-2"]').count()).toBe(0);
  });
});
