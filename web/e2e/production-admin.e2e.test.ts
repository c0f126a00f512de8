import type { Page } from 'playwright-core';
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

describe.runIf(hasChromium)('production master data in the web UI', () => {
  const ui = useUiStack();
  let page: Page;

  beforeAll(async () => {
    page = await (await ui.browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await page.goto(`${ui.cloud.url}/admin/production`);
    await signIn(page, ADMIN_EMAIL, DEMO_PASSWORD);
    await page.waitForURL(`${ui.cloud.url}/admin/production`);
  });

  it('maps a state to another loss bucket, and the mapping persists', async () => {
    const current = page.getByRole('navigation', { name: 'Main' }).locator('[aria-current="page"]');
    expect(await current.textContent()).toBe('Production master data');
    const microstop = page.getByRole('row', { name: /MICROSTOP/ });
    expect(await microstop.textContent()).toContain('Performance loss');

    await page.getByRole('button', { name: 'Edit state code MICROSTOP' }).click();
    const form = page.getByRole('form', { name: 'Edit state code MICROSTOP' });
    // Checked as the user types, with the API's rule.
    await form.getByLabel('Colour').fill('orange');
    await form.getByText('Use a colour like #22c55e').waitFor();
    await form.getByLabel('Colour').fill('#f97316');
    await form.getByLabel('Loss bucket').selectOption('availability_loss');
    await form.getByRole('button', { name: 'Save' }).click();
    await page.getByText('State MICROSTOP was saved: Availability loss.').waitFor();

    await page.reload();
    await microstop.waitFor();
    expect(await microstop.textContent()).toContain('Availability loss');
  });

  it('shows the server’s field error for a product code already in use', async () => {
    const add = async (code: string, name: string, gtin = '') => {
      await page.getByRole('button', { name: 'Add product' }).click();
      const form = page.getByRole('form', { name: 'New product' });
      await form.getByLabel('Code').fill(code);
      await form.getByLabel('Name').fill(name);
      await form.getByLabel('GTIN').fill(gtin);
      await form.getByRole('button', { name: 'Add' }).click();
      return form;
    };
    // A GTIN's check digit is checked before anything is sent.
    const first = await add('WIDGET-E2E', 'Browser test widget', '09521234543214');
    await first.getByText('The check digit of 09521234543214 is wrong').waitFor();
    await first.getByLabel('GTIN').fill('09521234543213');
    await first.getByRole('button', { name: 'Add' }).click();
    await page.getByText('Product WIDGET-E2E was added.').waitFor();
    await page.getByRole('row', { name: /WIDGET-E2E.*09521234543213/ }).waitFor();

    const form = await add('WIDGET-E2E', 'Another widget');
    await form.getByText('Already in use', { exact: true }).waitFor();
    expect(await form.getByLabel('Code').getAttribute('aria-invalid')).toBe('true');
    await form.getByRole('button', { name: 'Cancel' }).click();
  });

  it('sets a machine’s default ideal cycle time', async () => {
    const form = page.getByRole('form', { name: 'Set an ideal cycle time' });
    await form.getByLabel('Seconds per unit').fill('0');
    await form.getByText('Must be above zero').waitFor();
    await form.getByLabel('Seconds per unit').fill('12.5');
    await form.getByRole('button', { name: 'Set cycle time' }).click();
    await page.getByText(/Machine default of .+ is now 12.5 s per unit/).waitFor();
    const row = page.getByRole('row', { name: /Machine default/ });
    expect(await row.textContent()).toContain('12.5');
  });

  it('adds a downtime reason, checked as typed, that breaks can then name', async () => {
    await page.getByRole('button', { name: 'Add reason' }).click();
    const form = page.getByRole('form', { name: 'New downtime reason' });
    await form.getByLabel('Code').fill('E2E TEA');
    await form.getByText('Use 1–64 letters, digits and _ . - / (no spaces)').waitFor();
    await form.getByLabel('Code').fill('E2E-TEA');
    await form.getByLabel('Name').fill('Tea break');
    await form.getByLabel('Loss bucket').selectOption('planned_stop');
    await form.getByLabel('Category').fill('');
    await form.getByText('Enter a category, e.g. mechanical').waitFor();
    await form.getByLabel('Category').fill('organisational');
    await form.getByRole('button', { name: 'Add' }).click();
    await page.getByText('Reason E2E-TEA was added.').waitFor();
    const row = page.getByRole('row', { name: /E2E-TEA/ });
    expect(await row.textContent()).toContain('Planned stop');
  });

  it('replaces the plant’s shift pattern with a new one and shows the shifts it generates', async () => {
    const patterns = page.locator('section', { has: page.getByRole('heading', { name: 'Shift patterns' }) });
    await patterns.getByLabel('Plant').selectOption({ label: 'LAK · Lakeside Machining' });
    // The demo's around-the-clock pattern would overlap the new one: deactivate it first.
    const demo = patterns.getByRole('row', { name: /3SHIFT/ });
    await demo.getByRole('button', { name: 'Deactivate shift pattern 3SHIFT' }).click();
    await demo.getByRole('button', { name: 'Deactivate' }).click();
    await page.getByText(/Shift pattern 3SHIFT was deactivated\. Shifts for the next 8 weeks/).waitFor();
    await patterns.getByText('No shifts planned in the next 7 days.').waitFor();

    await patterns.getByRole('button', { name: 'Add shift pattern' }).click();
    const form = page.getByRole('form', { name: 'New shift pattern' });
    // The code is taken: the server says so beside the field.
    await form.getByLabel('Code', { exact: true }).fill('3SHIFT');
    await form.getByLabel('Name', { exact: true }).fill('Two shifts on weekdays');
    await form.getByLabel('Shift code').fill('E');
    await form.getByLabel('Shift name').fill('Early');
    await form.getByLabel('Starts (local time)').fill('06:00');
    await form.getByLabel('Length (minutes)').fill('1500');
    await form.getByText('At most 1440').waitFor();
    await form.getByLabel('Length (minutes)').fill('480');
    await form.getByRole('button', { name: 'Add break' }).click();
    await form.getByLabel('Starts after (minutes)').fill('470');
    await form.getByLabel('Break length (minutes)').fill('30');
    await form.getByText('Ends after the shift').waitFor();
    await form.getByLabel('Starts after (minutes)').fill('240');
    await form.getByLabel('Reason').selectOption('E2E-TEA');
    await form.getByRole('button', { name: 'Add shift' }).click();
    const late = form.getByRole('group', { name: /Shift 2/ });
    await late.getByLabel('Shift code').fill('L');
    await late.getByLabel('Shift name').fill('Late');
    await late.getByLabel('Starts (local time)').fill('14:00');
    await late.getByLabel('Sat').check();
    await form.getByRole('button', { name: 'Save and generate shifts' }).click();
    await form.getByText('Already in use', { exact: true }).waitFor();
    expect(await form.getByLabel('Code', { exact: true }).getAttribute('aria-invalid')).toBe('true');

    await form.getByLabel('Code', { exact: true }).fill('E2E-2SHIFT');
    await form.getByRole('button', { name: 'Save and generate shifts' }).click();
    await page
      .getByText(
        /Shift pattern E2E-2SHIFT was saved\. Shifts for the next 8 weeks were generated again \(\d+ planned\)/,
      )
      .waitFor();
    const row = patterns.getByRole('row', { name: /E2E-2SHIFT/ });
    expect(await row.textContent()).toContain('Early · Mon–Fri · 06:00, 8 h · 1 break');
    expect(await row.textContent()).toContain('Late · Mon–Sat · 14:00, 8 h');
    expect(await row.textContent()).toContain('America/Chicago');
    // The next shifts, in the plant's zone: only the new pattern's.
    const next = patterns.getByRole('list', { name: /Next shifts/ }).getByRole('listitem');
    await next.first().waitFor();
    const shown = await next.allTextContents();
    expect(shown.length).toBeGreaterThan(0);
    for (const text of shown) expect(text).toMatch(/(06:00–14:00 · Early|14:00–22:00 · Late)$/);
    await patterns.screenshot({ path: `${screenshotDir}/admin-shift-patterns.png` });

    // Reopened for editing, the saved pattern comes back as it was typed.
    await row.getByRole('button', { name: 'Edit shift pattern E2E-2SHIFT' }).click();
    const edit = page.getByRole('form', { name: 'Edit shift pattern E2E-2SHIFT' });
    expect(await edit.getByLabel('Reason').inputValue()).toBe('E2E-TEA');
    expect(
      await edit
        .getByRole('group', { name: /Shift 2/ })
        .getByLabel('Sat')
        .isChecked(),
    ).toBe(true);
    await edit.getByRole('button', { name: 'Cancel' }).click();
  });

  it('plans a downtime for tomorrow and deletes it again', async () => {
    const tomorrow = new Date(Date.now() + 86_400_000);
    const day = `${tomorrow.getFullYear()}-${String(tomorrow.getMonth() + 1).padStart(2, '0')}-${String(tomorrow.getDate()).padStart(2, '0')}`;
    await page.getByRole('button', { name: 'Plan downtime' }).click();
    const form = page.getByRole('form', { name: 'New planned downtime' });
    await form.getByLabel('Starts').fill(`${day}T08:00`);
    await form.getByLabel('Ends').fill(`${day}T06:00`);
    await form.getByText('Not after the start').waitFor();
    await form.getByLabel('Starts').fill(`${day}T06:00`);
    await form.getByLabel('Ends').fill(`${day}T08:00`);
    await form.getByLabel('Note').fill('Browser test maintenance');
    await form.getByRole('button', { name: 'Plan' }).click();
    await page.getByText('The maintenance was planned.').waitFor();
    const row = page.getByRole('row', { name: /Browser test maintenance/ });
    expect(await row.textContent()).toContain('Whole plant');
    await page.screenshot({ path: `${screenshotDir}/admin-production.png`, fullPage: true });

    await row.getByRole('button', { name: /Delete the maintenance/ }).click();
    await row.getByRole('button', { name: 'Delete' }).click();
    await page.getByText('The planned downtime was deleted.').waitFor();
    expect(await page.getByRole('row', { name: /Browser test maintenance/ }).count()).toBe(0);
  });

  it('shows downtime reasons and shift patterns read-only to a supervisor (no masterdata.manage)', async () => {
    const roles = await trpcCall<{ id: string; key: string }[]>(page, 'rbac.roles.list', undefined, 'GET');
    const plants = await trpcCall<{ id: string; code: string }[]>(
      page,
      'tenancy.plants.list',
      undefined,
      'GET',
    );
    await trpcCall(page, 'users.create', {
      email: 'sam@demo.plantline.local',
      displayName: 'Sam Supervisor',
      password: 'sam-password-1234',
      roleIds: [roles.find((r) => r.key === 'supervisor')!.id],
      plantIds: [plants.find((p) => p.code === 'RIV')!.id],
    });
    const sam = await (await ui.browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await sam.goto(`${ui.cloud.url}/admin/production`);
    await signIn(sam, 'sam@demo.plantline.local', 'sam-password-1234');
    await sam.waitForURL(`${ui.cloud.url}/admin/production`);
    await sam.getByRole('row', { name: /E2E-TEA/ }).waitFor();
    const patterns = sam.locator('section', { has: sam.getByRole('heading', { name: 'Shift patterns' }) });
    await patterns.getByRole('row', { name: /3SHIFT/ }).waitFor();
    await patterns.getByRole('list', { name: /Next shifts/ }).waitFor();
    for (const name of [
      /Add reason/,
      /Edit downtime reason/,
      /Deactivate downtime reason/,
      /Add shift pattern/,
      /shift pattern 3SHIFT/,
    ]) {
      expect(await sam.getByRole('button', { name }).count()).toBe(0);
    }
    await sam.context().close();
  });
});
