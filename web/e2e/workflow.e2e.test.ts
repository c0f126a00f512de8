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
 * refused and lands in the audit trail — and the NCR closes. The audit chain still verifies. Last,
 * the engineer moves the demo's NCRs still running on version 1 to version 2, and a moved NCR's
 * timeline shows the move, in the plant's time for a viewer in another zone.
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
    // The read-only graph is replaced by the draft's once it loads; a state selected before then is
    // selected in the version being left.
    await page.getByRole('button', { name: 'Save draft' }).waitFor();
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
    await expect.poll(() => workflow.locator('.state .badge').textContent()).toBe('Submitted');
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
      .poll(async () => ((await workflow.locator('.progress').textContent()) ?? '').replace(/\s+/g, ' '))
      .toMatch(/Quality 1 of 2 Quinn One approved · \d{1,2} \w{3} \d{4}, \d{2}:\d{2} · signed/);
    await workflow.screenshot({ path: `${screenshotDir}/ncr-vote-progress.png` });

    const second = await pageAs(ui.browser, ui.cloud.url, 'quality2', ncrUrl);
    const again = second.getByRole('region', { name: 'Workflow' });
    await again.getByRole('button', { name: /Approve closure/ }).click();
    await second.getByRole('button', { name: 'Continue to sign' }).click();
    const dialog = second.getByRole('dialog', { name: /Sign: Approve closure/ });
    await dialog.getByLabel('Email').fill(people.quality2.email);
    await dialog.getByLabel('Password').fill(PASSWORD);
    await dialog.getByRole('button', { name: 'Sign' }).click();
    await expect.poll(() => again.locator('.state .badge').textContent()).toBe('Closed');
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

  it('moves the NCRs running on version 1 to version 2; the timeline shows it in plant time', async () => {
    const page = await pageAs(ui.browser, ui.cloud.url, 'engineer', '/admin/workflows');
    await page.getByRole('link', { name: 'Non-conformance report' }).click();
    await page.getByRole('tab', { name: 'Versions' }).click();
    await page.getByRole('button', { name: 'Move running instances…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Move running instances' });
    const rows = dialog.getByRole('table', { name: 'Records that move' }).locator('tbody tr');
    await rows.first().waitFor();
    const moving = await rows.count();
    expect(moving).toBeGreaterThan(0);
    const code = ((await rows.first().locator('td').first().textContent()) ?? '').trim();
    // States version 2 no longer has are mapped by hand; the others keep their key.
    const selects = dialog.locator('select[id^="map-"]');
    for (let i = 0; i < (await selects.count()); i++) {
      const select = selects.nth(i);
      if ((await select.inputValue()) === '') await select.selectOption({ label: 'Submitted' });
    }
    await dialog.getByLabel('Reason').fill('Review steps merged into Submitted');
    await dialog.getByRole('button', { name: /^Move (the record|\d+ records)$/ }).click();
    await page
      .getByText(
        moving === 1 ? 'One record was moved to version 2.' : `${moving} records were moved to version 2.`,
      )
      .waitFor();

    const ncrs = await trpcCall<{ items: { id: string; number: string }[] }>(
      admin,
      'ncrs.list',
      { limit: 200 },
      'GET',
    );
    const moved = ncrs.items.find((n) => n.number === code)!;
    // A viewer in New York reads the Riverside NCR's times as Riverside's, the zone named.
    const away = await ui.browser.newContext({
      timezoneId: 'America/New_York',
      viewport: { width: 1440, height: 900 },
    });
    const viewer = await away.newPage();
    await viewer.goto(`${ui.cloud.url}/quality/ncrs/${moved.id}`);
    await signIn(viewer, ADMIN_EMAIL, DEMO_PASSWORD);
    const timeline = viewer
      .getByRole('region', { name: 'Workflow' })
      .getByRole('region', { name: 'Timeline' });
    await timeline.getByText('Times in Riverside Assembly time (Europe/Berlin)').waitFor();
    const entry = timeline
      .getByRole('listitem')
      .filter({ hasText: /moved the record to version 2 of the workflow/ });
    await entry.getByText('Review steps merged into Submitted').waitFor();
    const time = entry.locator('time');
    const at = (await time.getAttribute('datetime'))!;
    const berlin = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Berlin',
      dateStyle: 'medium',
      timeStyle: 'short',
    }).format(new Date(at));
    expect(await time.textContent()).toBe(berlin);
    await viewer.screenshot({ path: `${screenshotDir}/ncr-moved.png`, fullPage: true });

    // The closed NCR's signatures too: Riverside's time to the second, and UTC.
    await viewer.goto(`${ui.cloud.url}${ncrUrl}`);
    const signed = viewer.getByRole('region', { name: 'Electronic signatures' }).locator('time').first();
    await signed.waitFor();
    const signedAt = new Date((await signed.getAttribute('datetime'))!);
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin', dateStyle: 'short' });
    const clock = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Berlin',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    expect(await signed.textContent()).toBe(`${day.format(signedAt)} ${clock.format(signedAt)}`);
  });
});
