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

describe.runIf(hasChromium)('Sparkplug B rules in the web UI', () => {
  const ui = useUiStack();

  /** What the demo edge (RIV) fetches and maps Sparkplug metrics by. */
  async function edgeRules() {
    const response = await fetch(`${ui.cloud.url}/trpc/edge.sparkplugRules`, {
      headers: { authorization: `Bearer ${ui.cloud.demoEdgeKey()}` },
    });
    const body = (await response.json()) as { result: { data: { rules: Record<string, unknown>[] } } };
    return body.result.data.rules;
  }

  /** Opens the form for a new rule of the press's state metric on RIV/L1/M1. */
  async function newPressRule(page: Page) {
    await page.getByRole('button', { name: 'New rule' }).click();
    await page.getByLabel('Plant', { exact: true }).selectOption({ label: 'RIV · Riverside Assembly' });
    await page.getByLabel('Line', { exact: true }).selectOption({ label: 'L1 · Line 1' });
    await page.getByLabel('Machine', { exact: true }).selectOption({ label: 'M1 · L1 machine 1' });
    await page.getByLabel('Group ID').fill('Plant1');
    await page.getByLabel('Edge node ID').fill('PLC-7');
    await page.getByLabel('Device ID (optional)').fill('Press1');
    await page.getByLabel('Metric name').fill('Status/State');
  }

  const where = { group: 'Plant1', node: 'PLC-7', device: 'Press1', metric: 'Status/State' };
  const machine = { plant: 'RIV', line: 'L1', machine: 'M1' };

  it('an administrator maps a metric, changes and removes its rule, and the edge follows', async () => {
    const page = await (await ui.browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await page.goto(`${ui.cloud.url}/admin/sparkplug`);
    await signIn(page, ADMIN_EMAIL, DEMO_PASSWORD);
    await page.waitForURL(`${ui.cloud.url}/admin/sparkplug`);
    await page.getByText('No Sparkplug B rules: the edges ignore Sparkplug metrics.').waitFor();

    await newPressRule(page);
    await page.getByLabel('Edge node ID').fill('PLC/7');
    await page.getByText('Use 1–255 characters without / + #').waitFor();
    await page.getByLabel('Edge node ID').fill('PLC-7');
    await page.getByRole('button', { name: 'Add a value' }).click();
    await page.getByLabel('Value 1', { exact: true }).fill('1');
    await page.getByLabel('State code 1', { exact: true }).fill('RUNNING');
    await page.getByRole('button', { name: 'Add a value' }).click();
    await page.getByLabel('Value 2', { exact: true }).fill('2');
    await page.getByLabel('State code 2', { exact: true }).fill('DOWN');
    await page.getByLabel('State when offline (optional)').fill('OFFLINE');
    await page.getByRole('button', { name: 'Save rule' }).click();
    await page.getByText('The rule for Status/State is saved').waitFor();
    const row = page.getByRole('row', { name: /Plant1\/PLC-7\/Press1/ });
    expect(await row.textContent()).toMatch(
      /Status\/State.*RIV\/L1\/M1.*State: 1 → RUNNING, 2 → DOWN; offline → OFFLINE/,
    );
    expect(await edgeRules()).toEqual([
      { ...where, ...machine, kind: 'state', states: { '1': 'RUNNING', '2': 'DOWN' }, offline: 'OFFLINE' },
    ]);
    await page.screenshot({ path: `${screenshotDir}/admin-sparkplug-rules.png`, fullPage: true });

    await newPressRule(page);
    await page.getByLabel('Kind').selectOption({ label: 'Scrap parts counter' });
    await page.getByRole('button', { name: 'Save rule' }).click();
    await page.getByText('Already mapped').waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();

    await row.getByRole('button', { name: 'Change the rule for Plant1/PLC-7/Press1 · Status/State' }).click();
    expect(await page.getByLabel('State code 2', { exact: true }).inputValue()).toBe('DOWN');
    // Someone else changes the rule while the form is open: saving it would overwrite their change.
    const [listed] = await trpcCall<Record<string, unknown>[]>(page, 'sparkplugRules.list', {}, 'GET');
    const { id, plantId, lineId, machineId } = listed!;
    const scrap = { kind: 'count', count: 'scrap' };
    await trpcCall(page, 'sparkplugRules.save', { id, plantId, lineId, machineId, ...where, ...scrap });
    await page.getByLabel('Kind').selectOption({ label: 'Good parts counter' });
    await page.getByRole('button', { name: 'Save rule' }).click();
    await page.getByText('Someone else changed this rule meanwhile').waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await row.getByText('Scrap parts counter').waitFor();

    await row.getByRole('button', { name: 'Change the rule for Plant1/PLC-7/Press1 · Status/State' }).click();
    await page.getByLabel('Kind').selectOption({ label: 'Good parts counter' });
    await page.getByRole('button', { name: 'Save rule' }).click();
    await page.getByText('The rule for Status/State is saved').waitFor();
    expect(await row.textContent()).toContain('Good parts counter');
    expect(await edgeRules()).toEqual([{ ...where, ...machine, kind: 'count', count: 'good' }]);

    await row.getByRole('button', { name: 'Remove the rule for Plant1/PLC-7/Press1 · Status/State' }).click();
    await row.getByRole('button', { name: 'Remove' }).click();
    await page.getByText('The rule for Plant1/PLC-7/Press1 · Status/State is removed').waitFor();
    expect(await edgeRules()).toEqual([]);
  });
});
