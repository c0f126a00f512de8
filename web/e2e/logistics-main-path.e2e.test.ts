import { FakePrinter, PrinterClient, PrintJobRunner } from '@plantline/edge';
import pino from 'pino';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
 * The logistics main path as the demo's people walk it (docs/logistics.md, "Try it"): Nora Lindqvist,
 * the planner, plans Alpine's two requests due today into one shipment; Sam Okafor, at the dock,
 * packs it at the station by scanning — GS1 element strings typed by a keyboard-wedge scanner, with
 * the group separator (ASCII 29) it sends for FNC1 — where a product of another shipment is refused
 * with its reason; issues the pallet's SSCC label and prints it on the dock's printer, reached through
 * the plant's edge (the edge's print runner with the demo edge's key, and a printer's raw port on
 * loopback); and ships it. The Riverside on-time delivery tile counts the two lines then.
 */

const GS = '\u001d';
/** The demo products' GTINs (schema/src/demo-plant.ts). */
const GTIN = { 'BRK-100': '09521234100010', 'BRK-200': '09521234100027', 'HSG-310': '09521234100034' };
const planner = 'nora.lindqvist@demo.plantline.local';
const shipper = 'sam.okafor@demo.plantline.local';

async function pageAs(browser: Browser, baseUrl: string, email: string, path: string) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  const page = await context.newPage();
  await page.goto(`${baseUrl}${path}`);
  await signIn(page, email, DEMO_PASSWORD);
  return page;
}

/** Riverside's OTD tile on the board: its figure and how many lines were due. */
async function riversideOtd(page: Page, baseUrl: string) {
  await page.goto(`${baseUrl}/board`);
  const tile = page.getByTestId('otd-tile');
  await tile.locator('[data-figure="otd"]').waitFor();
  return {
    figure: (await tile.locator('[data-figure="otd"]').textContent())?.trim(),
    note: (await tile.locator('.note').textContent())?.trim(),
  };
}

describe.runIf(hasChromium)('the logistics main path', () => {
  const ui = useUiStack();
  // A Zebra on the dock: it answers the edge's status request (~HS) with nothing wrong, then takes the job.
  const printer = new FakePrinter({ status: {} });
  let edge: { runner: PrintJobRunner; client: PrinterClient } | undefined;

  beforeAll(async () => {
    await printer.listen();
    const admin = await pageAs(ui.browser, ui.cloud.url, ADMIN_EMAIL, '/');
    const plants = await trpcCall<{ id: string; code: string }[]>(
      admin,
      'tenancy.plants.list',
      undefined,
      'GET',
    );
    await trpcCall(admin, 'logistics.printers.create', {
      plantId: plants.find((p) => p.code === 'RIV')!.id,
      code: 'DOCK-2',
      name: 'Riverside dock 2',
      host: '127.0.0.1',
      port: printer.port,
    });
    await admin.context().close();
    const log = pino({ level: 'silent' });
    const client = new PrinterClient({ log });
    await client.start();
    const runner = new PrintJobRunner({
      cloudUrl: ui.cloud.url,
      apiKey: ui.cloud.demoEdgeKey(),
      printers: client,
      log,
      waitMs: 1_000,
    });
    await runner.start();
    edge = { runner, client };
  });

  afterAll(async () => {
    await edge?.runner.stop();
    await edge?.client.stop();
    await printer.close();
  });

  it('is planned, packed by scanning with a refused scan, labelled, printed and shipped; OTD counts it', async () => {
    const plan = await pageAs(ui.browser, ui.cloud.url, planner, '/');
    const before = await riversideOtd(plan, ui.cloud.url);
    expect(before.figure).toMatch(/^\d+\.\d %$/);

    // The planner builds the shipment from Alpine's two requests due today.
    await plan.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Shipments' }).click();
    await plan.getByRole('heading', { level: 1, name: 'Shipments' }).waitFor();
    await plan.getByRole('link', { name: 'New shipment' }).click();
    await plan.getByLabel('Customer', { exact: true }).selectOption({ label: 'ALPINE · Alpine Trucks AG' });
    const open = plan.getByRole('table', { name: 'Open requests' });
    await open.waitFor();
    const dueToday = open.locator('tbody tr').filter({ hasText: '40 of 40' });
    const dueToo = open.locator('tbody tr').filter({ hasText: '30 of 30' });
    await dueToday.getByRole('checkbox').check();
    await dueToo.getByRole('checkbox').check();
    expect(await dueToday.textContent()).toContain('BRK-100');
    expect(await dueToo.textContent()).toContain('BRK-200');
    await plan.getByLabel('Carrier').selectOption({ label: 'DHL · DHL Freight' });
    await plan.getByRole('button', { name: 'Create shipment' }).click();
    await plan.getByText('The shipment was created.').waitFor();
    await plan.getByLabel('Status: Draft').waitFor();
    const number = (await plan.locator('h1 .mono').textContent())!.trim();
    expect(number).toMatch(/^SHP-RIV-\d{4}-\d{5}$/);
    // The requests share Alpine's PO, which the label carries.
    await plan.getByText('AT-77088', { exact: true }).first().waitFor();
    await plan.context().close();

    // The dock finds it in the list and opens the packing station.
    const dock = await pageAs(ui.browser, ui.cloud.url, shipper, '/logistics/shipments');
    await dock.locator(`tr[data-shipment="${number}"]`).getByRole('link', { name: number }).click();
    await dock.getByRole('link', { name: 'Open packing station' }).click();
    await dock.getByRole('heading', { level: 1, name: 'Packing station' }).waitFor();
    await dock.getByRole('button', { name: 'New pallet' }).click();
    const answer = dock.locator('.answer[data-result]');
    const opened = await answer.getByText(/^Pallet \d{18} is open$/).textContent();
    const sscc = opened!.match(/\d{18}/)![0];
    const field = dock.getByLabel('Scan', { exact: true });
    await expect.poll(() => field.evaluate((el) => el === document.activeElement)).toBe(true);
    // A keyboard-wedge scanner types the symbol's data and ends it with Enter.
    const wedge = async (data: string) => {
      await dock.keyboard.type(data);
      await dock.keyboard.press('Enter');
    };

    await wedge(`01${GTIN['HSG-310']}10L-2611${GS}3010`);
    await answer.and(dock.locator('[data-result="wrong_item"]')).waitFor();
    expect(await answer.textContent()).toContain(
      `GTIN ${GTIN['HSG-310']} is not on this shipment, which needs BRK-100, BRK-200`,
    );
    await wedge(`01${GTIN['BRK-100']}10L-2611${GS}3040`);
    await answer.getByText('40 × BRK-100 packed: BRK-100 is complete').waitFor();
    await wedge(`01${GTIN['BRK-200']}10L-2612${GS}3030`);
    await answer.getByText('30 × BRK-200 packed: BRK-200 is complete').waitFor();
    await dock.getByLabel('Status: Packed').waitFor();
    await dock.screenshot({ path: `${screenshotDir}/main-path-station.png` });

    // Back on the shipment: the pallet's label, issued, previewed and printed on the dock's printer.
    await dock.getByRole('link', { name: number }).click();
    await dock.getByRole('heading', { level: 1, name: `Shipment ${number}` }).waitFor();
    const labels = dock.locator(`[data-package-label="${sscc}"]`);
    await labels.getByRole('button', { name: `Issue SSCC label for ${sscc}` }).click();
    const preview = labels.locator('img[data-label-preview]');
    await preview.waitFor();
    await expect.poll(() => preview.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
    const print = labels.getByRole('form', { name: `Print SSCC label ${sscc}` });
    await print.getByLabel('Printer').selectOption({ label: 'DOCK-2 · Riverside dock 2' });
    await print.getByRole('button', { name: 'Print', exact: true }).click();
    // The edge takes the job and sends it to the printer's raw port; the panel follows it to the end.
    await print.getByText('Printed on DOCK-2.').waitFor();
    await labels.getByRole('table', { name: 'Print log' }).getByText('Printed', { exact: true }).waitFor();
    expect(printer.jobs).toHaveLength(1);
    expect(printer.jobs[0]).toContain(`^FD(00)${sscc}^FS`);
    expect(printer.jobs[0]).toContain('^FDORDER  AT-77088^FS');

    // Shipped on the carrier the planner chose, with the tracking number from the driver.
    await dock.getByRole('button', { name: 'Ship…' }).click();
    const dialog = dock.getByRole('dialog', { name: `Ship ${number}` });
    await dialog.getByLabel('Tracking number').fill('JD014600006281234567');
    await dialog.getByRole('button', { name: 'Ship', exact: true }).click();
    await dock.getByText(`${number} was shipped.`).waitFor();
    await dock.getByLabel('Status: Shipped').waitFor();
    await dock.screenshot({ path: `${screenshotDir}/main-path-shipment.png`, fullPage: true });

    // Two more lines were due in Riverside's last 28 days, both on time.
    const after = await riversideOtd(dock, ui.cloud.url);
    const due = (note: string | undefined) => Number(note?.match(/(\d+) due/)?.[1]);
    expect(due(after.note)).toBe(due(before.note) + 2);
    expect(after.figure).not.toBe(before.figure);
  });
});
