import { describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, DEMO_PASSWORD, hasChromium, screenshotDir, signIn, useUiStack } from './harness';

describe.runIf(hasChromium)('device logins in the web UI', () => {
  const ui = useUiStack();

  /** What the demo edge (RIV) fetches to let devices onto its broker. */
  async function edgeSees(username: string) {
    const response = await fetch(`${ui.cloud.url}/trpc/edge.deviceCredentials`, {
      headers: { authorization: `Bearer ${ui.cloud.demoEdgeKey()}` },
    });
    const body = (await response.json()) as {
      result: {
        data: { credentials: { username: string; machine: string | null; revokedAt: string | null }[] };
      };
    };
    return body.result.data.credentials.find((credential) => credential.username === username);
  }

  it('an administrator creates a machine-scoped login, sees the password once, and revokes it', async () => {
    const page = await (await ui.browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await page.goto(`${ui.cloud.url}/admin/device-logins`);
    await signIn(page, ADMIN_EMAIL, DEMO_PASSWORD);
    await page.waitForURL(`${ui.cloud.url}/admin/device-logins`);
    // The simulator's login, seeded with the demo tenant.
    await page.getByRole('row', { name: /demo-simulator/ }).waitFor();
    expect(await page.getByRole('row', { name: /demo-simulator/ }).textContent()).toContain(
      'plantline/v1/RIV/…',
    );

    await page.getByRole('button', { name: 'New device login' }).click();
    await page.getByLabel('Username').fill('has space');
    await page.getByText('Use 1–64 of A–Z a–z 0–9 _ . @ -').waitFor();
    await page.getByLabel('Username').fill('riv-l1-m1-plc');
    await page.getByLabel('Plant', { exact: true }).selectOption({ label: 'RIV · Riverside Assembly' });
    await page.getByLabel('Line (optional)').selectOption({ label: 'L1 · Line 1' });
    await page.getByLabel('Machine (optional)').selectOption({ label: 'M1 · L1 machine 1' });
    await page.getByRole('button', { name: 'Create login' }).click();

    const password = await page.getByLabel('Password', { exact: true }).inputValue();
    expect(password.length).toBeGreaterThanOrEqual(32);
    await page.screenshot({ path: `${screenshotDir}/admin-device-login-created.png`, fullPage: true });
    await page.getByRole('button', { name: 'I have stored it' }).click();
    const row = page.getByRole('row', { name: /riv-l1-m1-plc/ });
    expect(await row.textContent()).toContain('plantline/v1/RIV/L1/M1/…');
    expect(await page.content()).not.toContain(password);
    expect(await edgeSees('riv-l1-m1-plc')).toMatchObject({ machine: 'M1', revokedAt: null });

    // The username is taken now: the server says so next to the field.
    await page.getByRole('button', { name: 'New device login' }).click();
    await page.getByLabel('Username').fill('riv-l1-m1-plc');
    await page.getByLabel('Plant', { exact: true }).selectOption({ label: 'RIV · Riverside Assembly' });
    await page.getByRole('button', { name: 'Create login' }).click();
    await page.getByText('This username is taken').first().waitFor();
    expect(await page.getByLabel('Username').getAttribute('aria-invalid')).toBe('true');
    await page.getByRole('button', { name: 'Cancel' }).click();

    await row.getByRole('button', { name: 'Revoke device login riv-l1-m1-plc' }).click();
    await row.getByRole('button', { name: 'Revoke' }).click();
    await page.getByText('The login riv-l1-m1-plc is revoked').waitFor();
    expect(await row.textContent()).toContain('Revoked');
    expect((await edgeSees('riv-l1-m1-plc'))?.revokedAt).not.toBeNull();
  });
});
