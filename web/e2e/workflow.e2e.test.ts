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
 * The workflow engine's main path in the browser (docs/workflows.md). An engineer reshapes the NCR
 * workflow into four states whose closing needs two signatures of the three quality users, and
 * publishes it as version 2 while the demo's NCRs stay on version 1. An operator raises an NCR and
 * submits it; two quality users approve and sign with their passwords — one mistypes first, which is
 * refused and lands in the audit trail — and the NCR closes. The audit chain still verifies.
 */

const PASSWORD = 'workflow-browser-password';
const people = {
  engineer: { email: 'erin.engineer@demo.plantline.local', name: 'Erin Engineer', role: 'engineer' },
  operator: { email: 'oscar.operator@demo.plantline.local', name: 'Oscar Operator', role: 'operator' },
  quality1: { email: 'quinn.one@demo.plantline.local', name: 'Quinn One', role: 'quality' },
  quality2: { email: 'quinn.two@demo.plantline.local', name: 'Quinn Two', role: 'quality' },
  quality3: { email: 'quinn.three@demo.plantline.local', name: 'Quinn Three', role: 'quality' },
} as const;
type Person = keyof typeof people;

async function pageAs(browser: Browser, baseUrl: string, who: Person | 'admin', path: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${baseUrl}${path}`);
  if (who === 'admin') await signIn(page, ADMIN_EMAIL, DEMO_PASSWORD);
  else await signIn(page, people[who].email, PASSWORD);
  return page;
}

describe.runIf(hasChromium)('an NCR through a workflow an engineer changed', () => {
  const ui = useUiStack();
  let admin: Page;
  let ncrUrl = '';

  beforeAll(async () => {
    admin = await pageAs(ui.browser, ui.cloud.url, 'admin', '/');
    const roles = await trpcCall<{ id: string; key: string }[]>(admin, 'rbac.roles.list', undefined, 'GET');
    const plants = await trpcCall<{ id: string; code: string }[]>(
      admin,
      'tenancy.plants.list',
      undefined,
      'GET',
    );
    const riverside = plants.find((p) => p.code === 'RIV')!.id;
    for (const person of Object.values(people)) {
      await trpcCall(admin, 'users.create', {
        email: person.email,
        displayName: person.name,
        password: PASSWORD,
        roleIds: [roles.find((r) => r.key === person.role)!.id],
        plantIds: [riverside],
      });
    }
  });

  it('an engineer reshapes the NCR workflow and publishes version 2', async () => {
    const page = await pageAs(ui.browser, ui.cloud.url, 'engineer', '/admin/workflows');
    await page.getByRole('link', { name: 'Non-conformance report' }).click();
    await page.getByRole('button', { name: 'Start a new draft from this version' }).click();
    const graph = page.getByTestId('workflow-graph');
    await graph.waitFor();
    for (const state of ['Under review', 'Disposition', 'Rework / verify']) {
      await graph
        .getByLabel(new RegExp(`^${state.replace('/', '\\/')},`))
        .first()
        .click();
      await page.getByRole('button', { name: `Delete state ${state}` }).click();
      await page.getByRole('button', { name: 'Delete it and its transitions' }).click();
    }
    const add = page.getByRole('form', { name: 'Add transition' });
    await add.getByLabel('New transition from').selectOption({ label: 'Submitted' });
    await add.getByLabel('New transition to').selectOption({ label: 'Closed' });
    await add.getByLabel('New transition label (optional)').fill('Approve closure');
    await add.getByRole('button', { name: 'Add transition' }).click();

    const panel = page.getByRole('region', { name: /Transition: Approve closure/ });
    await panel.getByLabel('Electronic signature').selectOption('approval');
    await panel.getByLabel('Needs approval before it fires').check();
    const group = panel.getByRole('listitem', { name: 'Approval group 1' });
    await group.getByLabel('Name', { exact: true }).fill('Quality');
    await group.getByLabel('Role', { exact: true }).selectOption({ label: 'Quality' });
    await group.getByLabel('Approvals needed').fill('2');
    await panel.getByLabel('A rejection goes to').selectOption({ label: 'Draft' });

    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByRole('button', { name: 'Publish…' }).click();
    await page.getByLabel('What changed').fill('Four states; closing needs two quality signatures');
    await page.getByRole('button', { name: 'Publish version 2' }).click();
    await expect.poll(() => page.getByText(/version 2/i).count()).toBeGreaterThan(0);
    await page.screenshot({ path: `${screenshotDir}/workflow-designer.png`, fullPage: true });

    const published = await trpcCall<{ name: string; publishedVersion: number | null }[]>(
      page,
      'workflow.definitions.list',
      undefined,
      'GET',
    );
    expect(published.find((w) => w.name === 'Non-conformance report')?.publishedVersion).toBe(2);
  });

  it('an operator raises an NCR and submits it on version 2', async () => {
    const page = await pageAs(ui.browser, ui.cloud.url, 'operator', '/quality/ncrs/new');
    await page.getByLabel('Title').fill('Scratched caliper housings');
    await page.getByLabel('Description').fill('Twelve housings from M1 with scratches on the bore face.');
    await page.getByRole('button', { name: 'Raise NCR' }).click();
    await page.getByText('The NCR was raised.').waitFor();
    await page.waitForURL(/\/quality\/ncrs\/[0-9a-f-]{36}/);
    ncrUrl = new URL(page.url()).pathname;

    await page.getByRole('button', { name: 'Edit' }).click();
    await page.getByLabel('Disposition').selectOption({ label: 'Scrap' });
    await page.getByRole('button', { name: 'Save' }).click();

    const workflow = page.getByRole('region', { name: 'Workflow' });
    await expect.poll(() => workflow.getByText('version 2').count()).toBe(1);
    await workflow.getByRole('button', { name: 'Submit' }).click();
    await page.getByRole('button', { name: 'Confirm' }).click();
    await expect.poll(() => workflow.locator('.state .badge').innerText()).toBe('Submitted');
  });

  it('two quality users sign; a wrong password is refused; the NCR closes', async () => {
    const first = await pageAs(ui.browser, ui.cloud.url, 'quality1', ncrUrl);
    const workflow = first.getByRole('region', { name: 'Workflow' });
    await workflow.getByRole('button', { name: /Approve closure/ }).click();
    await first.getByRole('button', { name: 'Continue to sign' }).click();
    const sign = first.getByRole('dialog', { name: /Sign: Approve closure/ });
    await sign.getByLabel('Email').fill(people.quality1.email);
    await sign.getByLabel('Password').fill('not-the-password-at-all');
    await sign.getByRole('button', { name: 'Sign' }).click();
    await expect.poll(() => sign.getByText('The password is not correct').count()).toBe(1);
    await sign.getByLabel('Password').fill(PASSWORD);
    await sign.getByRole('button', { name: 'Sign' }).click();
    await expect
      .poll(async () => ((await workflow.locator('.votes').textContent()) ?? '').replace(/\s+/g, ' '))
      .toMatch(/Quinn One: approved, signed/);

    const second = await pageAs(ui.browser, ui.cloud.url, 'quality2', ncrUrl);
    const again = second.getByRole('region', { name: 'Workflow' });
    await again.getByRole('button', { name: /Approve closure/ }).click();
    await second.getByRole('button', { name: 'Continue to sign' }).click();
    const dialog = second.getByRole('dialog', { name: /Sign: Approve closure/ });
    await dialog.getByLabel('Email').fill(people.quality2.email);
    await dialog.getByLabel('Password').fill(PASSWORD);
    await dialog.getByRole('button', { name: 'Sign' }).click();
    await expect.poll(() => again.locator('.state .badge').innerText()).toBe('Closed');
    await expect.poll(() => again.getByText('Quinn Two').count()).toBeGreaterThan(0);
    await second.screenshot({ path: `${screenshotDir}/ncr-closed.png`, fullPage: true });

    const pdf = await second.request.get(
      new URL(`/api/workflow/signatures/ncr/${ncrUrl.split('/').pop()}.pdf`, second.url()).toString(),
    );
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toContain('application/pdf');
  });

  it('keeps the refused signature in the audit trail and the chain verifies', async () => {
    const failed = await trpcCall<{ entries: { action: string }[] }>(
      admin,
      'audit.entries.list',
      { action: 'signature.failed' },
      'GET',
    );
    expect(failed.entries.map((e) => e.action)).toEqual(['signature.failed']);
    // This NCR's signatures: the demo's people signed others of their own.
    const signed = await trpcCall<{ entries: { action: string }[] }>(
      admin,
      'audit.entries.list',
      { action: 'signature.sign', entityId: ncrUrl.split('/').pop() },
      'GET',
    );
    expect(signed.entries).toHaveLength(2);
    const verified = await trpcCall<{ ok: boolean; checked: number }>(admin, 'audit.verify', {
      from: 'start',
    });
    expect(verified).toMatchObject({ ok: true });
  });
});
