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

/*
 * The workflow designer on a laptop screen (docs/workflows.md, "Where to find it"): at 1280×800 the
 * whole graph is in view when it opens, after states are added and when the canvas grows; and a
 * workflow is renamed from the list and from the designer, where a rename over someone else's is
 * refused and the reload offered.
 */

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Every state's box and the canvas's, as the browser lays them out. */
async function graphBoxes(page: Page): Promise<{ canvas: Box; states: Box[] }> {
  const graph = page.getByTestId('workflow-graph');
  const canvas = await graph.boundingBox();
  if (canvas === null) throw new Error('The graph is not shown');
  const states = await graph.locator('.svelte-flow__node').evaluateAll((nodes) =>
    nodes.map((n) => {
      const r = n.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    }),
  );
  return { canvas, states };
}

const inside = (box: Box, canvas: Box) =>
  box.x >= canvas.x - 1 &&
  box.y >= canvas.y - 1 &&
  box.x + box.width <= canvas.x + canvas.width + 1 &&
  box.y + box.height <= canvas.y + canvas.height + 1;

/** Waits until every state lies inside the canvas (the fit may take a frame or two). */
async function expectGraphInView(page: Page, states: number) {
  await expect
    .poll(async () => {
      const { canvas, states: boxes } = await graphBoxes(page);
      return boxes.length === states && boxes.every((b) => inside(b, canvas));
    })
    .toBe(true);
}

const zoomOf = (page: Page) =>
  page
    .locator('.svelte-flow__viewport')
    .evaluate((el) => new DOMMatrixReadOnly(getComputedStyle(el).transform).a);

describe.runIf(hasChromium)('the workflow designer at 1280×800', () => {
  const ui = useUiStack();
  let page: Page;
  let workflowId = '';

  beforeAll(async () => {
    const context = await ui.browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    await page.goto(`${ui.cloud.url}/admin/workflows`);
    await signIn(page, ADMIN_EMAIL, DEMO_PASSWORD);
    const list = await trpcCall<{ id: string; entityType: string }[]>(
      page,
      'workflow.definitions.list',
      undefined,
      'GET',
    );
    workflowId = list.find((w) => w.entityType === 'ncr')!.id;
  });

  it('renames a workflow from the list', async () => {
    await page.goto(`${ui.cloud.url}/admin/workflows`);
    await page.getByRole('button', { name: 'Rename Non-conformance report' }).click();
    const dialog = page.getByRole('dialog', { name: /Rename Non-conformance report/ });
    await dialog.getByLabel('Name').fill('');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByText('Enter a name').waitFor();
    await dialog.getByLabel('Name').fill('NCR review');
    await dialog.getByLabel('Description (optional)').fill('Material review board decisions');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved: the workflow is now called NCR review.').waitFor();
    const row = page.getByRole('row', { name: /NCR review/ });
    await row.getByText('Material review board decisions').waitFor();
    // The audit trail has the rename, old and new.
    const trail = await trpcCall<{ entries: { action: string; entityId: string }[] }>(
      page,
      'audit.entries.list',
      { action: 'workflow.update' },
      'GET',
    );
    expect(trail.entries.map((e) => e.entityId)).toEqual([workflowId]);
  });

  it('refuses a rename over someone else’s and offers the reload', async () => {
    await page.goto(`${ui.cloud.url}/admin/workflows/${workflowId}`);
    await page.getByRole('heading', { name: 'NCR review', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Rename…' }).click();
    // Its heading names the workflow as stored, which changes below.
    const dialog = page.getByRole('dialog', { name: /^Rename / });
    await dialog.getByLabel('Name').fill('NCR board');
    // Meanwhile someone else renames it.
    const detail = await trpcCall<{ workflow: { version: number } }>(
      page,
      'workflow.definitions.get',
      { id: workflowId },
      'GET',
    );
    await trpcCall(page, 'workflow.definitions.update', {
      id: workflowId,
      version: detail.workflow.version,
      name: 'NCR process',
      description: 'Renamed elsewhere',
    });
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByText(/Someone else changed this workflow since you opened it/).waitFor();
    await dialog.getByRole('button', { name: 'Reload the workflow' }).click();
    await expect.poll(() => dialog.getByLabel('Name').inputValue()).toBe('NCR process');
    await dialog.getByLabel('Name').fill('NCR board');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { name: 'NCR board', level: 1 }).waitFor();
  });

  it('fits the whole graph in its canvas on opening, after adding states and when the canvas grows', async () => {
    await page.goto(`${ui.cloud.url}/admin/workflows/${workflowId}`);
    const graph = page.getByTestId('workflow-graph');
    await graph.waitFor();
    // The demo's NCR workflow: seven states, none off the canvas, the canvas in the window without
    // scrolling, the side panel beside it.
    await expectGraphInView(page, 7);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
    const canvas = (await graph.boundingBox())!;
    expect(canvas.y + canvas.height).toBeLessThanOrEqual(800);
    expect(canvas.width).toBeGreaterThanOrEqual(600);
    const side = await page.getByText('Select a state or a transition on the graph').boundingBox();
    expect(side?.x).toBeGreaterThanOrEqual(canvas.x + canvas.width);
    await page.screenshot({ path: `${screenshotDir}/workflow-designer-1280.png` });

    await page.getByRole('button', { name: 'Start a new draft from this version' }).click();
    await page.getByText(/^Draft of version 2/).waitFor();
    const add = page.getByRole('form', { name: 'Add state' });
    for (const label of ['Containment', 'Supplier response', 'Re-inspection']) {
      await add.getByLabel('New state label').fill(label);
      await add.getByRole('button', { name: 'Add state' }).click();
    }
    // Each is placed below the lowest state; the view follows.
    await expectGraphInView(page, 10);

    const before = await zoomOf(page);
    await page.getByRole('button', { name: 'Menu' }).click();
    await expect.poll(async () => (await graph.boundingBox())!.width).toBeGreaterThan(canvas.width + 100);
    await expectGraphInView(page, 10);
    await expect.poll(() => zoomOf(page)).not.toBe(before);
    await page.screenshot({ path: `${screenshotDir}/workflow-designer-1280-wide.png` });
  });
});
