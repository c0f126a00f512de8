import type { AppRouter } from '@plantline/cloud';
import { DEMO_PRODUCTS } from '@plantline/schema';
import { createTRPCClient, httpLink } from '@trpc/client';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, DEMO_PASSWORD, hasChromium, screenshotDir, signIn, useUiStack } from './harness';

/** An API client that keeps the session cookie the cloud sets, as a browser would. */
function apiClient(baseUrl: string) {
  let cookie = '';
  return createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: `${baseUrl}/trpc`,
        headers: () => (cookie ? { cookie } : {}),
        fetch: async (input, init) => {
          const response = await fetch(input, init);
          const set = response.headers.getSetCookie().map((c) => c.split(';')[0] ?? '');
          if (set.length > 0) cookie = set.join('; ');
          return response;
        },
      }),
    ],
  });
}

const ENGINEER = {
  email: 'erin@demo.plantline.local',
  password: 'erin-password-1234',
  name: 'Erin Engineer',
};
const OPERATOR = {
  email: 'otto@demo.plantline.local',
  password: 'otto-password-1234',
  name: 'Otto Operator',
};

/*
 * The configuration engine in the browser: an engineer defines a type list and a select field on
 * products through the UI, an operator fills it in (refused first, as typed and on save), and a
 * list of products filtered by the field shows exactly the products holding that value.
 */
describe.runIf(hasChromium)('configuration engine in the web UI', () => {
  const ui = useUiStack();

  beforeAll(async () => {
    const admin = apiClient(ui.cloud.url);
    await admin.auth.login.mutate({ email: ADMIN_EMAIL, password: DEMO_PASSWORD });
    const roles = await admin.rbac.roles.list.query();
    const plants = await admin.tenancy.plants.list.query();
    const roleId = (key: string) => {
      const role = roles.find((r) => r.key === key);
      if (!role) throw new Error(`no role ${key}`);
      return role.id;
    };
    for (const [user, role] of [
      [ENGINEER, 'engineer'],
      [OPERATOR, 'operator'],
    ] as const)
      await admin.users.create.mutate({
        email: user.email,
        displayName: user.name,
        password: user.password,
        roleIds: [roleId(role)],
        plantIds: plants.map((p) => p.id),
      });
    // Enough products for more than one page, made before any required field exists; their codes sort
    // after the demo products, which stay on the first page.
    for (let i = 0; i < 55; i++)
      await admin.production.products.create.mutate({
        code: `ZZ-BULK-${String(i).padStart(3, '0')}`,
        name: `Bulk ${i}`,
      });
  });

  async function signedIn(user: { email: string; password: string }, path: string): Promise<Page> {
    const context = await ui.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${ui.cloud.url}${path}`);
    await signIn(page, user.email, user.password);
    await page.waitForURL(`${ui.cloud.url}${path}`);
    return page;
  }

  it('an engineer creates a type list with options, and a required select field on products', async () => {
    const page = await signedIn(ENGINEER, '/config/type-lists');
    await page.getByRole('button', { name: 'New type list' }).click();
    const newList = page.getByRole('form', { name: 'New type list' });
    await newList.getByLabel('Name').fill('Packaging');
    expect(await newList.getByLabel('Code').inputValue()).toBe('PACKAGING');
    await newList.getByRole('button', { name: 'Create type list' }).click();
    await page.getByText('The type list was created. Add its options.').waitFor();

    const addOption = page.getByRole('form', { name: 'New option' });
    // Checked as typed, with the API's rule.
    await addOption.getByLabel('Code').fill('has space');
    await addOption.getByText('Use 1–64 letters, digits and _ . - / (no spaces)').waitFor();
    for (const [code, label] of [
      ['PALLET', 'Pallet'],
      ['BOX', 'Box'],
      ['CRATE', 'Crate'],
    ]) {
      await addOption.getByLabel('Code').fill(code!);
      await addOption.getByLabel('Label').fill(label!);
      await addOption.getByRole('button', { name: 'Add option' }).click();
      await page.getByText(`Option ${label} was added.`).waitFor();
    }
    const options = page.getByRole('list', { name: 'Options of Packaging' });
    // Box first: by the keyboard.
    await options.getByRole('button', { name: 'Move Box up' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() =>
      document.querySelector('ol[aria-label="Options of Packaging"] li')?.textContent?.includes('BOX'),
    );
    expect(await options.getByRole('listitem').allTextContents()).toEqual([
      expect.stringContaining('Box'),
      expect.stringContaining('Pallet'),
      expect.stringContaining('Crate'),
    ]);
    // Crate between Box and Pallet: by the pointer, dropped on Pallet's upper half.
    await options
      .getByRole('listitem')
      .filter({ hasText: 'Crate' })
      .dragTo(options.getByRole('listitem').filter({ hasText: 'Pallet' }), {
        targetPosition: { x: 40, y: 4 },
      });
    await page.waitForFunction(() =>
      document
        .querySelectorAll('ol[aria-label="Options of Packaging"] li')[1]
        ?.textContent?.includes('CRATE'),
    );
    await page.reload();
    await options.getByRole('listitem').first().waitFor();
    expect(await options.getByRole('listitem').allTextContents()).toEqual([
      expect.stringContaining('Box'),
      expect.stringContaining('Crate'),
      expect.stringContaining('Pallet'),
    ]);

    await page.screenshot({ path: `${screenshotDir}/config-type-list.png`, fullPage: true });

    await page.goto(`${ui.cloud.url}/config/fields?entity=product`);
    const addField = async (label: string, type: string, more: () => Promise<void>) => {
      await page.getByRole('button', { name: 'Add field' }).click();
      const form = page.getByRole('form', { name: 'New field' });
      await form.getByLabel('Label').fill(label);
      await form.getByLabel('Type', { exact: true }).selectOption({ label: type });
      await more();
      await form.getByRole('button', { name: 'Add field' }).click();
      await page.getByText(`The field ${label} was added to products.`).waitFor();
    };
    await addField('Net weight', 'Decimal number', async () => {
      const form = page.getByRole('form', { name: 'New field' });
      expect(await form.getByLabel('Key').inputValue()).toBe('net_weight');
      await form.getByLabel('Minimum value').fill('5');
      await form.getByLabel('Maximum value').fill('1');
      await form.getByText('The minimum is above the maximum').waitFor();
      await form.getByLabel('Minimum value').fill('0');
      await form.getByLabel('Maximum value').fill('50');
      await form.getByLabel('Unit').fill('kg');
      // The live preview shows the unsaved field as operators will see it.
      await page.getByRole('region', { name: 'Preview' }).getByLabel('Net weight').waitFor();
    });
    await addField('Packaging', 'Choice from a type list', async () => {
      const form = page.getByRole('form', { name: 'New field' });
      await form.getByLabel('Type list').selectOption({ label: 'Packaging' });
      await form.getByLabel('Required').check();
      await form.getByLabel('Group').fill('Logistics');
    });

    // Packaging first on the form: moved up by the keyboard.
    const fields = page.getByRole('list', { name: 'Fields in form order' });
    await fields.getByRole('button', { name: 'Move Packaging up' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() =>
      document.querySelector('ol[aria-label="Fields in form order"] li')?.textContent?.includes('packaging'),
    );
    await page.reload();
    await fields.getByRole('listitem').first().waitFor();
    expect(await fields.getByRole('listitem').first().textContent()).toContain('Packaging');

    await page.getByRole('button', { name: 'Edit Packaging' }).click();
    await page.getByRole('form', { name: 'Edit field Packaging' }).waitFor();
    const preview = page.getByRole('region', { name: 'Preview' });
    await preview.getByLabel('Packaging').selectOption({ label: 'Box' });
    expect(await preview.getByLabel('Packaging').locator('option').allTextContents()).toEqual([
      'Choose…',
      'Box',
      'Crate',
      'Pallet',
    ]);
    await page.screenshot({ path: `${screenshotDir}/config-field-editor.png`, fullPage: true });

    await page.getByRole('button', { name: 'Cancel' }).click();
  });

  it('an operator fills in the field, refused first, then saved; the filtered list shows exactly those products', async () => {
    const page = await signedIn(OPERATOR, '/config/records/product');
    await page.getByRole('link', { name: 'BRK-100' }).click();
    await page.waitForURL(/\/config\/records\/product\/[0-9a-f-]{36}/);
    const form = page.getByRole('form', { name: 'Custom fields' });
    await form.getByLabel('Net weight').fill('80');
    await form.getByText('At most 50 kg').waitFor();
    expect(await form.getByLabel('Net weight').getAttribute('aria-invalid')).toBe('true');
    await form.getByLabel('Net weight').fill('12.5');
    await form.getByRole('button', { name: 'Save' }).click();
    // The required select was never touched: saving names it.
    await form.getByText('Required', { exact: true }).waitFor();
    await form.getByLabel('Packaging').selectOption({ label: 'Box' });
    await form.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved 2 values.').waitFor();
    await page.reload();
    await form.getByLabel('Net weight').waitFor();
    expect(await form.getByLabel('Net weight').inputValue()).toBe('12.5');
    // The operator's form on a tablet.
    await page.setViewportSize({ width: 820, height: 1180 });
    await page.screenshot({ path: `${screenshotDir}/config-record-tablet.png`, fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });

    for (const [code, packaging] of [
      ['BRK-200', 'Pallet'],
      ['HSG-310', 'Box'],
    ]) {
      await page.goto(`${ui.cloud.url}/config/records/product`);
      await page.getByRole('link', { name: code }).click();
      await form.getByLabel('Packaging').selectOption({ label: packaging! });
      await form.getByRole('button', { name: 'Save' }).click();
      await page.getByText('Saved 1 value.').waitFor();
    }

    await page.goto(`${ui.cloud.url}/config/records/product`);
    await page.getByText('Filters', { exact: true }).click();
    const filters = page.getByRole('form', { name: 'Filters' });
    await filters.getByLabel('Condition on Packaging').selectOption('match');
    await filters.getByLabel('Box').check();
    await filters.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/f\.packaging=in%3A/);
    const table = page.getByRole('table', { name: 'Products' });
    await page.getByText('2 records').waitFor();
    const codes = await table.locator('tbody tr td:first-child').allTextContents();
    expect(codes.map((c) => c.trim())).toEqual(['BRK-100', 'HSG-310']);
    expect(await table.locator('tbody').textContent()).not.toContain('Pallet');

    // Sorted by weight, descending, and the URL keeps it.
    await table.getByRole('button', { name: 'Net weight' }).click();
    await page.waitForURL(/sort=net_weight/);
    await page.reload();
    await page.getByText('2 records').waitFor();
    expect(await page.getByRole('checkbox', { name: 'Box' }).isChecked()).toBe(true);
    await page.screenshot({ path: `${screenshotDir}/config-records.png`, fullPage: true });
  });
  it('a narrower bound is checked against stored values first, and the conflicts are listed', async () => {
    const page = await signedIn(ENGINEER, '/config/fields?entity=product');
    await page.getByRole('button', { name: 'Edit Net weight' }).click();
    const form = page.getByRole('form', { name: 'Edit field Net weight' });
    await form.getByLabel('Maximum value').fill('10');
    await form.getByRole('button', { name: 'Save field' }).click();
    const conflicts = form.getByRole('table');
    await conflicts.waitFor();
    expect(await conflicts.locator('tbody tr').allTextContents()).toEqual([
      expect.stringMatching(/BRK-100.*12\.5 kg.*At most 10 kg/),
    ]);
    await form.getByText('1 of 1 stored value would not fit.', { exact: false }).waitFor();
    await page.screenshot({ path: `${screenshotDir}/config-field-conflicts.png`, fullPage: true });

    // Widened instead: no conflicts, saved, and the history says who did it.
    await form.getByLabel('Maximum value').fill('100');
    await form.getByRole('button', { name: 'Save field' }).click();
    await page.getByText('The field Net weight was saved. 1 stored value was checked.').waitFor();
    await page.getByRole('button', { name: 'Edit Net weight' }).click();
    await page.getByText('History', { exact: true }).click();
    await page
      .getByText(/v\d+ · .* · Erin Engineer/)
      .first()
      .waitFor();
  });
  it('a new product’s form has the custom fields, checked as typed, saved with the product', async () => {
    const page = await signedIn(ENGINEER, '/admin/production');
    await page.getByRole('button', { name: 'Add product' }).click();
    const form = page.getByRole('form', { name: 'New product' });
    await form.getByLabel('Code').fill('ZZ-NEW-1');
    await form.getByLabel('Name').fill('Crated part');
    await form.getByRole('button', { name: 'Add', exact: true }).click();
    // Nothing is created while the required select is empty.
    await form.getByText('Required', { exact: true }).waitFor();
    expect(await form.getByLabel('Packaging').getAttribute('aria-invalid')).toBe('true');
    await form.getByLabel('Net weight').fill('-1');
    await form.getByText('At least 0 kg').waitFor();
    await form.getByLabel('Net weight').fill('7');
    await form.getByLabel('Packaging').selectOption({ label: 'Crate' });
    await form.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByText('Product ZZ-NEW-1 was added.').waitFor();

    // The product's code leads to its custom fields.
    await page.getByRole('link', { name: 'ZZ-NEW-1' }).click();
    await page.waitForURL(/\/config\/records\/product\/[0-9a-f-]{36}/);
    const values = page.getByRole('form', { name: 'Custom fields' });
    await values.getByLabel('Net weight').waitFor();
    expect(await values.getByLabel('Net weight').inputValue()).toBe('7');
    expect(await values.getByLabel('Packaging').locator('option:checked').textContent()).toBe('Crate');
  });
  it('exports a type list as CSV, and imports one after a dry run that reports each line', async () => {
    const page = await signedIn(ENGINEER, '/config/type-lists');
    await page.getByRole('link', { name: 'Packaging' }).click();
    await page.getByRole('list', { name: 'Options of Packaging' }).waitFor();

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('PACKAGING.csv');
    const exported = await (await download.createReadStream()).toArray();
    expect(Buffer.concat(exported).toString('utf8')).toContain('BOX,Box,,true,1');

    const upload = (name: string, text: string) =>
      page
        .getByLabel('Import a CSV file')
        .setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });
    await upload(
      'broken.csv',
      'code,label,colour,active\nBOX,Boxed,#a16207,true\nBAG,Bag,,true\nbad code,X,,true\n',
    );
    await page.getByText('1 to add, 1 to update, 0 unchanged; 1 line with errors').waitFor();
    const errors = page.getByRole('table', { name: 'Lines with errors' });
    expect(await errors.locator('tbody tr').allTextContents()).toEqual([
      expect.stringMatching(/^4code: use/),
    ]);
    expect(await page.getByRole('button', { name: 'Apply import' }).getAttribute('aria-disabled')).toBe(
      'true',
    );

    await upload('fixed.csv', 'code,label,colour,active\nBOX,Boxed,#a16207,true\nBAG,Bag,,true\n');
    await page.getByText('1 to add, 1 to update, 0 unchanged.').waitFor();
    await page.getByRole('button', { name: 'Apply import' }).click();
    await page.getByText('Imported: 1 added, 1 updated, 0 unchanged.').waitFor();
    const options = page.getByRole('list', { name: 'Options of Packaging' });
    await options.getByText('Boxed').waitFor();
    expect(await options.getByRole('listitem').allTextContents()).toEqual([
      expect.stringContaining('Boxed'),
      expect.stringContaining('Crate'),
      expect.stringContaining('Pallet'),
      expect.stringContaining('Bag'),
    ]);
  });
  it('renders every field type with its control and stores a local date-time as an instant with its offset', async () => {
    const admin = apiClient(ui.cloud.url);
    await admin.auth.login.mutate({ email: ADMIN_EMAIL, password: DEMO_PASSWORD });
    const [packaging] = await admin.config.typeLists.list.query({});
    const specs = [
      { key: 'inspected_on', label: 'Inspected on', type: 'date' },
      { key: 'last_audit', label: 'Last audit', type: 'datetime' },
      { key: 'hazardous', label: 'Hazardous', type: 'boolean' },
      { key: 'shipping', label: 'Shipping options', type: 'multi_select', typeListId: packaging!.id },
      { key: 'owner', label: 'Owner', type: 'user_ref' },
      { key: 'notes', label: 'Notes', type: 'long_text', helpText: 'Anything the next shift should know' },
      { key: 'replaces', label: 'Replaces', type: 'entity_ref', settings: { refEntityType: 'product' } },
    ] as const;
    for (const spec of specs) await admin.config.fields.create.mutate({ entityType: 'product', ...spec });

    // The administrator (who may list users) in Berlin, an hour ahead of UTC in November.
    const context = await ui.browser.newContext({
      viewport: { width: 1280, height: 900 },
      timezoneId: 'Europe/Berlin',
    });
    const page = await context.newPage();
    await page.goto(`${ui.cloud.url}/config/records/product`);
    await signIn(page, ADMIN_EMAIL, DEMO_PASSWORD);
    await page.getByRole('link', { name: 'BRK-200' }).click();
    const form = page.getByRole('form', { name: 'Custom fields' });
    await form.getByLabel('Inspected on').fill('2026-11-20');
    await form.getByLabel('Last audit').fill('2026-11-25T07:30');
    await form.getByLabel('Hazardous').check();
    const shipping = form.getByRole('group', { name: 'Shipping options' });
    await shipping.getByLabel('Crate').check();
    await shipping.getByLabel('Bag').check();
    await form.getByLabel('Owner').selectOption({ label: 'Erin Engineer' });
    await form.getByLabel('Notes').fill('Check the seal.');
    expect(await form.getByText('Anything the next shift should know').count()).toBe(1);
    await form.getByLabel('Replaces').selectOption({ label: 'BRK-100 · Brake caliper 100' });
    await form.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved 7 values.').waitFor();

    const id = page.url().split('/').pop()!.split('?')[0]!;
    const stored = await admin.config.records.get.query({ entityType: 'product', entityId: id });
    expect(stored.values.last_audit).toBe('2026-11-25T06:30:00.000Z');
    expect(stored.values.inspected_on).toBe('2026-11-20');
    expect(stored.values.hazardous).toBe(true);
    expect(stored.values.shipping).toHaveLength(2);

    await page.reload();
    await form.getByLabel('Last audit').waitFor();
    expect(await form.getByLabel('Last audit').inputValue()).toBe('2026-11-25T07:30');
    expect(await form.getByLabel('Owner').inputValue()).toBe(String(stored.values.owner));
    await page.screenshot({ path: `${screenshotDir}/config-record-all-types.png`, fullPage: true });
    await context.close();
  });

  // The demo's products, the 55 made before, and the one made in the product form above.
  const PRODUCT_COUNT = DEMO_PRODUCTS.length + 55 + 1;
  it('pages through a long list with Load more, counting every record', async () => {
    const page = await signedIn(OPERATOR, '/config/records/product?cols=packaging');
    const rows = page.getByRole('table', { name: 'Products' }).locator('tbody tr');
    await page.getByText(`${PRODUCT_COUNT} records`).waitFor();
    expect(await rows.count()).toBe(50);
    await page.getByRole('button', { name: 'Load more' }).click();
    await page.waitForFunction(
      (count) => document.querySelectorAll('table tbody tr').length === count,
      PRODUCT_COUNT,
    );
    // The last page says so: nothing more to load.
    expect(await page.getByRole('button', { name: /Load more|Loading/ }).count()).toBe(0);
    expect(await rows.count()).toBe(PRODUCT_COUNT);
    const codes = (await rows.locator('td:first-child').allTextContents()).map((c) => c.trim());
    expect(new Set(codes).size).toBe(PRODUCT_COUNT);
    expect(codes).toEqual([...codes].sort());

    // The navigation's Records entry opens the products.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Records' }).click();
    await page.waitForURL(`${ui.cloud.url}/config/records/product`);
  });

  it('finds records by code, and tells machines of the same code apart by plant and line', async () => {
    const page = await signedIn(OPERATOR, '/config/records/product');
    await page.getByText(`${PRODUCT_COUNT} records`).waitFor();
    await page.getByLabel('Code or name').fill('ZZ-BULK-01');
    await page.getByRole('button', { name: 'Find' }).click();
    await page.waitForURL(/q=ZZ-BULK-01/);
    await page.getByText('10 records').waitFor();

    await page.goto(`${ui.cloud.url}/config/records/machine`);
    const table = page.getByRole('table', { name: 'Machines' });
    await page.getByText('20 records').waitFor();
    expect(await table.locator('thead th').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining('Plant'), expect.stringContaining('Line')]),
    );
    await page.getByLabel('Plant', { exact: true }).selectOption({ label: 'RIV · Riverside Assembly' });
    await page.waitForURL(/plant=/);
    await page.getByText('10 records').waitFor();
    const m1 = table.locator('tbody tr').filter({ has: page.getByRole('link', { name: 'M1', exact: true }) });
    const cells = await Promise.all((await m1.all()).map((row) => row.locator('td').allTextContents()));
    expect(cells.map((c) => c.map((t) => t.trim()).slice(0, 3)).sort()).toEqual([
      ['M1', 'L1 machine 1', 'L1'],
      ['M1', 'L2 machine 1', 'L2'],
    ]);
    // One plant chosen: the plant column gives way.
    expect(await table.locator('thead th').allTextContents()).not.toContain('Plant');
    await page.screenshot({ path: `${screenshotDir}/config-records-machines.png`, fullPage: true });
  });
});
