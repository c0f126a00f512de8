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

interface StoredSettings {
  settings: { audit: { reasonRequired: boolean; retentionDays: number } };
  version: number;
}

/*
 * The settings page and the reason prompt (docs/settings.md): the administrator requires a reason for
 * changes, after which every save asks for one in the app's one dialog; Cancel saves nothing and
 * keeps the form; a save from settings someone else has changed since is refused with a reload.
 */
describe.runIf(hasChromium)('settings and the reason prompt in the web UI', () => {
  const ui = useUiStack();

  it('requires a reason, asks for it on the next change, and keeps the form on Cancel', async () => {
    const page = await (await ui.browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await page.goto(`${ui.cloud.url}/admin/settings`);
    await signIn(page, ADMIN_EMAIL, DEMO_PASSWORD);
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    const stored = () => trpcCall<StoredSettings>(page, 'settings.get', undefined, 'GET');

    const retention = page.getByLabel('Keep the audit trail for (days)');
    const reasonRequired = page.getByLabel('Require a reason for every change');
    // The demo has saved settings of its own (its GS1 company prefix); the audit ones are the defaults.
    await expect.poll(() => retention.inputValue()).toBe('3650');
    const start = (await stored()).version;
    expect(await reasonRequired.isChecked()).toBe(false);
    await page.getByText('about 10 years').waitFor();

    // Too short: said at the field while typing, and nothing is sent.
    await retention.fill('300');
    await page.getByText(/^At least 400 days: the audit trail must outlive/).waitFor();
    expect(await retention.getAttribute('aria-invalid')).toBe('true');
    await retention.fill('3650');

    // Switching the rule on is the first change it covers: the dialog asks why.
    await reasonRequired.check();
    await page.getByRole('button', { name: 'Save settings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Reason for this change' });
    await dialog.waitFor();
    expect(await dialog.getByRole('listitem').allTextContents()).toEqual(['Update settings']);
    expect(await dialog.textContent()).toContain('EU GMP Annex 11 §9');
    // An empty reason is not sent.
    await dialog.getByRole('button', { name: 'Save with reason' }).click();
    await dialog.getByText('Give a reason: this tenant requires one for every change').waitFor();
    await dialog.getByLabel('Reason').fill('Annex 11 gap assessment');
    await page.screenshot({ path: `${screenshotDir}/settings-reason-dialog.png`, fullPage: true });
    await dialog.getByRole('button', { name: 'Save with reason' }).click();
    await page.getByText('Settings saved.').waitFor();
    await dialog.waitFor({ state: 'hidden' });
    expect((await stored()).settings.audit.reasonRequired).toBe(true);
    await page.getByText(/^Last changed by .+ on /).waitFor();

    // Cancel: nothing saved, the form keeps the user's edit and says why it was not saved.
    await retention.fill('1825');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByText(/^Not saved: this tenant requires a reason for every change/).waitFor();
    expect(await retention.inputValue()).toBe('1825');
    expect(await stored()).toMatchObject({
      version: start + 1,
      settings: { audit: { retentionDays: 3650 } },
    });

    // Saved with a reason the second time.
    await page.getByRole('button', { name: 'Save settings' }).click();
    await dialog.getByLabel('Reason').fill('Customer quality agreement: five years');
    await dialog.getByRole('button', { name: 'Save with reason' }).click();
    await page.getByText('Settings saved.').waitFor();
    expect(await stored()).toMatchObject({
      version: start + 2,
      settings: { audit: { retentionDays: 1825 } },
    });
    expect(await page.getByText(/^Not saved/).count()).toBe(0);

    // Someone else saves meanwhile: this form's save is refused, naming them, and Reload shows theirs.
    await trpcCall(page, 'settings.update', {
      version: start + 2,
      patch: { audit: { retentionDays: 2000 } },
      reason: 'Elsewhere',
    });
    await retention.fill('2500');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page
      .getByText(/^These settings were changed by .+ at .+ UTC since you opened them; reload/)
      .waitFor();
    await page.screenshot({ path: `${screenshotDir}/settings-changed-meanwhile.png`, fullPage: true });
    await page.getByRole('button', { name: 'Reload settings' }).click();
    await page.waitForFunction(
      () => (document.getElementById('retention-days') as HTMLInputElement | null)?.value === '2000',
    );
    expect((await stored()).settings.audit.retentionDays).toBe(2000);
  });
});
