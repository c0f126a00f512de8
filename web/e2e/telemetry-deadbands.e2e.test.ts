import { describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, DEMO_PASSWORD, hasChromium, screenshotDir, signIn, useUiStack } from './harness';

describe.runIf(hasChromium)('telemetry deadbands in the web UI', () => {
  const ui = useUiStack();

  /** What the demo edge (RIV) fetches and applies at its ingress. */
  async function edgeRules() {
    const response = await fetch(`${ui.cloud.url}/trpc/edge.telemetryDeadbands`, {
      headers: { authorization: `Bearer ${ui.cloud.demoEdgeKey()}` },
    });
    const body = (await response.json()) as { result: { data: { rules: Record<string, unknown>[] } } };
    return body.result.data.rules;
  }

  it('an administrator sets a machine’s deadband, changes it and removes it, and the edge follows', async () => {
    const page = await (await ui.browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await page.goto(`${ui.cloud.url}/admin/telemetry-deadbands`);
    await signIn(page, ADMIN_EMAIL, DEMO_PASSWORD);
    await page.waitForURL(`${ui.cloud.url}/admin/telemetry-deadbands`);
    await page.getByText('No deadbands: the edges keep every telemetry value.').waitFor();

    await page.getByRole('button', { name: 'New rule' }).click();
    await page.getByLabel('Plant', { exact: true }).selectOption({ label: 'RIV · Riverside Assembly' });
    await page.getByLabel('Line (optional)').selectOption({ label: 'L1 · Line 1' });
    await page.getByLabel('Machine (optional)').selectOption({ label: 'M1 · L1 machine 1' });
    await page.getByLabel('Value name (optional)').fill('spindle_temp_c');
    await page.getByLabel('Deadband', { exact: true }).selectOption('percent');
    await page.getByLabel('Band (%)').fill('150');
    await page.getByText('Use a percentage from 0 to 100').waitFor();
    await page.getByLabel('Deadband', { exact: true }).selectOption('absolute');
    await page.getByLabel('Band', { exact: true }).fill('0.5');
    await page.getByLabel('Heartbeat (seconds)').fill('60');
    await page.getByRole('button', { name: 'Save deadband' }).click();
    await page.getByText('The deadband for spindle_temp_c is set').waitFor();
    const row = page.getByRole('row', { name: /RIV\/L1\/M1/ });
    expect(await row.textContent()).toMatch(/spindle_temp_c.*± 0\.5.*every 1 min/);
    expect(await edgeRules()).toEqual([
      {
        plant: 'RIV',
        line: 'L1',
        machine: 'M1',
        metric: 'spindle_temp_c',
        mode: 'absolute',
        deadband: 0.5,
        heartbeatS: 60,
      },
    ]);
    await page.screenshot({ path: `${screenshotDir}/admin-telemetry-deadbands.png`, fullPage: true });

    await row.getByRole('button', { name: 'Change the deadband for RIV/L1/M1 spindle_temp_c' }).click();
    expect(await page.getByLabel('Value name (optional)').isDisabled()).toBe(true);
    await page.getByLabel('Deadband', { exact: true }).selectOption('percent');
    await page.getByLabel('Band (%)').fill('2');
    await page.getByRole('button', { name: 'Save deadband' }).click();
    await page.getByText('The deadband for spindle_temp_c is set').waitFor();
    expect(await row.textContent()).toContain('± 2 %');
    expect(await edgeRules()).toMatchObject([{ mode: 'percent', deadband: 2, heartbeatS: 60 }]);

    await row.getByRole('button', { name: 'Remove the deadband for RIV/L1/M1 spindle_temp_c' }).click();
    await row.getByRole('button', { name: 'Remove' }).click();
    await page.getByText('The rule for RIV/L1/M1 · spindle_temp_c is removed').waitFor();
    expect(await edgeRules()).toEqual([]);
  });
});
