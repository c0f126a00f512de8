import type { Browser, Page } from 'playwright-core';
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
 * A shipment from plan to truck in the browser (docs/logistics.md, "Shipments", "Packing by
 * scanning"). A planner plans two products for one of the demo's customers; an operator opens the
 * packing station, opens a carton, scans — a wrong product is refused with its reason, the right
 * scans (keyboard-wedge data, `#` for FNC1) complete the items — while the planner's page follows the
 * progress live; the shipment is packed, then shipped with a tracking number.
 */

const PASSWORD = 'shipments-browser-password';
const people = {
  planner: { email: 'pat.planner.ship@demo.plantline.local', name: 'Pat Planner', role: 'planner' },
  operator: { email: 'olli.operator.ship@demo.plantline.local', name: 'Olli Operator', role: 'operator' },
} as const;

/** The demo products' GTINs (schema/src/demo-plant.ts). */
const GTIN = { 'BRK-100': '09521234100010', 'BRK-200': '09521234100027', 'HSG-310': '09521234100034' };

async function pageAs(browser: Browser, baseUrl: string, email: string, password: string, path: string) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${baseUrl}${path}`);
  await signIn(page, email, password);
  return page;
}

describe.runIf(hasChromium)('a shipment packed by scanning', () => {
  const ui = useUiStack();
  let riverside = '';

  beforeAll(async () => {
    const admin = await pageAs(ui.browser, ui.cloud.url, ADMIN_EMAIL, DEMO_PASSWORD, '/');
    const roles = await trpcCall<{ id: string; key: string }[]>(admin, 'rbac.roles.list', undefined, 'GET');
    const plants = await trpcCall<{ id: string; code: string }[]>(
      admin,
      'tenancy.plants.list',
      undefined,
      'GET',
    );
    riverside = plants.find((p) => p.code === 'RIV')!.id;
    for (const person of Object.values(people))
      await trpcCall(admin, 'users.create', {
        email: person.email,
        displayName: person.name,
        password: PASSWORD,
        roleIds: [roles.find((r) => r.key === person.role)!.id],
        plantIds: [riverside],
      });
    await stockLotL9(admin, riverside);
    await admin.context().close();
  });

  it('is planned, packed at the station with a refused scan, and shipped with a tracking number', async () => {
    const planner: Page = await pageAs(ui.browser, ui.cloud.url, people.planner.email, PASSWORD, '/');
    await planner.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Shipments' }).click();
    await planner.getByRole('heading', { level: 1, name: 'Shipments' }).waitFor();
    await planner.getByRole('link', { name: 'New shipment' }).click();
    await planner.getByRole('heading', { level: 1, name: 'New shipment' }).waitFor();

    // Nothing chosen: the form says what is missing before anything is sent.
    await planner.getByRole('button', { name: 'Create shipment' }).click();
    await planner.locator('p.field-error', { hasText: 'Choose a customer' }).waitFor();
    await planner.getByLabel('Customer', { exact: true }).selectOption({ index: 1 });
    expect(await planner.getByLabel('Ship to').inputValue()).not.toBe('');
    for (const [index, [code, quantity]] of [
      ['BRK-100', '3'],
      ['BRK-200', '2'],
    ].entries()) {
      await planner.getByRole('button', { name: 'Add a product' }).click();
      await planner
        .getByLabel(`Product ${index + 1}`)
        .selectOption({ label: `${code} · ${productName(code!)}` });
      await planner.getByLabel(`Quantity ${index + 1}`).fill(quantity!);
    }
    await planner.getByRole('button', { name: 'Create shipment' }).click();
    await planner.getByText('The shipment was created.').waitFor();
    await planner.getByLabel('Status: Draft').waitFor();
    const number = (await planner.locator('h1 .mono').textContent())!.trim();
    expect(number).toMatch(/^SHP-RIV-\d{4}-\d{5}$/);
    const shipmentUrl = planner.url().replace(/\?.*$/, '');
    const id = shipmentUrl.split('/').at(-1)!;
    // A planner plans; packing and shipping are the dock's.
    expect(await planner.getByRole('link', { name: 'Open packing station' }).count()).toBe(0);

    // Edited in place before anything is packed: the booked pickup's tracking number and a note.
    await planner.getByRole('button', { name: 'Edit…' }).click();
    const edit = planner.getByRole('form', { name: `Edit ${number}` });
    await edit.getByLabel('Quantity of line 1').fill('0');
    await edit.getByText('Must be above zero').waitFor();
    await edit.getByLabel('Quantity of line 1').fill('3');
    await edit.getByLabel('Tracking number').fill('1Z999AA10123456784');
    await edit.getByLabel('Note').fill('Dock 3, call ahead');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await planner.getByText(`${number} was saved.`).waitFor();
    await planner.getByText('Dock 3, call ahead').waitFor();
    expect(await planner.getByRole('form', { name: `Edit ${number}` }).count()).toBe(0);

    // The list narrowed to the shipment's customer has it; kept in the URL.
    const customer = (await planner.locator('.facts dd').first().textContent())!.trim();
    await planner.getByRole('link', { name: 'Shipments', exact: true }).first().click();
    await planner.getByRole('heading', { level: 1, name: 'Shipments' }).waitFor();
    await planner.getByLabel('Customer').selectOption({ label: customer });
    await planner.waitForURL(/customer=/);
    await planner.locator(`tr[data-shipment="${number}"]`).waitFor();
    const codes = await planner.locator('tr[data-shipment] td:nth-child(3)').allTextContents();
    expect(new Set(codes.map((c) => c.trim()))).toEqual(new Set([customer.split(' · ')[0]]));
    await planner.goto(shipmentUrl);

    const operator = await pageAs(
      ui.browser,
      ui.cloud.url,
      people.operator.email,
      PASSWORD,
      `/logistics/pack/${id}`,
    );
    await operator.getByRole('heading', { level: 1, name: 'Packing station' }).waitFor();
    await operator.getByRole('button', { name: 'Scan with the camera' }).waitFor();
    await operator.getByRole('button', { name: 'New carton' }).click();
    const answer = operator.locator('.answer[data-result]');
    await answer.getByText(/^Carton \d{18} is open$/).waitFor();
    // A plant scanner at station S1 packs into the same carton (docs/logistics.md, "Scanning at a station").
    const stations = operator.getByRole('region', { name: 'Plant stations' });
    const s1 = await stations
      .getByLabel('Also accept scans from plant station')
      .locator('option', { hasText: /^S1 / })
      .getAttribute('value');
    await stations.getByLabel('Also accept scans from plant station').selectOption(s1!);
    await stations.getByRole('button', { name: /^Pack into carton \d{18}$/ }).click();
    await stations.getByRole('button', { name: 'Stop S1' }).waitFor();
    expect(await stations.textContent()).toMatch(/S1 .* packing SHP-\S+ into carton \d{18}/);
    const scan = operator.getByLabel('Scan', { exact: true });
    // The field has the focus, as a keyboard-wedge scanner needs: it types and presses Enter.
    await expect.poll(() => scan.evaluate((el) => el === document.activeElement)).toBe(true);
    const wedge = async (data: string) => {
      await scan.fill(data);
      await scan.press('Enter');
    };

    await wedge(`01${GTIN['HSG-310']}`);
    await answer.and(operator.locator('[data-result="wrong_item"]')).waitFor();
    expect(await answer.textContent()).toContain(
      `GTIN ${GTIN['HSG-310']} is not on this shipment, which needs BRK-100, BRK-200`,
    );
    expect(await answer.evaluate((el) => getComputedStyle(el).color)).toBe('rgb(180, 35, 24)');
    await operator.screenshot({ path: `${screenshotDir}/packing-refused.png` });

    await wedge(`01${GTIN['BRK-100']}10L-9#303`);
    await answer.getByText('3 × BRK-100 packed: BRK-100 is complete').waitFor();
    expect(await answer.getAttribute('data-result')).toBe('ok');
    expect(await answer.evaluate((el) => getComputedStyle(el).color)).toBe('rgb(20, 108, 54)');
    // The planner's page follows the packing live.
    await planner
      .getByRole('progressbar', { name: 'BRK-100 packed' })
      .and(planner.locator('[aria-valuenow="100"]'))
      .waitFor();
    await planner.getByLabel('Status: Picking').waitFor();

    await wedge(`01${GTIN['BRK-200']}302`);
    await answer.getByText('2 × BRK-200 packed: BRK-200 is complete').waitFor();
    await operator.getByLabel('Status: Packed').waitFor();
    await operator.screenshot({ path: `${screenshotDir}/packing-station.png` });
    await stations.getByRole('button', { name: 'Stop S1' }).click();
    await stations.getByRole('button', { name: 'Stop S1' }).waitFor({ state: 'detached' });
    await planner.getByLabel('Status: Packed').waitFor();

    // Shipping is the dock's too: the operator ships from the shipment's page.
    await operator.goto(shipmentUrl);
    await operator.getByRole('button', { name: 'Ship…' }).click();
    const dialog = operator.getByRole('dialog', { name: `Ship ${number}` });
    await dialog.getByLabel('Carrier').selectOption({ index: 1 });
    // The tracking number the planner entered is there already.
    expect(await dialog.getByLabel('Tracking number').inputValue()).toBe('1Z999AA10123456784');
    await dialog.getByRole('button', { name: 'Ship', exact: true }).click();
    await operator.getByText(`${number} was shipped.`).waitFor();
    await operator.getByLabel('Status: Shipped').waitFor();
    await operator.getByRole('link', { name: '1Z999AA10123456784' }).waitFor();
    const packages = operator.getByRole('list', { name: 'Packages' });
    expect(await packages.getByText('shipped').count()).toBe(1);
    expect(await operator.getByRole('table', { name: 'Scans' }).locator('tbody tr').count()).toBe(3);
    await operator.screenshot({ path: `${screenshotDir}/shipment.png`, fullPage: true });
  });
});

/**
 * Shipping issues what is packed from stock (docs/materials.md, "Goods issue on shipping"): the 3 ×
 * BRK-100 of lot L-9 the station packs are received into Riverside's finished goods first. The 2 ×
 * BRK-200 packed without a lot leave from the demo's lot L-2612.
 */
async function stockLotL9(admin: Page, plantId: string) {
  const materials = await trpcCall<{ id: string; code: string }[]>(admin, 'materials.list', {}, 'GET');
  const materialId = materials.find((m) => m.code === 'BRK-100')!.id;
  const locations = await trpcCall<{ id: string; code: string }[]>(
    admin,
    'materials.locations.list',
    { plantId },
    'GET',
  );
  const lot = await trpcCall<{ id: string }>(admin, 'materials.lots.create', {
    plantId,
    materialId,
    lotCode: 'L-9',
  });
  await trpcCall(admin, 'inventory.receive', {
    materialId,
    lotId: lot.id,
    locationId: locations.find((l) => l.code === 'FG')!.id,
    quantity: 3,
  });
}

function productName(code: string): string {
  return { 'BRK-100': 'Brake caliper 100', 'BRK-200': 'Brake caliper 200' }[code] ?? code;
}
