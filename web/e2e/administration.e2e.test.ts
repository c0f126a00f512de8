import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, DEMO_PASSWORD, hasChromium, screenshotDir, signIn, useUiStack } from './harness';

describe.runIf(hasChromium)('administration in the web UI', () => {
  const ui = useUiStack();

  async function adminPage(path: string, viewport = { width: 1280, height: 900 }): Promise<Page> {
    const context = await ui.browser.newContext({ viewport });
    const page = await context.newPage();
    await page.goto(`${ui.cloud.url}${path}`);
    await signIn(page, ADMIN_EMAIL, DEMO_PASSWORD);
    await page.waitForURL(`${ui.cloud.url}${path}`);
    return page;
  }

  it('an administrator creates a user with one plant, who then sees only that plant', async () => {
    const page = await adminPage('/admin/users');
    await page.getByRole('cell', { name: 'Demo Administrator (you)' }).waitFor();
    // The first Tab reaches the skip link, and the navigation marks the current page.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    const current = page.getByRole('navigation', { name: 'Main' }).locator('[aria-current="page"]');
    expect(await current.textContent()).toBe('Users');
    await page.getByRole('button', { name: 'New user' }).click();

    // The form checks as the user types, with the API's rules.
    await page.getByLabel('Initial password').fill('short');
    await page.getByText('Use at least 12 characters').waitFor();
    await page.getByLabel('Email').fill('not-an-email');
    await page.getByText('Enter a valid email address').waitFor();

    await page.getByLabel('Display name').fill('Rita Riverside');
    await page.getByLabel('Email').fill('rita@demo.plantline.local');
    await page.getByLabel('Initial password').fill('rita-password-1234');
    await page.getByRole('group', { name: 'Roles' }).getByLabel('Operator').check();
    await page.getByRole('group', { name: 'Plant access' }).getByLabel('RIV · Riverside Assembly').check();
    await page.screenshot({ path: `${screenshotDir}/admin-new-user.png`, fullPage: true });
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.getByText('Rita Riverside was created.').waitFor();
    const row = page.getByRole('row', { name: /Rita Riverside/ });
    expect(await page.getByRole('row', { name: /Demo Administrator/ }).textContent()).toContain('All plants');
    expect(await row.textContent()).toContain('RIV');
    expect(await row.textContent()).not.toContain('LAK');
    await page.screenshot({ path: `${screenshotDir}/admin-users.png`, fullPage: true });

    // The server's field errors show next to the field: the email is taken now.
    await page.getByRole('button', { name: 'New user' }).click();
    await page.getByLabel('Display name').fill('Rita again');
    await page.getByLabel('Email').fill('rita@demo.plantline.local');
    await page.getByLabel('Initial password').fill('another-password-1234');
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.getByText('Already in use').waitFor();
    expect(await page.getByLabel('Email').getAttribute('aria-invalid')).toBe('true');

    // Rita signs in (in a browser of her own) and sees Riverside only.
    const rita = await (await ui.browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await rita.goto(`${ui.cloud.url}/`);
    await signIn(rita, 'rita@demo.plantline.local', 'rita-password-1234');
    await rita.getByText('Riverside Assembly').waitFor();
    expect(await rita.getByText('Lakeside Machining').count()).toBe(0);
    // An operator's navigation has no user administration (only the settings, read-only).
    const nav = rita.getByRole('navigation', { name: 'Main' });
    expect(await nav.getByRole('link', { name: 'Events' }).count()).toBe(1);
    expect(await nav.getByRole('link', { name: 'Users' }).count()).toBe(0);
    await rita.screenshot({ path: `${screenshotDir}/one-plant-overview.png`, fullPage: true });

    await nav.getByRole('link', { name: 'Events' }).click();
    await rita.waitForURL(`${ui.cloud.url}/events`);
    await rita.getByText('No events yet').waitFor();
    const plantOptions = await rita.getByLabel('Plant', { exact: true }).locator('option').allTextContents();
    expect(plantOptions).toEqual(['All plants', 'RIV · Riverside Assembly']);
    const lineOptions = await rita.getByLabel('Line', { exact: true }).locator('option').allTextContents();
    expect(lineOptions).toEqual(['All lines', 'L1 · Line 1', 'L2 · Line 2']);

    // A page her roles do not allow says so.
    await rita.goto(`${ui.cloud.url}/admin/users`);
    await rita.getByText('This page needs the permission users.read').waitFor();
    // … inside the app shell, so the way back is at hand.
    await rita.getByRole('heading', { name: 'Not allowed' }).waitFor();
    expect(await rita.getByRole('navigation', { name: 'Main' }).count()).toBe(1);

    // Deactivated, Rita is signed out everywhere; reactivated, she may sign in again.
    await page.getByRole('button', { name: 'Deactivate Rita Riverside' }).click();
    await page.getByRole('button', { name: 'Deactivate: Deactivate Rita Riverside' }).click();
    await page.getByText('Rita Riverside is deactivated and signed out.').waitFor();
    // The list re-renders a moment after the mutation's message: wait for the row to change.
    await page
      .getByRole('row', { name: /Rita Riverside/ })
      .filter({ hasText: 'Deactivated' })
      .waitFor();
    await rita.goto(`${ui.cloud.url}/events`);
    await rita.waitForURL(/\/login\?redirectTo=%2Fevents/);
    await page.getByRole('button', { name: 'Reactivate Rita Riverside' }).click();
    await page.getByText('Rita Riverside can sign in again.').waitFor();
    await signIn(rita, 'rita@demo.plantline.local', 'rita-password-1234');
    await rita.waitForURL(`${ui.cloud.url}/events`);

    // Editing her plant access adds Lakeside.
    await page.getByRole('button', { name: 'Edit Rita Riverside' }).click();
    await page.getByRole('group', { name: 'Plant access' }).getByLabel('LAK · Lakeside Machining').check();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Changes to Rita Riverside were saved.').waitFor();
    // The list re-renders a moment after the mutation's message: wait for the row to change.
    await page
      .getByRole('row', { name: /Rita Riverside/ })
      .filter({ hasText: 'LAK, RIV' })
      .waitFor();
  });

  it('creates an API key for an edge node, shows it once, and revokes it', async () => {
    const page = await adminPage('/admin/api-keys');
    await page.getByRole('cell', { name: 'Demo edge (both demo plants)', exact: true }).waitFor();
    await page.getByRole('button', { name: 'New API key' }).click();
    // The form takes the focus, so typing can start at once.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('new-key-name');
    await page.getByRole('button', { name: 'Create key' }).click();
    // Nothing is sent while the form is incomplete.
    await page.getByText('Enter a name').waitFor();
    await page.getByText('Choose at least one plant').waitFor();

    await page.getByLabel('Name', { exact: true }).fill('Edge LAK hall 2');
    await page.getByRole('group', { name: 'Plants' }).getByLabel('LAK · Lakeside Machining').check();
    expect(
      await page.getByRole('group', { name: 'Permissions' }).getByLabel('ingest.write').isChecked(),
    ).toBe(true);
    await page.getByRole('button', { name: 'Create key' }).click();

    const secret = page.getByLabel('API key', { exact: true });
    await secret.waitFor();
    const key = await secret.inputValue();
    expect(key).toMatch(/^plk_[0-9a-f]{8}_\S{20,}$/);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: ui.cloud.url });
    await page.getByRole('button', { name: 'Copy key' }).click();
    await page.getByText('Copied to the clipboard.').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);
    await page.screenshot({ path: `${screenshotDir}/api-key-shown-once.png`, fullPage: true });

    // The key works for an edge node.
    const whoami = await fetch(`${ui.cloud.url}/trpc/edge.whoami`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(whoami.status).toBe(200);

    await page.getByRole('button', { name: 'I have stored it' }).click();
    const prefix = key.split('_')[1]!;
    const row = page.getByRole('row', { name: /Edge LAK hall 2/ });
    await row.waitFor();
    expect(await row.textContent()).toContain(`plk_${prefix}_…`);
    expect(await page.content()).not.toContain(key);
    await page.reload();
    await page.getByRole('row', { name: /Edge LAK hall 2/ }).waitFor();
    expect(await page.content()).not.toContain(key);

    // Revoking asks first; by keyboard it is Enter twice (focus moves to the confirmation).
    await page.getByRole('button', { name: 'Revoke API key Edge LAK hall 2' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Revoke: Revoke API key Edge LAK hall 2' }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(
      'Revoke: Revoke API key Edge LAK hall 2',
    );
    await page.keyboard.press('Enter');
    await page.getByText('The key Edge LAK hall 2 is revoked').waitFor();
    // The list re-renders a moment after the mutation's message: wait for the row to change.
    await page
      .getByRole('row', { name: /Edge LAK hall 2/ })
      .filter({ hasText: 'Revoked' })
      .waitFor();
    const refused = await fetch(`${ui.cloud.url}/trpc/edge.whoami`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(refused.status).toBe(401);
    await page.screenshot({ path: `${screenshotDir}/admin-api-keys.png`, fullPage: true });
  });

  it('edits the permission matrix and master data', async () => {
    const page = await adminPage('/admin/roles');
    const adminBox = page.getByLabel('users.manage for Administrator');
    await adminBox.waitFor();
    expect(await adminBox.isDisabled()).toBe(true);
    expect(await adminBox.isChecked()).toBe(true);

    await page.getByRole('button', { name: 'New role' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Line lead');
    expect(await page.getByLabel('Key', { exact: true }).inputValue()).toBe('line-lead');
    await page.getByRole('button', { name: 'Create role' }).click();
    await page.getByText('The role Line lead was created.').waitFor();
    await page.getByLabel('events.read for Line lead').check();
    await page.getByLabel('kpi.read for Line lead').check();
    await page.getByText('1 role changed').waitFor();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Saved the permissions of 1 role.').waitFor();
    await page.reload();
    await page.getByLabel('events.read for Line lead').waitFor();
    expect(await page.getByLabel('events.read for Line lead').isChecked()).toBe(true);
    await page.screenshot({ path: `${screenshotDir}/admin-roles.png`, fullPage: true });

    // Master data at tablet width: add a machine to a line of Riverside.
    const plants = await adminPage('/admin/plants', { width: 768, height: 1024 });
    await plants.getByRole('button', { name: /RIV\s+Riverside Assembly/ }).click();
    await plants.waitForURL(/\?plant=/);
    await plants.getByRole('heading', { name: /RIV · Riverside Assembly/ }).waitFor();
    await plants.getByRole('button', { name: 'Add machine' }).click();
    await plants.getByLabel('Code').fill('M 6');
    await plants.getByText('Use 1–32 letters, digits, - and _').waitFor();
    await plants.getByLabel('Code').fill('M1');
    await plants.getByLabel('Name', { exact: true }).fill('Duplicate press');
    await plants.getByRole('button', { name: 'Add', exact: true }).click();
    // The server refuses a code in use and names the field.
    await plants.getByText('Already in use', { exact: true }).waitFor();
    expect(await plants.getByLabel('Code').getAttribute('aria-invalid')).toBe('true');
    await plants.getByLabel('Code').fill('M6');
    await plants.getByRole('button', { name: 'Add', exact: true }).click();
    await plants.getByText('Machine M6 was added.').waitFor();
    await plants.getByRole('row', { name: /M6 Duplicate press/ }).waitFor();
    await plants.screenshot({ path: `${screenshotDir}/admin-plants-tablet.png`, fullPage: true });

    // At tablet width no page is wider than the screen: wide tables scroll inside their panel.
    for (const path of ['/admin/users', '/admin/roles', '/admin/api-keys', '/']) {
      await plants.goto(`${ui.cloud.url}${path}`);
      await plants.getByRole('heading', { level: 1 }).waitFor();
      await plants.waitForLoadState('networkidle');
      const overflow = await plants.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, path).toBeLessThanOrEqual(0);
    }
    await plants.goto(`${ui.cloud.url}/admin/roles`);
    await plants.getByLabel('events.read for Line lead').waitFor();
    await plants.screenshot({ path: `${screenshotDir}/admin-roles-tablet.png` });
  });
});
