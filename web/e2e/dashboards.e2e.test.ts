import { describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, DEMO_PASSWORD, hasChromium, pushEvent, signIn, trpcCall, useUiStack } from './harness';

/*
 * The dashboard builder end to end (docs/dashboards.md): an engineer builds a dashboard of three
 * widgets on the demo plant, saves it and shares it with the Operator role; an operator opens it and
 * a machine tile follows an event as it is ingested.
 */
describe.runIf(hasChromium)('dashboards', () => {
  const ui = useUiStack();

  it('an engineer builds and shares a dashboard; a viewer with the role sees it update live', async () => {
    const admin = await (await ui.browser.newContext()).newPage();
    await admin.goto(`${ui.cloud.url}/`);
    await signIn(admin, ADMIN_EMAIL, DEMO_PASSWORD);
    const roles = await trpcCall<{ id: string; key: string }[]>(admin, 'rbac.roles.list', undefined, 'GET');
    const plants = await trpcCall<{ id: string; code: string }[]>(
      admin,
      'tenancy.plants.list',
      undefined,
      'GET',
    );
    const riv = plants.find((p) => p.code === 'RIV')!.id;
    const user = (email: string, role: string) =>
      trpcCall(admin, 'users.create', {
        email,
        displayName: email.split('@')[0],
        password: 'dashboard-password-1234',
        roleIds: [roles.find((r) => r.key === role)!.id],
        plantIds: [riv],
      });
    await user('erin@demo.plantline.local', 'engineer');
    await user('otto@demo.plantline.local', 'operator');

    const engineer = await (
      await ui.browser.newContext({ viewport: { width: 1440, height: 1000 } })
    ).newPage();
    await engineer.goto(`${ui.cloud.url}/`);
    await signIn(engineer, 'erin@demo.plantline.local', 'dashboard-password-1234');
    await engineer
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Dashboards' })
      .click();
    await engineer.getByRole('heading', { level: 1, name: 'Dashboards' }).waitFor();
    // The shipped dashboards are shared with engineers.
    await engineer.getByRole('link', { name: 'Plant manager' }).waitFor();
    await engineer.getByLabel('New dashboard').fill('Line watch');
    await engineer.getByRole('button', { name: 'Create' }).click();
    await engineer.waitForURL(/\/dashboards\/line-watch\?edit/);

    for (const widget of ['KPI tile', 'Trend', 'Machine tiles'])
      await engineer.getByRole('button', { name: widget, exact: true }).click();
    await expect.poll(() => engineer.locator('.grid-stack-item').count()).toBe(3);
    expect(await engineer.locator('input[name="variable-plant"]').isChecked()).toBe(true);
    await engineer.locator('select[name="plant"]').selectOption({ value: riv });
    await engineer.waitForURL(new RegExp(`plant=${riv}`));
    await engineer.getByPlaceholder('What changed (optional)').fill('OEE, its trend and the machines');
    await engineer.getByRole('button', { name: 'Save' }).click();
    await engineer.getByText('Saved as version 2').waitFor();
    await engineer.getByRole('link', { name: 'Done' }).click();
    await engineer.getByRole('heading', { level: 1, name: 'Line watch' }).waitFor();
    await engineer.getByRole('button', { name: 'Share' }).click();
    const dialog = engineer.getByRole('dialog');
    await dialog.getByLabel('Operator').check();
    await dialog.getByRole('button', { name: 'Share' }).click();
    await engineer.getByText('Shared with Operator').waitFor();

    const viewer = await (await ui.browser.newContext({ viewport: { width: 1440, height: 1000 } })).newPage();
    await viewer.goto(`${ui.cloud.url}/`);
    await signIn(viewer, 'otto@demo.plantline.local', 'dashboard-password-1234');
    // Listed on the home page, and opened with the plant in the address.
    await viewer.getByRole('link', { name: 'Line watch' }).waitFor();
    await viewer.goto(`${ui.cloud.url}/dashboards/line-watch?plant=${riv}`);
    await viewer.getByRole('heading', { level: 1, name: 'Line watch' }).waitFor();
    expect(await viewer.getByRole('link', { name: 'Edit' }).count()).toBe(0);
    await viewer.locator('[data-widget="kpi-1"] [data-figure="oee"]').waitFor();
    await viewer.locator('[data-widget="trend-1"]').waitFor();
    const tile = viewer.getByRole('article', { name: 'L1 machine 1' });
    const good = tile.locator('[data-figure="good"]');
    await good.waitFor();
    const before = Number(await good.textContent());
    await pushEvent(ui.cloud.url, ui.cloud.demoEdgeKey(), {
      plant: 'RIV',
      line: 'L1',
      machine: 'M1',
      kind: 'count',
      payload: { good: 5, scrap: 0 },
    });
    await viewer.waitForFunction(
      ([selector, value]) => Number(document.querySelector(selector as string)?.textContent) === value,
      ['[data-widget="machines-1"] [aria-label="L1 machine 1"] [data-figure="good"]', before + 5] as const,
      { timeout: 10_000 },
    );

    // The save is a version with the engineer's message, after the one the dashboard was created as.
    const versions = await trpcCall<{ version: number; message: string }[]>(
      engineer,
      'dashboards.versions',
      { id: (await trpcCall<{ id: string }>(engineer, 'dashboards.get', { slug: 'line-watch' }, 'GET')).id },
      'GET',
    );
    expect(versions.map((v) => v.message)).toEqual(['OEE, its trend and the machines', 'Created']);
  });
});
